import { describe, expect, it } from "vitest";
import { createClient, queryString } from "./client";
import { ApiError, detailSentence, errorFromResponse } from "./error";

describe("errorFromResponse", () => {
  it("reads the error body and phrases details as sentences", () => {
    const body = JSON.stringify({
      error: {
        code: "invalid_flow",
        message: "the flow is not valid",
        details: [
          { node_id: "map_1", field: "expression", message: "unexpected token at 3", severity: "error" },
          { message: "flow has no trigger" },
          { node_id: "http_1", message: "timeout is high", severity: "warning" },
        ],
      },
    });
    const err = errorFromResponse(422, body);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe("invalid_flow");
    expect(err.status).toBe(422);
    expect(err.sentences()).toEqual([
      "The flow is not valid.",
      "Node “map_1”, field “expression”: Unexpected token at 3.",
      "Flow has no trigger.",
      "Warning: Node “http_1”: Timeout is high.",
    ]);
  });

  it.each([
    [500, "<html>oops</html>", "server_error", "The server had a problem (HTTP 500). Try again in a moment."],
    [404, "", "not_found", "That item was not found."],
    [409, "{}", "conflict", "Someone else changed this item in the meantime."],
    [400, '{"error":"flat"}', "error", "The request failed (HTTP 400)."],
  ])("falls back on the status for %i", (status, body, code, message) => {
    const err = errorFromResponse(status, body);
    expect([err.code, err.message]).toEqual([code, message]);
  });

  it("keeps a sentence that already ends in punctuation", () => {
    expect(detailSentence({ message: "Done!" })).toBe("Done!");
  });
});

describe("queryString", () => {
  it("drops empty values and encodes the rest", () => {
    expect(queryString({ flow_id: "f 1", status: "", page: 2, business_key: undefined })).toBe("?flow_id=f+1&page=2");
    expect(queryString({})).toBe("");
  });
});

describe("createClient", () => {
  function fakeFetch(status: number, body: string, seen: { url?: string; init?: RequestInit }) {
    return async (url: RequestInfo | URL, init?: RequestInit) => {
      seen.url = String(url);
      seen.init = init;
      return new Response(body, { status });
    };
  }

  it("sends the bearer token and JSON body", async () => {
    const seen: { url?: string; init?: RequestInit } = {};
    const c = createClient({ token: "t0k", fetch: fakeFetch(200, '{"status":"succeeded","steps":[]}', seen) });
    const res = await c.testRun("flow/1", { a: 1 });
    expect(res.status).toBe("succeeded");
    expect(seen.url).toBe("/api/v1/flows/flow%2F1/test-run");
    expect(seen.init?.method).toBe("POST");
    expect((seen.init?.headers as Record<string, string>).Authorization).toBe("Bearer t0k");
    expect(seen.init?.body).toBe('{"payload":{"a":1}}');
  });

  it("calls onUnauthorized on 401 when signed in, and throws ApiError", async () => {
    let expired = 0;
    const c = createClient({ token: "old", onUnauthorized: () => expired++, fetch: fakeFetch(401, "", {}) });
    await expect(c.flows()).rejects.toMatchObject({ status: 401 });
    expect(expired).toBe(1);
  });

  it("does not call onUnauthorized for a rejected sign-in", async () => {
    let expired = 0;
    const c = createClient({ onUnauthorized: () => expired++, fetch: fakeFetch(401, "", {}) });
    await expect(c.token({ api_key: "k" })).rejects.toBeInstanceOf(ApiError);
    expect(expired).toBe(0);
  });

  it("turns a network failure into an ApiError with status 0", async () => {
    const c = createClient({
      fetch: async () => {
        throw new TypeError("Failed to fetch");
      },
    });
    await expect(c.flows()).rejects.toMatchObject({ status: 0, code: "network" });
  });
});
