// Shared snapshots: one build serves every waiting client, rebuilt at most once per interval after a state change.
import { describe, expect, it } from "vitest";
import { SnapshotCache } from "../../../host/ws/snapshot-cache";

function setup(minIntervalMs = 250) {
  const builds: boolean[] = [];
  const cache = new SnapshotCache<string>((control) => (builds.push(control), Buffer.from(control ? "C" + builds.length : "V" + builds.length)), minIntervalMs);
  const sent: [string, string][] = [];
  const serve = (nowMs: number, ready: (c: string) => boolean = () => true) => cache.serve(nowMs, ready, (c, f) => sent.push([c, f.toString()]));
  return { cache, builds, sent, serve };
}

describe("snapshot cache", () => {
  it("3,000 requests from 100 clients between two state changes: one build per control flag, one frame per client", () => {
    const { cache, builds, sent, serve } = setup();
    for (let i = 0; i < 3000; i++) cache.request("c" + (i % 100), i % 100 === 0);
    expect(cache.pending).toBe(100);
    expect(serve(0)).toBe(100);
    expect(builds).toEqual([true, false]);
    expect(new Set(sent.map(([, f]) => f))).toEqual(new Set(["C1", "V2"]));
    for (let i = 0; i < 3000; i++) cache.request("c" + (i % 100), false);
    serve(10);
    expect(builds).toHaveLength(2); // nothing changed: the same frame again
  });

  it("after a change a new frame is built once the interval has passed; the waiting client is served then, not before", () => {
    const { cache, builds, sent, serve } = setup();
    cache.request("a", false);
    serve(1000);
    cache.invalidate();
    cache.request("a", false);
    expect(serve(1100)).toBe(0); // built 100 ms ago: waits
    expect(serve(1249)).toBe(0);
    expect(serve(1250)).toBe(1);
    expect(builds).toHaveLength(2);
    expect(sent.at(-1)).toEqual(["a", "V2"]);
  });

  it("a client whose send buffer is full keeps its request until it has room; a closed one is forgotten", () => {
    const { cache, builds, sent, serve } = setup();
    cache.request("slow", false);
    cache.request("gone", false);
    cache.cancel("gone");
    expect(serve(0, () => false)).toBe(0);
    expect(builds).toHaveLength(0); // nobody ready: nothing built
    expect(cache.isWaiting("slow")).toBe(true);
    expect(serve(5000)).toBe(1);
    expect(sent).toEqual([["slow", "V1"]]);
  });
});
