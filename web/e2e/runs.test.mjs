// Run detail against a real server (needs credentials): replaying a failed run with edited
// input from a chosen step, and cancelling a run that waits at a durable delay.
import assert from "node:assert/strict";
import { apiClient, gateFlow, node, until } from "./api.mjs";
import { signIn } from "./signin.mjs";

/** delayFlow waits an hour, durably, before it maps the order. */
const delayFlow = {
  nodes: [
    node("hook", "trigger.webhook", "Order webhook", { auth: { mode: "none" } }, 0),
    node("later", "delay", "Wait an hour", { duration: "1h" }, 260),
    node("ship", "map", "Ship", { jq: '"shipped"' }, 520),
  ],
  edges: [
    { from: "hook", to: "later" },
    { from: "later", to: "ship" },
  ],
  settings: { business_key: ".order_number" },
};

/** orderKey is an order number without long digit runs, which card masking could hide. */
function orderKey(prefix) {
  return `${prefix}-${Date.now().toString(36)}`;
}

/** publishAndTrigger creates and publishes a flow, posts one order to its webhook and returns the ids. */
async function publishAndTrigger(api, name, definition, order) {
  const flow = await api("POST", "/flows", { name, description: "", definition });
  const published = await api("POST", `/flows/${flow.id}/publish`, {});
  const res = await fetch(published.hooks[0].url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(order) });
  assert.equal(res.status, 202, `the webhook accepted the order: HTTP ${res.status}`);
  const { run_id: runId } = await res.json();
  return { flowId: flow.id, runId };
}

/** runStatus waits via the API until a run has one of the statuses, and returns the run with its steps. */
function runStatus(api, runId, ...statuses) {
  return until(`run ${runId} to be ${statuses.join(" or ")}`, async () => {
    const detail = await api("GET", `/runs/${runId}`);
    return statuses.includes(detail.run.status) && detail;
  });
}

/** shownStatus is the status the run page shows in its facts. */
function shownStatus(page) {
  return page.locator(".facts dt", { hasText: /^Status$/ }).locator("xpath=following-sibling::dd[1]");
}

