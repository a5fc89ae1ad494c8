// Test setup through the REST API, next to what the browser does.

/** apiClient signs in with the runner's credentials and returns a JSON caller for /api/v1. */
export async function apiClient(url, login) {
  const creds = login.apiKey ? { api_key: login.apiKey } : { email: login.email, password: login.password, tenant: login.tenant };
  const call = async (method, path, body, token) => {
    const res = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const { access_token: token } = await call("POST", "/auth/token", creds);
  return (method, path, body) => call(method, path, body, token);
}

/** until calls check until it returns a truthy value or the deadline passes, and returns that value. */
export async function until(what, check, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** node is a flow node at a canvas position. */
export function node(id, type, name, config, x) {
  return { id, type, name, config, position: { x, y: 80 } };
}

/** gateFlow passes orders over 100 on to a map ("accept") and fails the others. */
export const gateFlow = {
  nodes: [
    node("hook", "trigger.webhook", "Order webhook", { auth: { mode: "none" } }, 0),
    node("big", "condition", "Large order", { expression: "input.total > 100" }, 260),
    node("accept", "map", "Accept", { jq: '{po: .order_number, status: "accepted"}' }, 520),
    node("reject", "fail", "Reject", { message: "order too small" }, 520),
  ],
  edges: [
    { from: "hook", to: "big" },
    { from: "big", to: "accept", port: "true" },
    { from: "big", to: "reject", port: "false" },
  ],
  settings: { business_key: ".order_number" },
};
