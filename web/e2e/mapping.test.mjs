// Suggest mapping in the map node's panel: suggestions for a downstream Epicor operation reviewed,
// one rejected, applied, previewed and saved; a pasted target sample, cancelled (needs credentials;
// the first test also needs the Epicor sandbox scripts/e2e.sh starts, for a real connection).
import assert from "node:assert/strict";
import { apiClient, node, until } from "./api.mjs";
import { signIn } from "./signin.mjs";

/** order is a Heartland order as a webhook delivers it: the trigger's sample payload. */
const order = {
  id: 100812,
  public_id: "HL-10044",
  customer_id: 12,
  created_at: "2025-03-01T18:22:05+00:00",
  lines: [
    { item_lookup: "SKU-1", description: "Blue mug", qty: 2, unit_price: 12.5 },
    { item_lookup: "SKU-2", description: "Red mug", qty: 1, unit_price: 4.75 },
  ],
};

/** openSuggestDialog opens the flow in the editor, selects its map node and opens the Suggest mapping dialog. */
async function openSuggestDialog(page, url, login, flowId) {
  await page.goto(`${url}/flows/${flowId}`);
  await signIn(page, login);
  const panel = page.getByRole("complementary", { name: "Node settings" });
  // The canvas fits the view with a short animation on load; a click during it can miss the node.
  await until("the map node selected", async () => {
    await page.locator('.react-flow__node[data-id="map"]').click();
    return panel.getByText("map", { exact: true }).isVisible();
  });
  await panel.getByRole("button", { name: "Suggest mapping…" }).click();
  const dialog = page.getByRole("dialog", { name: "Suggest mapping" });
  await dialog.waitFor();
  return { panel, dialog };
}

/** mapJq reads the map node's jq from the saved draft. */
async function savedMapJq(api, flowId) {
  const flow = await api("GET", `/flows/${flowId}`);
  return flow.definition.nodes.find((n) => n.id === "map").config.jq;
}

