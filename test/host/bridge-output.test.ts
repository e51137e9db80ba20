// The bridge's output list: every listener gets every step in order; a throwing listener is counted and does not starve the others.
import { describe, expect, it } from "vitest";
import { BridgeOutputs, type BridgeOutput } from "../../host/core/bridge-output";

const step = (atMs: number): BridgeOutput => ({ atMs: atMs, device: null, updates: [], records: [{ k: "lost", atMs: atMs, from: atMs, count: 1 }] });

describe("BridgeOutputs", () => {
  it("hands each step to every listener in registration order; a throwing one is counted, the next still served", async () => {
    const outs = new BridgeOutputs();
    const seen: string[] = [];
    outs.add({ onOutput: (o) => void seen.push("a" + o.atMs) });
    outs.add({
      onOutput: () => {
        throw new Error("faulty consumer");
      },
    });
    const remove = outs.add({ onOutput: (o) => void seen.push("c" + o.atMs), close: () => void seen.push("c closed") });
    outs.emit(step(1));
    outs.emit(step(2));
    expect(seen).toEqual(["a1", "c1", "a2", "c2"]);
    expect(outs.failures).toBe(2);
    await outs.close();
    expect(seen.at(-1)).toBe("c closed");
    remove();
    outs.emit(step(3));
    expect(seen.filter((s) => s.startsWith("c3"))).toEqual([]);
  });
});
