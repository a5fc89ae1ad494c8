// Browser test runner. Runs every e2e/*.test.mjs in Debian's Chromium through playwright-core.
//
//   BRIDGEWORK_URL   app to test; when unset, web/dist is served on a free loopback port
//   CHROMIUM_PATH    browser binary (default /usr/bin/chromium)
//   E2E_FILTER       run only tests whose name contains this text
//   BRIDGEWORK_EMAIL, BRIDGEWORK_PASSWORD, BRIDGEWORK_TENANT, and/or BRIDGEWORK_API_KEY
//                    credentials for tests marked needsLogin; without them those are skipped
//                    (scripts/e2e.sh at the repository root starts a server and sets them all)
//   E2E_HEARTLAND_URL, E2E_EPICOR_URL
//                    sandboxes for tests marked needsEnv with these names (scripts/e2e.sh
//                    starts them); without them those tests are skipped
//
// A test file default-exports an array of { name, run(t), needsLogin?, needsEnv?, allowConsoleErrors?,
// allowedConsoleErrors? (patterns of console errors the test expects) };
// t has page, url, login (the credentials) and screenshot(name). A test fails when run throws
// or the page logged a console error.
// Screenshots go to artifacts/screenshots/ at the repository root. The last line printed
// is "e2e: N passed, M failed"; the exit code is non-zero when any test failed or none ran.
import { mkdir, readdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { serveDir } from "./serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "..", "..");
const shots = join(repoRoot, "artifacts", "screenshots");
const testTimeoutMs = 45_000;

// Without the networking flags Chromium keeps trying to reach Google's hosts, which this
// machine refuses. Playwright gives every launch a fresh temporary user-data-dir.
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function loadTests() {
  const files = (await readdir(here)).filter((f) => f.endsWith(".test.mjs")).sort();
  const tests = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(join(here, f)).href);
    for (const t of mod.default) tests.push({ ...t, file: f.replace(/\.test\.mjs$/, "") });
  }
  const filter = process.env.E2E_FILTER;
  return filter ? tests.filter((t) => t.name.includes(filter)) : tests;
}

function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * credentials reads sign-in details from the environment, or returns null. The browser signs in
 * with e-mail and password when given, else with the API key; test setup calls the API with either.
 */
function credentials() {
  const env = process.env;
  const login = {};
  if (env.BRIDGEWORK_EMAIL && env.BRIDGEWORK_PASSWORD && env.BRIDGEWORK_TENANT) {
    Object.assign(login, { email: env.BRIDGEWORK_EMAIL, password: env.BRIDGEWORK_PASSWORD, tenant: env.BRIDGEWORK_TENANT });
  }
  if (env.BRIDGEWORK_API_KEY) login.apiKey = env.BRIDGEWORK_API_KEY;
  return Object.keys(login).length ? login : null;
}

async function runOne(browser, url, test, login) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const consoleErrors = [];
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => consoleErrors.push(e.message));
  const base = `${test.file}-${slug(test.name)}`;
  const screenshot = (name) => page.screenshot({ path: join(shots, `${base}-${slug(name)}.png`), fullPage: true });
  try {
    await withTimeout(test.run({ page, url, login, screenshot }), testTimeoutMs, test.name);
    const unexpected = consoleErrors.filter((m) => !(test.allowedConsoleErrors ?? []).some((re) => re.test(m)));
    if (unexpected.length && !test.allowConsoleErrors) {
      throw new Error(`console errors:\n  ${unexpected.join("\n  ")}`);
    }
    await screenshot("end");
    return null;
  } catch (err) {
    await screenshot("failed").catch(() => {});
    return err;
  } finally {
    await context.close();
  }
}

async function main() {
  await mkdir(shots, { recursive: true });
  let server = null;
  let url = process.env.BRIDGEWORK_URL;
  if (!url) {
    server = await serveDir(resolve(here, "..", "dist"));
    url = server.url;
  }
  url = url.replace(/\/$/, "");
  const tests = await loadTests();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: chromiumArgs,
  });
  const login = credentials();
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  try {
    console.log(`e2e: testing ${url} with ${tests.length} tests`);
    for (const t of tests) {
      if (t.needsLogin && !login) {
        skipped++;
        console.log(`skip ${t.file}: ${t.name} (no BRIDGEWORK_EMAIL/PASSWORD/TENANT or BRIDGEWORK_API_KEY)`);
        continue;
      }
      const missing = (t.needsEnv ?? []).filter((n) => !process.env[n]);
      if (missing.length) {
        skipped++;
        console.log(`skip ${t.file}: ${t.name} (no ${missing.join(", ")})`);
        continue;
      }
      const started = Date.now();
      const err = await runOne(browser, url, t, login);
      const took = `${Date.now() - started} ms`;
      if (err) {
        failed++;
        console.log(`FAIL ${t.file}: ${t.name} (${took})\n  ${String(err.stack ?? err).split("\n").join("\n  ")}`);
      } else {
        passed++;
        console.log(`ok   ${t.file}: ${t.name} (${took})`);
      }
    }
  } finally {
    await browser.close();
    await server?.close();
  }
  if (skipped) console.log(`e2e: ${skipped} skipped for want of credentials`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  console.log("e2e: 0 passed, 1 failed");
  process.exitCode = 1;
});
