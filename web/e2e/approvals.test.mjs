// The Approvals inbox against a real server (needs credentials).
import assert from "node:assert/strict";
import { apiClient, node, until } from "./api.mjs";
import { signIn } from "./signin.mjs";

/** approvalFlow waits for an approval, then maps the order to "shipped". */
const approvalFlow = {
  nodes: [
    node("hook", "trigger.webhook", "Order webhook", { auth: { mode: "none" } }, 0),
    node("ask", "approval", "Large order", { title: '"Order \\(.order_number)"', summary: '"Total \\(.total) for \\(.customer)"' }, 260),
    node("ship", "map", "Ship", { jq: '"shipped"' }, 520),
  ],
  edges: [
    { from: "hook", to: "ask" },
    { from: "ask", to: "ship", port: "approved" },
  ],
  settings: { business_key: ".order_number" },
};

export default [
  {
    name: "approve a pending approval in the inbox and the run completes",
    needsLogin: true,
    async run({ page, url, login, screenshot }) {
      const api = await apiClient(url, login);
      const flow = await api("POST", "/flows", { name: `Large orders ${Date.now()}`, description: "", definition: approvalFlow });
      const published = await api("POST", `/flows/${flow.id}/publish`, {});
      const orderNumber = `A-${Date.now().toString(36)}`; // no long digit run: those may be masked as card numbers
      const hook = await fetch(published.hooks[0].url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ order_number: orderNumber, total: 5400, customer: "Harbor Goods" }),
      });
      assert.equal(hook.status < 300, true, `the webhook accepted the order: HTTP ${hook.status}`);
      const { run_id: runId } = await hook.json();
      await until("the approval to be pending", async () => (await api("GET", `/approvals?status=pending&flow_id=${flow.id}`)).total === 1);
      await until("the run to wait for the decision", async () => (await api("GET", `/runs/${runId}`)).run.status === "waiting");

      await page.goto(`${url}/flows`);
      await signIn(page, login);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Approvals" }).click();
      await page.getByRole("heading", { name: "Approvals", level: 1 }).waitFor();
      const card = page.locator("section.approval", { has: page.getByRole("heading", { name: `Order ${orderNumber}` }) });
      await card.getByText("Total 5400 for Harbor Goods").waitFor();
      assert.equal(await card.getByRole("link", { name: `Run of Order ${orderNumber}` }).getAttribute("href"), `/runs/${runId}`);
      await card.getByLabel("Comment").fill("Credit checked");
      await screenshot("approvals");
      const answer = page.waitForResponse((r) => r.url().endsWith("/approve") && r.request().method() === "POST");
      await card.getByRole("button", { name: `Approve Order ${orderNumber}` }).click();
      assert.equal((await answer).status(), 200);
      await page.getByRole("row", { name: new RegExp(`Order ${orderNumber}.*approved`) }).waitFor();

      const detail = await until("the run to succeed", async () => {
        const d = await api("GET", `/runs/${runId}`);
        return d.run.status === "succeeded" && d;
      });
      const ask = detail.steps.filter((s) => s.step_key === "ask").at(-1);
      assert.equal(ask.port, "approved");
      assert.equal(ask.output.comment, "Credit checked");
      assert.equal(detail.steps.find((s) => s.step_key === "ship").output, "shipped");
      await screenshot("approved");
    },
  },
];