export default [
  {
    name: "replay a failed run from a chosen step with edited input; the linked replay succeeds",
    needsLogin: true,
    async run({ page, url, login, screenshot }) {
      const api = await apiClient(url, login);
      const name = `Gate ${Date.now().toString(36)}`;
      const order = orderKey("R");
      const { runId } = await publishAndTrigger(api, name, gateFlow, { order_number: order, total: 40 });
      const failed = await runStatus(api, runId, "failed", "succeeded");
      assert.equal(failed.run.status, "failed");
      assert.equal(failed.run.failed_node, "reject");

      await page.goto(`${url}/runs/${runId}`);
      await signIn(page, login);
      await page.getByRole("heading", { name: `${name} · ${order}` }).waitFor();
      await shownStatus(page).getByText("failed", { exact: true }).waitFor();
      assert.equal(await page.getByRole("button", { name: "Cancel run" }).count(), 0, "a finished run cannot be cancelled");

      await page.getByRole("button", { name: "Replay" }).click();
      const dialog = page.getByRole("dialog", { name: "Replay run" });
      const from = dialog.getByLabel("Start from");
      assert.equal(await from.inputValue(), "failed_step", "a failed run replays from its failed step by default");
      const modes = await from.locator("option").evaluateAll((os) => os.map((o) => o.value));
      assert.deepEqual(modes, ["trigger", "failed_step", "step"]);
      await from.selectOption("step");
      const step = dialog.getByLabel(/^Step/);
      assert.equal(await step.inputValue(), "reject", "a chosen step starts out as the failed one");
      const steps = await step.locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
      assert.deepEqual(steps.sort(), ["accept", "big", "hook", "reject"], "every recorded step, the skipped one too");
      // Replaying for real needs a preview of the plan first.
      assert.equal(await dialog.getByRole("button", { name: "Replay now" }).isDisabled(), true);
      await step.selectOption("big");
      const editor = dialog.locator(".cm-content").first();
      await editor.click();
      await editor.fill(`{"order_number": "${order}", "total": 400}`);
      await dialog.getByLabel("Note").fill("total corrected after a call with the store");

      const preview = page.waitForResponse((r) => r.url().endsWith(`/runs/${runId}/replay`) && r.request().method() === "POST");
      await dialog.getByRole("button", { name: "Preview replay" }).click();
      assert.equal((await preview).status(), 200, "the preview is a dry run");
      const plan = dialog.getByRole("region", { name: "Replay plan" });
      await plan.getByText(/with edited input for big/).waitFor();
      assert.match(await plan.locator("dd").first().textContent(), /\bbig\b/, "the plan executes the chosen step");
      assert.match(await plan.locator("dd").nth(1).textContent(), /\bhook\b/, "the plan reuses the trigger");
      await screenshot("plan");
      const { runs: before } = await api("GET", `/runs?flow_id=${encodeURIComponent(failed.run.flow_id)}`);
      assert.equal(before.length, 1, "a preview starts no run");

      await dialog.getByRole("button", { name: "Replay now" }).click();
      await page.waitForURL((u) => /^\/runs\/[0-9a-f-]{36}$/.test(u.pathname) && !u.pathname.endsWith(runId));
      const replayId = new URL(page.url()).pathname.split("/").pop();
      const replayOf = page.locator(".facts dt", { hasText: /^Replay of$/ }).locator("xpath=following-sibling::dd[1]");
      assert.equal(await replayOf.getByRole("link").getAttribute("href"), `/runs/${runId}`);

      const done = await runStatus(api, replayId, "succeeded", "failed");
      assert.equal(done.run.status, "succeeded", `the replay ${done.run.error ?? ""}`);
      assert.deepEqual(done.steps.find((s) => s.step_key === "accept").output, { po: order, status: "accepted" });
      await page.getByRole("button", { name: "Refresh" }).click();
      await shownStatus(page).getByText("succeeded", { exact: true }).waitFor();
      await page.getByText("total corrected after a call with the store").waitFor();
      await page.locator(".timeline-item.timeline-succeeded", { hasText: "accept" }).waitFor();
      await screenshot("replayed");

      // The failed run links to its replay.
      await replayOf.getByRole("link").click();
      await page.waitForURL((u) => u.pathname === `/runs/${runId}`);
      const replayedAs = page.locator(".facts dt", { hasText: /^Replayed as$/ }).locator("xpath=following-sibling::dd[1]");
      await replayedAs.getByRole("link", { name: replayId }).click();
      await page.waitForURL((u) => u.pathname === `/runs/${replayId}`);
      await shownStatus(page).getByText("succeeded", { exact: true }).waitFor();
    },
  },
  {
    name: "cancel a run waiting at a durable delay",
    needsLogin: true,
    async run({ page, url, login, screenshot }) {
      const api = await apiClient(url, login);
      const name = `Delayed shipping ${Date.now().toString(36)}`;
      const order = orderKey("D");
      const { runId } = await publishAndTrigger(api, name, delayFlow, { order_number: order });
      await runStatus(api, runId, "waiting");

      await page.goto(`${url}/runs/${runId}`);
      await signIn(page, login);
      await page.getByRole("heading", { name: `${name} · ${order}` }).waitFor();
      await shownStatus(page).getByText("waiting", { exact: true }).waitFor();
      assert.equal(await page.getByRole("button", { name: "Replay" }).count(), 0, "a waiting run cannot be replayed yet");
      await screenshot("waiting");

      const answer = page.waitForResponse((r) => r.url().endsWith(`/runs/${runId}/cancel`) && r.request().method() === "POST");
      await page.getByRole("button", { name: "Cancel run" }).click();
      assert.equal((await answer).status(), 200);
      await page.getByText("Run cancelled.").waitFor();
      await shownStatus(page).getByText("cancelled", { exact: true }).waitFor();
      await page.getByRole("button", { name: "Cancel run" }).waitFor({ state: "detached" });
      await page.getByRole("button", { name: "Replay" }).waitFor();

      const { run, steps } = await api("GET", `/runs/${runId}`);
      assert.equal(run.status, "cancelled");
      assert.ok(run.finished_at, "a cancelled run is finished");
      assert.equal(steps.some((s) => s.step_key === "ship"), false, "the step after the delay never ran");
      await screenshot("cancelled");
    },
  },
];
