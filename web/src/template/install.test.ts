import { describe, expect, it } from "vitest";
import type { Connection } from "../api/types";
import { connectionsOfType, missingConnections, preselect, wiringText } from "./install";

const conn = (id: string, type: string, name = id): Connection => ({ id, name, type, config: {}, secret_fields: [], created_at: "", updated_at: "" });
const template = {
  connections: [
    { name: "heartland", type: "heartland", description: "" },
    { name: "epicor", type: "epicor", description: "" },
  ],
};

describe("template install", () => {
  it("lists the connections still to choose", () => {
    expect(missingConnections(template, {})).toEqual(["heartland", "epicor"]);
    expect(missingConnections(template, { heartland: "c1", epicor: "" })).toEqual(["epicor"]);
    expect(missingConnections(template, { heartland: "c1", epicor: "c2" })).toEqual([]);
  });

  it("offers only connections of the wanted type, by name", () => {
    const all = [conn("1", "epicor", "Zeta"), conn("2", "heartland"), conn("3", "epicor", "Alpha")];
    expect(connectionsOfType(all, "epicor").map((c) => c.name)).toEqual(["Alpha", "Zeta"]);
    expect(connectionsOfType(all, "http")).toEqual([]);
  });

  it("preselects a lone connection of a type and keeps choices already made", () => {
    const all = [conn("h1", "heartland"), conn("e1", "epicor"), conn("e2", "epicor")];
    expect(preselect(template, all, {})).toEqual({ heartland: "h1" });
    expect(preselect(template, all, { epicor: "e2" })).toEqual({ heartland: "h1", epicor: "e2" });
    expect(preselect(template, [conn("h1", "heartland"), conn("h2", "heartland")], {})).toEqual({});
  });

  it("explains the wiring of an installed flow", () => {
    expect(wiringText({ wiring: { heartland_events: ["sales_order.created", "sales_order.updated"] } })).toBe(
      "Subscribe the webhook URL in Heartland to sales_order.created, sales_order.updated.",
    );
    expect(wiringText({ wiring: { schedule: "every 15 minutes" } })).toBe("Runs on a schedule: every 15 minutes.");
    expect(wiringText({})).toBe("");
  });
});
