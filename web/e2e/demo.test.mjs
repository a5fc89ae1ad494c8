// When the server under test runs with --demo (scripts/e2e.sh sets E2E_DEMO),
// its demo tenant has every template installed against its in-process sandboxes.
import assert from "node:assert/strict";
import { signIn } from "./signin.mjs";

/** The demo tenant's fixed login (internal/demo). */
const demoLogin = { email: "demo@bridgework.local", password: "bridgework-demo", tenant: "demo" };

export default [
  {
    name: "the demo tenant signs in and lists its installed template flows",
    needsEnv: ["E2E_DEMO"],
    async run({ page, url, screenshot }) {
      await page.goto(`${url}/flows`); // the session lives in memory: sign in on the page to test
      await signIn(page, demoLogin);
      await page.getByRole("heading", { name: "Flows", level: 1 }).waitFor();
      const order = page.getByRole("link", { name: /Heartland order/ }).first();
      await order.waitFor();
      // Seven templates install ten flows, all published.
      await page.waitForFunction(() => document.querySelectorAll("tbody tr").length >= 10, null, { timeout: 15_000 });
      const published = await page
        .locator("tbody tr")
        .evaluateAll((rows) => rows.filter((r) => r.querySelectorAll("td")[1]?.textContent?.trim() === "published").length);
      assert.ok(published >= 10, `${published} flows are published, want every installed flow`);
      await screenshot("demo-flows");
    },
  },
];
