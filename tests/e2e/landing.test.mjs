// Browser test: the public landing page renders in Chromium with its stylesheet and lists the
// marketplaces Tally loaded from the sandbox's developer platform.
import { assert, run } from './harness.mjs';

await run([
  {
    name: 'landing page lists the configured marketplaces',
    async fn({ platform, browser, screenshot }) {
      const page = await browser.newPage();
      const res = await page.goto(platform.tallyUrl + '/');
      assert(res.status() === 200, `status ${res.status()}`);
      const text = await page.textContent('main');
      assert(text.includes('maestrano-sandbox') && text.includes('partner-market'), 'both marketplaces listed');
      // The stylesheet really applied: the top bar has its dark background.
      const bg = await page.$eval('.topbar', (el) => getComputedStyle(el).backgroundColor);
      assert(bg === 'rgb(20, 33, 61)', `topbar background ${bg}`);
      await screenshot(page, 'landing');
    },
  },
]);
