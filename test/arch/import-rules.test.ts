// Import rules between the top-level folders, checked on the parsed imports of every .ts file.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collectImports, type ImportEdge, isNodeBuiltin, isShipped, REPO_ROOT, topFolder } from "./import-graph";

const EDGES = collectImports();
const SHIPPED = EDGES.filter((e) => isShipped(e.from));

/** The device's pure core: no Node, no DOM, no packages; time comes in as an argument. */
const DEVICE_CORE = ["device/core/", "device/link/", "device/runtime/"];

const show = (e: ImportEdge) => `${e.from} imports ${e.spec}`;

/** Shipped files under `folder` whose project imports reach a top folder outside `allowed`. */
function crossing(folder: string, allowed: string[]): string[] {
  return SHIPPED.filter((e) => topFolder(e.from) === folder && e.target !== undefined)
    .filter((e) => !allowed.includes(topFolder(e.target!)))
    .map(show);
}

describe("import rules", () => {
  it("sees the repository's files and their imports", () => {
    const folders = new Set(EDGES.map((e) => topFolder(e.from)));
    for (const f of ["apps", "device", "host", "protocol", "sim", "test"]) expect(folders).toContain(f);
    expect(EDGES.some((e) => e.from === "apps/demo-wiring.ts" && e.target?.startsWith("host/"))).toBe(true);
  });

  it("host imports neither sim nor apps", () => {
    expect(crossing("host", ["host", "protocol"])).toEqual([]);
  });

  it("sim imports neither host nor apps", () => {
    expect(crossing("sim", ["sim", "device", "protocol"])).toEqual([]);
  });

  it("protocol imports nothing of the project but itself, and its codec no package or Node module", () => {
    expect(crossing("protocol", ["protocol"])).toEqual([]);
    const codec = SHIPPED.filter((e) => topFolder(e.from) === "protocol" && !e.from.startsWith("protocol/tools/"));
    expect(codec.filter((e) => e.target === undefined).map(show)).toEqual([]);
  });

  it("device imports only device and protocol", () => {
    expect(crossing("device", ["device", "protocol"])).toEqual([]);
  });

  it("the device core (core, link, runtime) imports no Node module and no package", () => {
    const core = SHIPPED.filter((e) => DEVICE_CORE.some((d) => e.from.startsWith(d)));
    expect(core.length).toBeGreaterThan(10);
    expect(core.filter((e) => e.target === undefined || isNodeBuiltin(e.spec)).map(show)).toEqual([]);
  });

  it("the device core is type-checked without DOM or Node types", () => {
    const cfg = JSON.parse(readFileSync(path.join(REPO_ROOT, "tsconfig.device.json"), "utf8")) as {
      extends?: string; include: string[]; exclude?: string[];
      compilerOptions?: { lib?: string[]; types?: string[] };
    };
    const base = JSON.parse(readFileSync(path.join(REPO_ROOT, cfg.extends ?? "tsconfig.base.json"), "utf8")) as {
      compilerOptions: { lib?: string[]; types?: string[] };
    };
    const lib = cfg.compilerOptions?.lib ?? base.compilerOptions.lib ?? [];
    const types = cfg.compilerOptions?.types ?? base.compilerOptions.types;
    expect(lib.some((l) => l.toLowerCase().startsWith("dom"))).toBe(false);
    expect(types).toEqual([]);
    expect(cfg.include).toContain("device");
    for (const d of DEVICE_CORE) expect(cfg.exclude ?? []).not.toContain(d.slice(0, -1));
  });
});
