// The signed-in app against a running Bridgework server (needs credentials).
import assert from "node:assert/strict";
import { signIn } from "./signin.mjs";

export default [
  {
    name: "sign in, visit every section, sign out",
    needsLogin: true,
    async run({ page, url, login }) {
      await page.goto(`${url}/flows`);
      await signIn(page, login);
      await page.getByRole("heading", { name: "Flows", level: 1 }).waitFor();
      for (const section of ["Runs", "Approvals", "Templates", "Connections", "Dashboard", "Flows"]) {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: section }).click();
        await page.getByRole("heading", { name: section, level: 1 }).waitFor();
      }
      await page.getByRole("button", { name: /▾/ }).click();
      await page.getByRole("menuitem", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in to Bridgework" }).waitFor();
    },
  },
  {
    name: "start a new flow in the editor",
    needsLogin: true,
    async run({ page, url, login, screenshot }) {
      await page.goto(`${url}/flows`);
      await signIn(page, login);
      await page.getByRole("button", { name: "New flow" }).first().click();
      const name = `e2e flow ${Date.now()}`;
      await page.getByRole("dialog").getByLabel("Name").fill(name);
      await page.getByRole("button", { name: "Open editor" }).click();
      await page.getByLabel("Flow name").waitFor();
      assert.equal(await page.getByLabel("Flow name").inputValue(), name);
      const items = page.locator(".palette-item");
      await items.first().waitFor();
      assert.ok((await items.count()) > 0, "the palette lists node types from the server");
      await items.first().press("Enter");
      await page.locator(".react-flow__node").first().waitFor();
      assert.equal(await page.locator(".react-flow__node").count(), 1, "Enter on a palette item adds one node");
      await page.getByRole("complementary", { name: "Node settings" }).getByLabel("Name").waitFor();
      await screenshot("node-added");
    },
  },
];
