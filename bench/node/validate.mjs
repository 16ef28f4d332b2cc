// Reference for bench/suites/saml.sh: @node-saml/node-saml 5 (passport-saml's core) validating the same
// signed Maestrano response bench_saml validates, in a loop for N seconds on one core (node is single
// threaded). Usage: node validate.mjs RESPONSE_B64_FILE IDP_CERT_PEM AUDIENCE ACS_URL SECONDS
import { readFileSync } from "node:fs";
import { SAML } from "@node-saml/node-saml";

const [responseFile, certFile, audience, acsUrl, seconds] = process.argv.slice(2);
const saml = new SAML({
  callbackUrl: acsUrl,
  idpCert: readFileSync(certFile, "utf8"),
  issuer: audience,
  audience,
  wantAssertionsSigned: true,
  wantAuthnResponseSigned: false, // Maestrano signs the Assertion only (spec 3.3)
  validateInResponseTo: "never", // the same response is validated again and again
  acceptedClockSkewMs: 180000,
});
const body = { SAMLResponse: readFileSync(responseFile, "utf8").trim() };
const first = await saml.validatePostResponseAsync(body); // throws when node-saml rejects it
if (!first.profile || first.profile.nameID === undefined) throw new Error("node-saml returned no profile");
let n = 0;
const start = process.hrtime.bigint();
const end = start + BigInt(Math.round(Number(seconds) * 1e9));
while (process.hrtime.bigint() < end) {
  await saml.validatePostResponseAsync(body);
  n++;
}
const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`node_saml_validations_per_sec=${Math.round(n / elapsed)}`);
