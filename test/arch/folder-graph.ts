// Folder-level dependency graph of one top-level folder (e.g. host/), and the edges that lie on a cycle.
import { type ImportEdge, isDirectory } from "./import-graph";

/**
 * The sub-folder of `top` that `rel` belongs to ("host/ws/relay.ts" -> "ws"). A file directly inside
 * `top` is a node of its own, named with its extension ("host/bridge.ts" -> "bridge.ts"): it is no
 * folder, so the composition root importing a folder that imports a sibling type file is no cycle.
 */
export function subFolder(rel: string, top: string): string {
  const parts = rel.split("/");
  if (parts[0] !== top || parts.length < 2) throw new Error(`subFolder: ${rel} is not under ${top}/`);
  if (parts.length > 2 || isDirectory(rel)) return parts[1]!;
  return parts[1]!.endsWith(".ts") ? parts[1]! : parts[1]! + ".ts";
}

/** Folder edges "a -> b" (a imports b) between sub-folders of `top`, from the imports of files under `top`. */
export function folderEdges(edges: ImportEdge[], top: string): Map<string, Set<string>> {
  const g = new Map<string, Set<string>>();
  for (const e of edges) {
    if (e.target === undefined || !e.from.startsWith(top + "/") || !e.target.startsWith(top + "/")) continue;
    const a = subFolder(e.from, top);
    const b = subFolder(e.target, top);
    if (a === b) continue;
    if (!g.has(a)) g.set(a, new Set());
    g.get(a)!.add(b);
  }
  return g;
}

function reaches(g: Map<string, Set<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === to) return true;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const m of g.get(n) ?? []) stack.push(m);
  }
  return false;
}

/** Every folder edge "a -> b" that lies on a cycle (b reaches a back), sorted. */
export function cycleEdges(g: Map<string, Set<string>>): string[] {
  const out: string[] = [];
  for (const [a, bs] of g) for (const b of bs) if (reaches(g, b, a)) out.push(`${a} -> ${b}`);
  return out.sort();
}
