// The repository's import graph: every .ts file's import specifiers, with project-relative targets resolved.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The repository root (this file lives in test/arch/). */
export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

const SKIP_DIRS = new Set(["node_modules", "dist", ".git", ".tmp", "recordings", "test-artifacts"]);

/** One import of one file. `target` is the repository-relative path of a relative import, else undefined. */
export interface ImportEdge {
  /** The importing file, repository-relative with "/" separators. */
  from: string;
  /** The specifier as written ("../protocol", "node:fs", "ws"). */
  spec: string;
  /** Repository-relative target of a relative specifier, without extension ("protocol/limits"). */
  target?: string;
}

function listTsFiles(dirAbs: string, out: string[]): void {
  for (const e of readdirSync(dirAbs, { withFileTypes: true })) {
    if (SKIP_DIRS.has(e.name) || e.name.startsWith(".")) continue;
    const p = path.join(dirAbs, e.name);
    if (e.isDirectory()) listTsFiles(p, out);
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) out.push(p);
  }
}

/** Every import (static, type-only, re-export, dynamic) of every .ts file below the repository root. */
export function collectImports(rootAbs: string = REPO_ROOT): ImportEdge[] {
  const files: string[] = [];
  listTsFiles(rootAbs, files);
  const edges: ImportEdge[] = [];
  for (const abs of files.sort()) {
    const from = path.relative(rootAbs, abs).split(path.sep).join("/");
    const info = ts.preProcessFile(readFileSync(abs, "utf8"), true, true);
    for (const imp of info.importedFiles) {
      const spec = imp.fileName;
      const edge: ImportEdge = { from, spec };
      if (spec.startsWith(".")) edge.target = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
      edges.push(edge);
    }
  }
  return edges;
}

/** The top-level folder of a repository-relative path ("host/serial/link.ts" -> "host"). */
export function topFolder(rel: string): string {
  return rel.split("/")[0]!;
}

/** True for a shipped source file (tests and test tools are not shipped). */
export function isShipped(rel: string): boolean {
  return topFolder(rel) !== "test" && !rel.endsWith(".test.ts");
}

/** True when `spec` names a Node built-in module ("node:fs", "fs", "fs/promises"). */
export function isNodeBuiltin(spec: string): boolean {
  if (spec.startsWith("node:")) return true;
  return builtinModules.includes(spec.split("/")[0]!) || builtinModules.includes(spec);
}

/** True when `rel` (repository-relative, no extension) is a directory, so an import of it means its index. */
export function isDirectory(rel: string, rootAbs: string = REPO_ROOT): boolean {
  try {
    return statSync(path.join(rootAbs, rel)).isDirectory();
  } catch {
    return false;
  }
}
