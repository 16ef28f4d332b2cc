// Browser-test harness: starts real mno-sandbox and tally processes on free loopback ports, launches
// Debian's chromium through playwright-core (no browser download), runs the test functions in
// order, saves a screenshot of every page a test names, and prints "N passed, N failed".
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, createWriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';

export function requireEnv(name) {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is required`);
  return v;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForHttp(url, proc, name, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not answer at ${url}`);
}

// Starts mno-sandbox and tally wired together (SQLite under a fresh folder). Returns URLs and a stop().
export async function startPlatform(workDir) {
  const sandboxBin = requireEnv('SANDBOX_BIN');
  const tallyBin = requireEnv('TALLY_BIN');
  const sp = await freePort();
  const tp = await freePort();
  const sandboxUrl = `http://127.0.0.1:${sp}`;
  const tallyUrl = `http://127.0.0.1:${tp}`;
  const procs = [];
  const start = (bin, args, env, log) => {
    const p = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = createWriteStream(path.join(workDir, log));
    p.stdout.pipe(out);
    p.stderr.pipe(out);
    procs.push(p);
    return p;
  };
  const sandbox = start(sandboxBin, ['--port', String(sp), '--database', `sqlite:${workDir}/sandbox.db`,
    '--app-host', tallyUrl, '--log-level', 'warn'], {}, 'sandbox.log');
  await waitForHttp(`${sandboxUrl}/healthz`, sandbox, 'mno-sandbox');
  const envText = await (await fetch(`${sandboxUrl}/control/v1/devpl-env`)).text();
  const devpl = Object.fromEntries(envText.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const tally = start(tallyBin, ['serve', '--port', String(tp), '--database', `sqlite:${workDir}/tally.db`,
    '--log-level', 'warn'], devpl, 'tally.log');
  await waitForHttp(`${tallyUrl}/healthz`, tally, 'tally');
  return {
    sandboxUrl, tallyUrl,
    async stop() {
      for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
      await Promise.all(procs.map((p) => (p.exitCode !== null ? null : new Promise((r) => p.on('exit', r)))));
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

// Runs tests: [{name, fn(ctx)}]; ctx = {platform, browser, screenshot(page, name)}.
export async function run(tests) {
  const outDir = process.env.E2E_OUT_DIR || mkdtempSync('/tmp/tally-e2e-');
  mkdirSync(outDir, { recursive: true });
  let passed = 0;
  let failed = 0;
  for (const t of tests) {
    const workDir = mkdtempSync(path.join(outDir, 'run-'));
    let platform;
    let browser;
    try {
      platform = await startPlatform(workDir);
      browser = await launchBrowser();
      const screenshot = async (page, name) => {
        await page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });
      };
      await t.fn({ platform, browser, screenshot });
      console.log(`[  PASSED  ] ${t.name}`);
      passed++;
    } catch (e) {
      console.log(`[  FAILED  ] ${t.name}: ${e.stack || e}`);
      console.log(`             logs in ${workDir}`);
      failed++;
    } finally {
      if (browser) await browser.close();
      if (platform) await platform.stop();
    }
  }
  console.log(`screenshots in ${outDir}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}
