// Every JSON example in docs/WEBSOCKET.md is a valid message of the API it illustrates.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ClientMessage, ServerFrame } from "../../host/ws/ws-messages";

const doc = readFileSync(new URL("../../docs/WEBSOCKET.md", import.meta.url), "utf8");
const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
/** JSON values of a block: one per line (a trailing "// comment" removed), or the whole block when it spans lines. */
function values(block: string): unknown[] {
  const lines = block.split("\n").map((l) => l.replace(/\s+\/\/.*$/, "").trim()).filter(Boolean);
  try {
    return lines.map((l) => JSON.parse(l));
  } catch {
    return [JSON.parse(lines.join(""))];
  }
}

describe("docs/WEBSOCKET.md examples", () => {
  const all = blocks.flatMap(values);
  it("has examples of both directions", () => {
    expect(all.filter(Array.isArray).length).toBeGreaterThanOrEqual(4);
    expect(all.filter((v) => !Array.isArray(v)).length).toBeGreaterThanOrEqual(8);
  });
  it("server frames validate against ServerFrame, client messages against ClientMessage (or are the documented bad one)", () => {
    for (const v of all) {
      if (Array.isArray(v)) expect(ServerFrame.safeParse(v).error?.issues ?? [], JSON.stringify(v)).toEqual([]);
      else {
        const r = ClientMessage.safeParse(v);
        const documentedBad = (v as { command?: { seconds?: number } }).command?.seconds === 500;
        expect(r.success, JSON.stringify(v)).toBe(!documentedBad);
      }
    }
  });
});
