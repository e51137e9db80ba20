// The seq jump guard: a far jump is held until a later reading confirms it, refuted when the stream goes on where it was.
import { describe, expect, it } from "vitest";
import { SEQ_JUMP_CONFIRM, SeqJumpGuard } from "../../../host/core/seq-jump-guard";

describe("SeqJumpGuard", () => {
  it("passes readings within SEQ_JUMP_CONFIRM of the expected seq at once", () => {
    const g = new SeqJumpGuard<number>();
    expect(g.offer(10 + SEQ_JUMP_CONFIRM, 10, 1)).toEqual({ process: [1], refuted: 0 });
  });
  it("holds a far jump; the expected seq next refutes it (counted), a later one confirms it (both released in order)", () => {
    const g = new SeqJumpGuard<string>();
    expect(g.offer(33, 10, "bogus")).toEqual({ process: [], refuted: 0 });
    expect(g.offer(10, 10, "real")).toEqual({ process: ["real"], refuted: 1 });
    expect(g.holding).toBe(false);
    expect(g.offer(40, 11, "a")).toEqual({ process: [], refuted: 0 });
    expect(g.offer(41, 11, "b")).toEqual({ process: ["a", "b"], refuted: 0 });
  });
  it("a late (resent) reading neither confirms nor refutes the held one", () => {
    const g = new SeqJumpGuard<string>();
    g.offer(100, 10, "ahead");
    expect(g.offer(5, 10, "resent")).toEqual({ process: ["resent"], refuted: 0 });
    expect(g.holding).toBe(true);
  });
});
