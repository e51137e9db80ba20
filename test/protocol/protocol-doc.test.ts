// PROTOCOL.md is current with the declaration table, and every example line in it is a valid frame.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decode } from "../../protocol";
import { renderProtocolDoc } from "../../protocol/tools/write-protocol-doc";

const doc = readFileSync(new URL("../../protocol/PROTOCOL.md", import.meta.url), "utf8");

describe("PROTOCOL.md", () => {
  it("is up to date with protocol/messages.ts (run npm run docs:protocol)", () => {
    expect(doc).toBe(renderProtocolDoc(doc));
  });
  it("every example frame in it decodes", () => {
    const frames = doc.match(/\$[A-Z]+,[^\s`]*\*[0-9A-F]{8}/g) ?? [];
    expect(frames.length).toBeGreaterThan(30);
    for (const f of frames) expect(decode(f).ok, f).toBe(true);
  });
});
