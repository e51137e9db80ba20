// PROTOCOL.md is current with the declaration table, and every example line in it is a valid frame.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decode } from "../../protocol";
import { SCHEMA_HASH } from "../../protocol/schema-hash-value";
import { schemaHash } from "../../protocol";
import { renderProtocolDoc, renderSchemaHashFile } from "../../protocol/tools/write-protocol-doc";

const doc = readFileSync(new URL("../../protocol/PROTOCOL.md", import.meta.url), "utf8");

describe("PROTOCOL.md", () => {
  it("is up to date with protocol/messages.ts (run npm run docs:protocol)", () => {
    expect(doc).toBe(renderProtocolDoc(doc));
  });
  it("protocol/schema-hash-value.ts is current (run npm run docs:protocol)", () => {
    expect(SCHEMA_HASH).toBe(schemaHash());
    expect(readFileSync(new URL("../../protocol/schema-hash-value.ts", import.meta.url), "utf8")).toBe(renderSchemaHashFile());
  });
  it("every example frame in it decodes", () => {
    const frames = doc.match(/\$[A-Z]+,[^\s`]*\*[0-9A-F]{8}/g) ?? [];
    expect(frames.length).toBeGreaterThan(30);
    for (const f of frames) expect(decode(f).ok, f).toBe(true);
  });
});
