// The login page: what every visitor sees first, at any address.
import assert from "node:assert/strict";

export default [
  {
    name: "login page renders labelled inputs",
    async run({ page, url }) {
      await page.goto(`${url}/`);
      await page.getByRole("heading", { name: "Sign in to Bridgework" }).waitFor();
      for (const label of ["Email", "Password", "Tenant"]) {
        const input = page.getByLabel(label);
        assert.equal(await input.count(), 1, `one input labelled ${label}`);
        assert.ok(await input.isVisible(), `${label} input is visible`);
      }
      assert.equal(await page.getByLabel("Password").getAttribute("type"), "password");
      assert.ok(await page.getByRole("button", { name: "Sign in" }).isEnabled());
    },
  },
  {
    name: "api key sign-in is one tab away",
    async run({ page, url }) {
      await page.goto(`${url}/`);
      await page.getByRole("tab", { name: "API key" }).click();
      const key = page.getByLabel("API key");
      await key.waitFor();
      assert.equal(await key.getAttribute("type"), "password");
      assert.equal(await page.getByLabel("Email").count(), 0, "email field is hidden in API key mode");
    },
  },
  {
    name: "deep links show the login page",
    async run({ page, url }) {
      const res = await page.goto(`${url}/runs?status=failed`);
      assert.equal(res.status(), 200);
      await page.getByRole("heading", { name: "Sign in to Bridgework" }).waitFor();
      assert.equal(new URL(page.url()).pathname, "/runs", "the address is kept for after sign-in");
    },
  },
];
