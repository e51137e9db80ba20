// Folder-level dependency graph of one top-level folder (e.g. host/), and the edges that lie on a cycle.
import { type ImportEdge, isDirectory } from "./import-graph";

/** Files directly inside the top folder (host/bridge.ts) form this pseudo-folder. */
export const ROOT_FILES = "(root)";

/** The sub-folder of `top` that `rel` belongs to ("host/ws/relay.ts" -> "ws"), or ROOT_FILES. */
export function subFolder(rel: string, top: string): string {
  const parts = rel.split("/");
  if (parts[0] !== top || parts.length < 2) throw new Error(`subFolder: ${rel} is not under ${top}/`);
  if (parts.length > 2) return parts[1]!;
  return isDirectory(rel) ? parts[1]! : ROOT_FILES;
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
