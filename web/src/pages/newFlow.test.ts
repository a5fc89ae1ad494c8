import { describe, expect, it } from "vitest";
import type { Flow } from "../api/types";
import { duplicateFlowRequest } from "./newFlow";

const flow: Flow = {
  id: "f1",
  name: "Orders to Epicor",
  description: "syncs tickets",
  status: "published",
  version: 3,
  published_version: 2,
  created_at: "2026-11-27T08:00:00Z",
  updated_at: "2026-11-27T09:00:00Z",
  definition: { nodes: [{ id: "t", type: "webhook", name: "Trigger", config: {} } as never], edges: [] },
};

describe("duplicateFlowRequest", () => {
  it("copies the draft definition under a new name", () => {
    expect(duplicateFlowRequest(flow)).toEqual({
      name: "Copy of Orders to Epicor",
      description: "syncs tickets",
      definition: flow.definition,
    });
  });

  it("refuses a flow without its definition", () => {
    expect(() => duplicateFlowRequest({ ...flow, definition: undefined })).toThrow(/Orders to Epicor.*without its definition/);
  });
});
