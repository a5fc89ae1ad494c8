import { describe, expect, it } from "vitest";
import { compactConfig, secretChanges, type SecretEdit } from "./secrets";

describe("secretChanges", () => {
  it.each<{ name: string; edits: Record<string, SecretEdit>; stored: string[]; want: Record<string, string | null> }>([
    { name: "empty text keeps the stored value", edits: { token: { value: "", remove: false } }, stored: ["token"], want: {} },
    { name: "typed text replaces", edits: { token: { value: "s3cret", remove: false } }, stored: ["token"], want: { token: "s3cret" } },
    { name: "typed text sets a new secret", edits: { password: { value: "pw", remove: false } }, stored: [], want: { password: "pw" } },
    { name: "remove deletes a stored secret", edits: { token: { value: "ignored", remove: true } }, stored: ["token"], want: { token: null } },
    { name: "remove of an unset secret sends nothing", edits: { token: { value: "", remove: true } }, stored: [], want: {} },
  ])("$name", ({ edits, stored, want }) => {
    expect(secretChanges(edits, stored)).toEqual(want);
  });
});

describe("compactConfig", () => {
  it("drops empty and unset values but keeps false and zero", () => {
    expect(compactConfig({ base_url: "https://x", auth: "", a: undefined, b: null, strict: false, n: 0 })).toEqual({ base_url: "https://x", strict: false, n: 0 });
  });
});
