// Building, testing, debugging and sharing flows against a real server (needs credentials).
import assert from "node:assert/strict";
import { apiClient, node, until } from "./api.mjs";
import { signIn } from "./signin.mjs";

/** dropFromPalette drags a palette entry onto the canvas at (x, y) relative to the canvas. */
async function dropFromPalette(page, title, x, y) {
  const canvas = page.getByLabel("Flow canvas");
  await page.locator(".palette-item", { hasText: title }).first().dragTo(canvas, { targetPosition: { x, y } });
}

/** connect drags from a node's output port to another node's input. */
async function connect(page, fromId, port, toId) {
  const source = page.locator(`.react-flow__node[data-id="${fromId}"] .react-flow__handle.source[data-handleid="${port}"]`);
  const target = page.locator(`.react-flow__node[data-id="${toId}"] .react-flow__handle.target`);
  const a = await source.boundingBox();
  const b = await target.boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** fillCode replaces the text of the first code editor inside scope. */
async function fillCode(scope, text) {
  const editor = scope.locator(".cm-content").first();
  await editor.click();
  await editor.fill(text);
}

/** hookFlow is a published flow whose unauthenticated webhook leads to a failing node. */
const hookFlow = {
  nodes: [node("hook", "trigger.webhook", "Order webhook", { auth: { mode: "none" } }, 0), node("reject", "fail", "Reject order", { message: "order rejected by credit check" }, 260)],
  edges: [{ from: "hook", to: "reject" }],
  settings: { business_key: ".order_number" },
};

export default [
  {
    name: "build a flow from the palette, save, test-run it and publish",
    needsLogin: true,
    async run({ page, url, login, screenshot }) {
      await page.goto(`${url}/flows`);
      await signIn(page, login);
      await page.getByRole("heading", { name: "Flows", level: 1 }).waitFor();
      await screenshot("flows");
      await page.getByRole("button", { name: "New flow" }).first().click();
      await page.getByRole("dialog").getByLabel("Name").fill(`Paid orders ${Date.now()}`);
      await page.getByRole("button", { name: "Open editor" }).click();
      await page.locator(".palette-item").first().waitFor();

      await dropFromPalette(page, "Webhook", 120, 200);
      await dropFromPalette(page, "Map (jq)", 420, 200);
      const panel = page.getByRole("complementary", { name: "Node settings" });
      await panel.getByText("map_1").waitFor();
      await fillCode(panel, "{order: .order_number, total: .total}");
      await dropFromPalette(page, "Condition", 720, 200);
      await panel.getByText("condition_1").waitFor();
      await fillCode(panel, "input.total > 100");
      await connect(page, "trigger_webhook_1", "out", "map_1");
      await connect(page, "map_1", "out", "condition_1");
      await until("two edges", async () => (await page.locator(".react-flow__edge").count()) === 2);
      await page.getByRole("button", { name: "Auto-layout" }).click();
      await screenshot("built");

      await page.getByRole("button", { name: "Create flow" }).click();
      await page.waitForURL((u) => /\/flows\/[0-9a-f-]{36}$/.test(u.pathname));
      await page.getByText("v1", { exact: true }).waitFor();

      await page.getByRole("button", { name: "Test run…" }).click();
      const dialog = page.getByRole("dialog", { name: "Test run" });
      await fillCode(dialog, '{"order_number": "10234", "total": 250}');
      const answer = page.waitForResponse((r) => r.url().endsWith("/test-run") && r.request().method() === "POST");
      await dialog.getByRole("button", { name: "Run" }).click();
      assert.equal((await answer).status(), 200);
      await until("a result on every node", async () => (await page.locator(".step-node-result").count()) === 3);
      const mapOutput = await page.locator('.react-flow__node[data-id="map_1"] .step-node-output').textContent();
      assert.match(mapOutput, /"order":"10234"/, "the map node shows its output on the canvas");
      assert.equal(await page.locator(".react-flow__node .badge", { hasText: "succeeded" }).count(), 3);
      await page.locator('.react-flow__node[data-id="condition_1"] .step-port-taken', { hasText: "true" }).waitFor();
      await screenshot("test-run");

      await page.getByRole("button", { name: "Publish…" }).click();
      await page.getByRole("dialog", { name: "Publish this flow" }).getByRole("button", { name: "Publish" }).click();
      const hooks = page.getByRole("dialog", { name: "Webhook" });
      assert.match(await hooks.getByLabel("Webhook URL").inputValue(), new RegExp(`^${url}/hooks/[0-9a-f-]{36}$`));
      assert.match(await hooks.getByLabel("Webhook secret").inputValue(), /^whsec_/);
      await screenshot("published");
    },
  },
  {
    name: "find a failed run by order number and open its failing step",
    needsLogin: true,
    async run({ page, url, login, screenshot }) {
      const api = await apiClient(url, login);
      const flowName = `Order intake ${Date.now()}`;
      const flow = await api("POST", "/flows", { name: flowName, description: "", definition: hookFlow });
      const published = await api("POST", `/flows/${flow.id}/publish`, {});
      const orderNumber = "10234";
      const hook = await fetch(published.hooks[0].url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ order_number: orderNumber }) });
      assert.equal(hook.status < 300, true, `the webhook accepted the order: HTTP ${hook.status}`);
      await until("the run to fail", async () => (await api("GET", `/runs?flow_id=${flow.id}&business_key=${orderNumber}`)).runs[0]?.status === "failed");

      await page.goto(`${url}/runs`);
      await signIn(page, login);
      await page.getByRole("heading", { name: "Runs", level: 1 }).waitFor();
      await page.getByLabel("Business key").fill(orderNumber);
      await page.getByLabel("Flow", { exact: true }).selectOption({ label: flowName });
      await page.getByRole("button", { name: "Search" }).click();
      const row = page.getByRole("row", { name: new RegExp(`${flowName}.*${orderNumber}`) });
      await row.getByText("failed").waitFor();
      await screenshot("runs");
      await row.getByRole("link", { name: "Details" }).click();
      await page.getByRole("heading", { name: `${flowName} · ${orderNumber}` }).waitFor();
      const failing = page.locator(".timeline-item.timeline-failed > details");
      assert.equal(await failing.getAttribute("open"), "", "the failing step is opened");
      await failing.getByText("order rejected by credit check").waitFor();
      assert.match(await page.locator(".facts").textContent(), /Failed at\s*reject/);
      await screenshot("run");
    },
  },
  {
    name: "a concurrent save shows the conflict dialog",
    needsLogin: true,
    // Chromium logs the expected 409 answer as a console error.
    allowedConsoleErrors: [/status of 409 \(Conflict\)/],
    async run({ page, url, login, screenshot }) {
      const api = await apiClient(url, login);
      const flow = await api("POST", "/flows", { name: "Shared flow", description: "", definition: hookFlow });
      await page.goto(`${url}/flows/${flow.id}`);
      await signIn(page, login);
      await page.getByLabel("Flow name").fill("Shared flow (mine)");
      const changed = { ...hookFlow, nodes: [hookFlow.nodes[0], { ...hookFlow.nodes[1], config: { message: "changed elsewhere" } }] };
      await api("PUT", `/flows/${flow.id}`, { name: "Shared flow (theirs)", description: "", definition: changed, version: flow.version });
      const answer = page.waitForResponse((r) => r.url().endsWith(`/flows/${flow.id}`) && r.request().method() === "PUT");
      await page.getByRole("button", { name: "Save draft" }).click();
      assert.equal((await answer).status(), 409);
      const dialog = page.getByRole("dialog", { name: "This flow changed elsewhere" });
      await dialog.waitFor();
      await screenshot("conflict");
      await api("POST", `/flows/${flow.id}/publish`, {});
      await dialog.getByRole("button", { name: "Reload" }).click();
      await until("their version in the editor", async () => (await page.getByLabel("Flow name").inputValue()) === "Shared flow (theirs)");

      await page.getByRole("button", { name: "History…" }).click();
      const history = page.getByRole("dialog", { name: "Version history" });
      await history.getByRole("list", { name: "Differences" }).getByText('config.message changed from "order rejected by credit check" to "changed elsewhere"').waitFor();
      await screenshot("history");
      const rollback = page.waitForResponse((r) => r.url().endsWith(`/flows/${flow.id}/publish`));
      await history.getByRole("button", { name: "Roll back to v1" }).click();
      assert.equal((await rollback).status(), 200);
      await history.getByRole("row", { name: /^v1 live/ }).waitFor();
      assert.equal((await api("GET", `/flows/${flow.id}`)).published_version, 1, "the rollback published version 1");
    },
  },
  {
    name: "create an http connection and test it",
    needsLogin: true,
    async run({ page, url, login, screenshot }) {
      await page.goto(`${url}/connections`);
      await signIn(page, login);
      await page.getByRole("heading", { name: "Connections", level: 1 }).waitFor();
      await page.getByRole("button", { name: "New connection" }).first().click();
      const form = page.getByRole("form", { name: "Connection" });
      await form.getByLabel("System").selectOption({ label: "HTTP API" });
      const name = `Self check ${Date.now()}`;
      await form.getByLabel(/^Name/).fill(name);
      await form.getByLabel(/^Base url/).fill(url);
      await form.getByLabel(/^Test path/).fill("/healthz");
      await form.getByLabel(/^Token/).fill("not-needed-but-stored");
      await screenshot("form");
      await form.getByRole("button", { name: "Create connection" }).click();
      const row = page.getByRole("row", { name: new RegExp(name) });
      await row.waitFor();
      assert.match(await row.textContent(), /token/, "the stored secret is named, not shown");
      await row.getByRole("button", { name: `Test connection ${name}` }).click();
      await row.getByRole("status").getByText("ok").waitFor();
      assert.match(await row.getByRole("status").textContent(), /connected to http/);
      await screenshot("tested");

      await row.getByRole("button", { name: `Edit ${name}` }).click();
      assert.equal(await form.getByLabel(/^Token/).inputValue(), "", "secrets are never shown");
      await form.getByRole("button", { name: "Save" }).click();
      await form.waitFor({ state: "detached" });
      assert.match(await row.textContent(), /token/, "saving with an empty secret keeps it");
    },
  },
  {
    name: "the dashboard charts recent runs",
    needsLogin: true,
    async run({ page, url, login, screenshot }) {
      await page.goto(`${url}/dashboard`);
      await signIn(page, login);
      await page.getByRole("img", { name: "Runs over time by outcome" }).waitFor();
      await page.getByRole("img", { name: "Run duration per flow" }).waitFor();
      assert.ok((await page.locator('[aria-label="Runs over time by outcome"] rect').count()) > 0, "at least one bar is drawn");
      await screenshot("dashboard");
    },
  },
];
