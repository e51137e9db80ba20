// No import cycles between host's top-level folders.
import { describe, expect, it } from "vitest";
import { cycleEdges, folderEdges } from "./folder-graph";
import { collectImports, isShipped } from "./import-graph";

/**
 * Folder edges allowed to lie on a cycle: none since the domain types moved to host/domain/ (the
 * WebSocket schema no longer doubles as the domain model). An entry may only be removed.
 */
const KNOWN_CYCLE_EDGES: string[] = [];

const HOST = folderEdges(collectImports().filter((e) => isShipped(e.from)), "host");

describe("host folder cycles", () => {
  it("finds the folder graph (bridge.ts imports serial, state, ws, record)", () => {
    expect([...(HOST.get("(root)") ?? [])].sort()).toEqual(expect.arrayContaining(["record", "serial", "state", "ws"]));
  });

  it("adds no import cycle between host's folders", () => {
    expect(cycleEdges(HOST).filter((e) => !KNOWN_CYCLE_EDGES.includes(e))).toEqual([]);
  });

  it("lists only cycles that still exist (remove the edges that were broken)", () => {
    const now = cycleEdges(HOST);
    expect(KNOWN_CYCLE_EDGES.filter((e) => !now.includes(e))).toEqual([]);
  });
});
