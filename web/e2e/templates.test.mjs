// Installing a template from the gallery against the sandboxes, then tuning one of its flows
// with the live jq preview (needs credentials and the sandboxes scripts/e2e.sh starts).
import assert from "node:assert/strict";
import { signIn } from "./signin.mjs";

const templateName = "Heartland order → Epicor sales order";

/** label matches a form label with or without its required marker. */
const label = (text) => new RegExp(`^${text}(\\*? \\(required\\))?$`);

/** createConnection fills the New connection dialog opened from the wizard and saves it. */
async function createConnection(page, system, name, settings, secrets, selects = {}) {
  await page.getByRole("group", { name: system }).getByRole("button", { name: `New ${system} connection` }).click();
  const dialog = page.getByRole("form", { name: "Connection" });
  await dialog.getByLabel(label("Name")).fill(name);
  for (const [name, value] of Object.entries(settings)) await dialog.getByLabel(label(name)).fill(value);
  for (const [name, value] of Object.entries(selects)) await dialog.getByLabel(label(name)).selectOption({ label: value });
  for (const [name, value] of Object.entries(secrets)) await dialog.getByLabel(label(name)).fill(value);
  const created = page.waitForResponse((r) => r.url().endsWith("/api/v1/connections") && r.request().method() === "POST");
  await dialog.getByRole("button", { name: "Create connection" }).click();
  assert.equal((await created).status(), 201, `the ${system} connection was created`);
  await dialog.waitFor({ state: "detached" });
  const group = page.getByRole("group", { name: system });
  await group.getByRole("combobox").locator("option:checked", { hasText: name }).waitFor({ state: "attached" });
  await group.getByRole("button", { name: `Test the ${system} connection` }).click();
  await group.getByRole("status").filter({ has: page.locator(".badge", { hasText: /^ok$/ }) }).waitFor();
}

/** fillCode replaces the text of the first code editor inside scope. */
async function fillCode(scope, text) {
  const editor = scope.locator(".cm-content").first();
  await editor.click();
  await editor.fill(text);
}

export default [
  {
    name: "install a template with the wizard, preview a jq change, save and publish",
    needsLogin: true,
    needsEnv: ["E2E_HEARTLAND_URL", "E2E_EPICOR_URL"],
    async run({ page, url, login, screenshot }) {
      await page.goto(`${url}/templates`);
      await signIn(page, login);
      await page.getByRole("heading", { name: "Templates", level: 1 }).waitFor();
      const card = page.getByRole("article", { name: templateName });
      await card.getByText("Epicor Kinetic connection").waitFor();
      await screenshot("gallery");
      await card.getByRole("link", { name: `Install ${templateName}` }).click();

      await page.getByRole("heading", { name: `Install “${templateName}”` }).waitFor();
      const stamp = Date.now();
      await createConnection(page, "Heartland Retail", `Sandbox Heartland ${stamp}`, { "Base url": process.env.E2E_HEARTLAND_URL }, { "Api token": "sandbox-token" });
      await createConnection(
        page,
        "Epicor Kinetic",
        `Sandbox Epicor ${stamp}`,
        { "Base url": process.env.E2E_EPICOR_URL, Instance: "kinetic", Company: "EPIC06", Plant: "MfgSys" },
        { "Api key": "sandbox-api-key", Username: "manager", Password: "manager" },
        { Auth: "basic" },
      );
      await screenshot("connections");
      await page.getByRole("button", { name: "Next: parameters" }).click();

      const params = page.getByRole("region", { name: "Parameters" });
      const statusMap = params.getByRole("table", { name: "Status map" });
      await statusMap.waitFor();
      assert.ok((await statusMap.getByRole("row").count()) > 1, "the status map shows its default rows");
      await params.getByLabel(label("Po prefix")).fill("E2E-");
      await screenshot("parameters");
      const installed = page.waitForResponse((r) => /\/templates\/[^/]+\/install$/.test(r.url()));
      await params.getByRole("button", { name: "Install" }).click();
      assert.equal((await installed).status(), 200, "the install succeeded");

      const result = page.getByRole("region", { name: "Installed flows" });
      const hookUrl = await result.locator(".hook-url").first().textContent();
      assert.match(hookUrl, new RegExp(`^${url}/hooks/[0-9a-f-]{36}`), "the webhook URL to paste into Heartland is shown");
      await result.getByText("Subscribe the webhook URL in Heartland to").first().waitFor();
      await screenshot("installed");
      await result.getByRole("link", { name: /^Open flow / }).first().click();

      await page.waitForURL((u) => /\/flows\/[0-9a-f-]{36}$/.test(u.pathname));
      await page.locator('.react-flow__node[data-id="summary"]').click();
      const panel = page.getByRole("complementary", { name: "Node settings" });
      await panel.getByText("summary", { exact: true }).waitFor();
      const preview = panel.locator(".expression-preview");

      await fillCode(panel, "{order: $trigger.public_id, status: .status}");
      await preview.locator(".expression-preview-result", { hasText: /"status": "pending"/ }).waitFor();
      assert.match(await preview.textContent(), /"order": "100001"/, "the preview evaluates against the trigger's sample");
      await fillCode(panel, "{order: $trigger.public_id, status: (.status | ascii_upcase)}");
      await preview.locator(".expression-preview-result", { hasText: /"status": "PENDING"/ }).waitFor();
      await screenshot("preview");
      await fillCode(panel, "{order: $trigger.public_id");
      await preview.locator(".expression-preview-error", { hasText: "jq syntax error" }).waitFor();
      await screenshot("preview-error");
      await fillCode(panel, "{order: $trigger.public_id, status: (.status | ascii_upcase)}");
      await preview.locator(".expression-preview-result", { hasText: /"status": "PENDING"/ }).waitFor();

      const saved = page.waitForResponse((r) => /\/flows\/[0-9a-f-]{36}$/.test(r.url()) && r.request().method() === "PUT");
      await page.getByRole("button", { name: "Save draft" }).click();
      assert.equal((await saved).status(), 200, "the draft was saved");
      await page.getByRole("button", { name: "Publish…" }).click();
      const published = page.waitForResponse((r) => r.url().endsWith("/publish") && r.request().method() === "POST");
      await page.getByRole("dialog", { name: "Publish this flow" }).getByRole("button", { name: "Publish" }).click();
      assert.equal((await published).status(), 200, "the flow was published");
      await page.getByRole("dialog", { name: "Webhook" }).waitFor();
      await screenshot("published");
    },
  },
];
