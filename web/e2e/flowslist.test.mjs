// The Flows list against a real server (needs credentials): duplicating and deleting flows, and
// each flow's last run and error rate.
import assert from "node:assert/strict";
import { apiClient, gateFlow, until } from "./api.mjs";
import { signIn } from "./signin.mjs";

/** uniqueName is a flow name no other test run uses. */
function uniqueName(prefix) {
  return `${prefix} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** escape makes text match itself in a regular expression. */
function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** deliver posts an order to a webhook, waits until its run settles and returns the run. */
async function deliver(api, hookUrl, order) {
  const res = await fetch(hookUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(order) });
  assert.equal(res.status, 202, `the webhook accepted order ${order.order_number}: HTTP ${res.status}`);
  const { run_id: id } = await res.json();
  return until(`run ${id} to settle`, async () => {
    const { run } = await api("GET", `/runs/${id}`);
    return ["succeeded", "failed", "cancelled"].includes(run.status) && run;
  });
}

/** flowMissing reports whether GET /flows/{id} answers 404. */
async function flowMissing(api, id) {
  try {
    await api("GET", `/flows/${id}`);
    return false;
  } catch (err) {
    if (/HTTP 404/.test(String(err))) return true;
    throw err;
  }
}

export default [
  {
    name: "duplicate a flow from the list, then delete the copy after a cancelled first try",
    needsLogin: true,
    async run({ page, url, login, screenshot }) {
      const api = await apiClient(url, login);
      const name = uniqueName("Gate");
      const source = await api("POST", "/flows", { name, description: "orders over 100 pass", definition: gateFlow });

      await page.goto(`${url}/flows`);
      await signIn(page, login);
      await page.getByRole("heading", { name: "Flows", level: 1 }).waitFor();
      await page.getByRole("button", { name: `Duplicate ${name}`, exact: true }).click();
      await page.waitForURL((u) => /^\/flows\/[0-9a-f-]{36}$/.test(u.pathname) && !u.pathname.endsWith(source.id));
      const copyId = new URL(page.url()).pathname.split("/").pop();
      await until("the copy's name in the editor", async () => (await page.getByLabel("Flow name").inputValue()) === `Copy of ${name}`);

      const copy = await api("GET", `/flows/${copyId}`);
      const original = await api("GET", `/flows/${source.id}`);
      assert.equal(copy.name, `Copy of ${name}`);
      assert.equal(copy.description, "orders over 100 pass");
      assert.equal(copy.status, "draft");
      assert.deepEqual(copy.definition.nodes, original.definition.nodes, "the copy has the source's nodes");
      assert.deepEqual(copy.definition.edges, original.definition.edges, "the copy has the source's edges");

      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Flows" }).click();
      const copyRow = page.getByRole("row", { name: new RegExp(`^Copy of ${escape(name)} `) });
      await copyRow.waitFor();
      await screenshot("with-copy");

      // Cancelling the confirmation deletes nothing.
      await page.getByRole("button", { name: `Delete Copy of ${name}`, exact: true }).click();
      const confirm = page.getByRole("dialog", { name: "Delete flow" });
      await confirm.getByText(`Delete “Copy of ${name}”?`).waitFor();
      await confirm.getByRole("button", { name: "Cancel" }).click();
      await confirm.waitFor({ state: "hidden" });
      assert.equal(await flowMissing(api, copyId), false, "cancelling kept the copy");

      await page.getByRole("button", { name: `Delete Copy of ${name}`, exact: true }).click();
      await confirm.getByText(`Delete “Copy of ${name}”?`).waitFor();
      await screenshot("confirm");
      const answer = page.waitForResponse((r) => r.url().endsWith(`/flows/${copyId}`) && r.request().method() === "DELETE");
      await confirm.getByRole("button", { name: "Delete" }).click();
      assert.equal((await answer).status(), 204);
      await page.getByText(`Deleted flow “Copy of ${name}”.`).waitFor();
      await copyRow.waitFor({ state: "detached" });
      await page.getByRole("row", { name: new RegExp(`^${escape(name)} `) }).waitFor();

      assert.equal(await flowMissing(api, copyId), true, "the copy is gone");
      const { flows } = await api("GET", "/flows");
      assert.ok(flows.some((f) => f.id === source.id), "the source flow is still there");
      assert.ok(!flows.some((f) => f.id === copyId), "the list no longer has the copy");
    },
  },
  {
    name: "the flows list shows each flow's last run and its error rate",
    needsLogin: true,
    async run({ page, url, login, screenshot }) {
      const api = await apiClient(url, login);
      const busy = uniqueName("Busy gate");
      const quiet = uniqueName("Quiet gate");
      const clean = uniqueName("Clean gate");
      const flow = await api("POST", "/flows", { name: busy, description: "", definition: gateFlow });
      const published = await api("POST", `/flows/${flow.id}/publish`, {});
      await api("POST", "/flows", { name: quiet, description: "", definition: gateFlow });
      const cleanFlow = await api("POST", "/flows", { name: clean, description: "", definition: gateFlow });
      const cleanPublished = await api("POST", `/flows/${cleanFlow.id}/publish`, {});

      const key = Date.now().toString(36);
      for (const [i, total] of [500, 20, 300].entries()) {
        await deliver(api, published.hooks[0].url, { order_number: `L-${key}-${i}`, total });
      }
      const last = await deliver(api, published.hooks[0].url, { order_number: `L-${key}-last`, total: 7 });
      assert.equal(last.status, "failed");
      const cleanRun = await deliver(api, cleanPublished.hooks[0].url, { order_number: `C-${key}`, total: 900 });
      assert.equal(cleanRun.status, "succeeded");

      await page.goto(`${url}/flows`);
      await signIn(page, login);
      await page.getByRole("heading", { name: "Flows", level: 1 }).waitFor();

      const busyRow = page.getByRole("row", { name: new RegExp(`^${escape(busy)} `) });
      const lastLink = busyRow.getByRole("link", { name: /^failed /i });
      assert.equal(await lastLink.getAttribute("href"), `/runs/${last.id}`, "the last run links to the newest run");
      assert.match(await lastLink.textContent(), /failed\s*(just now|\d+ min ago)/i);
      const rate = busyRow.locator(".error-rate");
      assert.equal((await rate.textContent()).startsWith("50%"), true, `error rate ${await rate.textContent()}`);
      assert.equal(await rate.getAttribute("title"), "2 of 4 runs failed in the last 24 hours");
      assert.match(await rate.getAttribute("class"), /error-rate-high/, "a 50% error rate is highlighted");

      const cleanRow = page.getByRole("row", { name: new RegExp(`^${escape(clean)} `) });
      assert.equal(await cleanRow.getByRole("link", { name: /^succeeded /i }).getAttribute("href"), `/runs/${cleanRun.id}`);
      const cleanRate = cleanRow.locator(".error-rate");
      assert.equal(await cleanRate.getAttribute("title"), "None of 1 run failed in the last 24 hours");
      assert.doesNotMatch(await cleanRate.getAttribute("class"), /error-rate-high|error-rate-some/, "no failures, no highlight");

      const quietRow = page.getByRole("row", { name: new RegExp(`^${escape(quiet)} `) });
      await quietRow.getByText("Never run").waitFor();
      assert.equal(await quietRow.getByRole("link", { name: /ago$|just now$/ }).count(), 0);
      assert.equal(await quietRow.locator(".error-rate").getAttribute("title"), "No runs finished in the last 24 hours");
      assert.equal((await quietRow.locator(".error-rate").textContent()).startsWith("—"), true);
      await screenshot("health");

      // The link opens the run, not the flow the row stands for.
      await lastLink.click();
      await page.waitForURL((u) => u.pathname === `/runs/${last.id}`);
      await page.getByRole("heading", { name: `${busy} · L-${key}-last` }).waitFor();
      await page.locator(".facts").getByText("failed", { exact: true }).waitFor();
    },
  },
];