export default [
  {
    name: "suggest a mapping to a downstream Epicor operation, reject a field, apply and save",
    needsLogin: true,
    needsEnv: ["E2E_EPICOR_URL"],
    async run({ page, url, login, screenshot }) {
      const api = await apiClient(url, login);
      const stamp = Date.now();
      const conn = await api("POST", "/connections", {
        name: `Mapping Epicor ${stamp}`,
        type: "epicor",
        config: { base_url: process.env.E2E_EPICOR_URL, instance: "kinetic", company: "EPIC06", plant: "MfgSys", auth: "basic" },
        secrets: { api_key: "sandbox-api-key", username: "manager", password: "manager" },
      });
      const flow = await api("POST", "/flows", {
        name: `Orders to Epicor ${stamp}`,
        description: "",
        definition: {
          nodes: [
            node("hook", "trigger.webhook", "Order webhook", { auth: { mode: "none" }, sample: order }, 0),
            node("map", "map", "To sales order", { jq: "." }, 260),
            node("so", "connector", "Epicor order", { connection: conn.id, operation: "create_sales_order" }, 520),
          ],
          edges: [
            { from: "hook", to: "map" },
            { from: "map", to: "so" },
          ],
        },
      });

      const { panel, dialog } = await openSuggestDialog(page, url, login, flow.id);
      assert.equal(await dialog.getByLabel("Source sample").inputValue(), "trigger", "the trigger's sample is the default source");
      await dialog.getByText("The output goes to “Epicor order”").waitFor();
      assert.match(await dialog.getByLabel("Map to").locator("option:checked").textContent(), /Input of create_sales_order in node “Epicor order”/);
      await screenshot("choose");

      const suggested = page.waitForResponse((r) => r.url().endsWith("/api/v1/mapping/suggest"));
      await dialog.getByRole("button", { name: "Suggest", exact: true }).click();
      assert.equal((await suggested).status(), 200, "the suggestions came back");
      const table = dialog.getByRole("table", { name: "Suggested fields" });
      await table.waitFor();
      const row = (target) => table.locator(`tr[data-target="${target}"]`);
      for (const [target, source] of [
        ["PONum", "public_id"],
        ["CustNum", "customer_id"],
        ["OrderDate", "created_at"],
      ]) {
        assert.match(await row(target).textContent(), new RegExp(`${target}.*${source.replace(/[[\]]/g, "\\$&")}`), `${target} ← ${source}`);
        assert.match(await row(target).locator(".confidence-value").textContent(), /^\d{1,3}%$/, `${target} shows its confidence`);
        assert.ok((await row(target).locator(".mapping-reason").textContent()).length > 0, `${target} says why`);
      }
      await dialog.getByRole("button", { name: "Use all" }).click();
      const jqView = dialog.getByLabel("Generated jq program");
      await until("OrderDate in the suggested program", async () => /"OrderDate"/.test(await jqView.textContent()));
      await screenshot("suggestions");

      // Reject OrderDate with the keyboard; the program is rebuilt without it.
      const rebuilt = page.waitForResponse((r) => r.url().endsWith("/api/v1/mapping/program"));
      const orderDate = dialog.getByRole("checkbox", { name: "Use OrderDate" });
      await orderDate.focus();
      await page.keyboard.press("Space");
      assert.equal(await orderDate.isChecked(), false, "OrderDate is rejected");
      assert.equal((await rebuilt).status(), 200, "the program of the kept fields was built");
      await until("a program without OrderDate", async () => {
        const jq = await jqView.textContent();
        return /"PONum"/.test(jq) && !/"OrderDate"/.test(jq);
      });
      const preview = dialog.getByRole("region", { name: "Preview of the generated program" });
      // The preview keeps the last result until the new program is evaluated.
      await until("the preview of the kept fields", async () => {
        const out = (await preview.locator(".expression-preview-result").textContent()) ?? "";
        return out.includes('"PONum": "HL-10044"') && !out.includes("OrderDate");
      });
      assert.match(await preview.textContent(), /"CustNum": 12/);
      // A rejected required field is called out until it is used again.
      const unmapped = dialog.getByRole("status", { name: "Unmapped required fields" });
      await dialog.getByRole("checkbox", { name: "Use PONum" }).uncheck();
      await unmapped.getByText("PONum", { exact: true }).waitFor();
      await screenshot("unmapped");
      await dialog.getByRole("checkbox", { name: "Use PONum" }).check();
      await unmapped.waitFor({ state: "detached" });
      await until("PONum back in the program", async () => /"PONum"/.test(await jqView.textContent()));
      await preview.locator(".expression-preview-result", { hasText: '"PONum": "HL-10044"' }).waitFor();
      const applied = await jqView.textContent();
      await screenshot("rejected");

      const accepted = page.waitForResponse((r) => r.url().endsWith("/api/v1/mapping/accept"));
      await dialog.getByRole("button", { name: "Apply mapping" }).click();
      const acceptAnswer = await accepted;
      assert.equal(acceptAnswer.status(), 200, "the accepted pairs were recorded");
      const acceptBody = acceptAnswer.request().postDataJSON();
      assert.equal(acceptBody.target_ref, "epicor/create_sales_order");
      assert.ok(acceptBody.pairs.some((p) => p.target === "PONum" && p.source === "public_id"), "PONum ← public_id was recorded");
      assert.ok(!acceptBody.pairs.some((p) => p.target === "OrderDate"), "the rejected field was not recorded");
      await dialog.waitFor({ state: "detached" });

      await until("the applied program in the map node's editor", async () => (await panel.locator(".cm-content").first().textContent()).includes("$root"));
      await panel.locator(".expression-preview-result", { hasText: '"PONum": "HL-10044"' }).waitFor();
      await page.getByText("unsaved", { exact: true }).waitFor();
      await screenshot("applied");

      const saved = page.waitForResponse((r) => r.url().endsWith(`/flows/${flow.id}`) && r.request().method() === "PUT");
      await page.getByRole("button", { name: "Save draft" }).click();
      assert.equal((await saved).status(), 200, "the draft was saved");
      assert.equal(await savedMapJq(api, flow.id), applied, "the saved map node holds the applied program");
    },
  },
  {
    name: "suggest a mapping to a pasted target sample, then cancel",
    needsLogin: true,
    async run({ page, url, login, screenshot }) {
      const api = await apiClient(url, login);
      const flow = await api("POST", "/flows", {
        name: `Pasted target ${Date.now()}`,
        description: "",
        definition: {
          nodes: [node("hook", "trigger.webhook", "Order webhook", { auth: { mode: "none" }, sample: order }, 0), node("map", "map", "Reshape", { jq: "{id}" }, 260)],
          edges: [{ from: "hook", to: "map" }],
        },
      });
      const { panel, dialog } = await openSuggestDialog(page, url, login, flow.id);
      await dialog.getByLabel("Map to").selectOption({ label: "A pasted target sample (JSON)" });
      await dialog.getByRole("button", { name: "Suggest", exact: true }).click();
      await dialog.getByRole("alert").getByText("Paste a target sample as JSON.").waitFor();
      await dialog.getByLabel("Target sample JSON").fill('{"order_number": "A-1", "customer": {"number": 5}, "items": [{"sku": "X", "quantity": 1}]}');
      const suggested = page.waitForResponse((r) => r.url().endsWith("/api/v1/mapping/suggest"));
      await dialog.getByRole("button", { name: "Suggest", exact: true }).click();
      assert.equal((await suggested).status(), 200);
      const table = dialog.getByRole("table", { name: "Suggested fields" });
      await table.locator('tr[data-target="items[].sku"]').waitFor();
      assert.match(await table.locator('tr[data-target="items[].quantity"]').textContent(), /lines\[\]\.qty/, "line fields map to line fields");
      const skuSource = dialog.getByRole("combobox", { name: "Source for items[].sku" });
      assert.equal(await skuSource.inputValue(), "lines[].item_lookup", "the best candidate is chosen");
      assert.ok((await skuSource.locator("option").count()) > 1, "ranked alternatives are offered");
      await dialog.getByText("from the trigger's sample payload to the pasted target sample").waitFor();
      await screenshot("pasted");

      await dialog.getByRole("button", { name: "Cancel" }).click();
      await dialog.waitFor({ state: "detached" });
      assert.equal(await panel.locator(".cm-content").first().textContent(), "{id}", "cancelling leaves the jq as it was");
      assert.equal(await page.getByText("unsaved", { exact: true }).count(), 0, "cancelling leaves the flow unchanged");
    },
  },
];
