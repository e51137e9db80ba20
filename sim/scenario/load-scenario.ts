// Read and validate scenario files (JSON) and their CSV traces; errors carry a code and name the path.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { type CsvTrace, parseCsvTrace } from "../replay/csv-trace";
import { CSV_MAX_BYTES } from "../sim-limits";
import { type Scenario, scenarioSchema } from "./scenario-schema";

const HERE = dirname(fileURLToPath(import.meta.url));
/** Folder of the shipped scenarios (sim/scenarios): next to this file's folder, or under sim/ when run from the bundle in dist/. */
export const SCENARIO_DIR = [resolve(HERE, "..", "scenarios"), resolve(HERE, "..", "sim", "scenarios")].find((d) => existsSync(d)) ?? resolve(HERE, "..", "scenarios");

/** Stable error codes of scenario loading. */
export type ScenarioErrorCode = "SCENARIO_NOT_FOUND" | "SCENARIO_JSON" | "SCENARIO_INVALID" | "SCENARIO_CSV";

/** One validation problem: where (dotted path, e.g. `sources[0].pulses[1].durationS`) and what. */
export interface ScenarioIssue {
  readonly path: string;
  readonly message: string;
}

/** Error thrown by the loaders. `issues` lists every schema problem. */
export class ScenarioError extends Error {
  constructor(
    readonly code: ScenarioErrorCode,
    message: string,
    readonly issues: readonly ScenarioIssue[] = [],
  ) {
    super(message);
    this.name = "ScenarioError";
  }
}

/** A scenario ready to simulate: the validated data, and the parsed CSV of a csvFile trace. */
export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly csv?: CsvTrace | undefined;
  /** File it came from, if any. */
  readonly path?: string | undefined;
}

/** Result of {@link parseScenario}. */
export type ScenarioResult = { readonly success: true; readonly data: Scenario } | { readonly success: false; readonly error: ScenarioError };

/** `a.b[0].c` from a zod path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out === "" ? "(root)" : out;
}

function issuesOf(error: z.ZodError): ScenarioIssue[] {
  return error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

/** Validate already-parsed JSON. `origin` names the file in messages. Never throws. */
export function parseScenario(input: unknown, origin = "scenario"): ScenarioResult {
  const r = scenarioSchema.safeParse(input);
  if (r.success) return { success: true, data: r.data };
  const issues = issuesOf(r.error);
  const text = issues.map((i) => `  ${i.path}: ${i.message}`).join("\n");
  return { success: false, error: new ScenarioError("SCENARIO_INVALID", `${origin}: invalid scenario\n${text}`, issues) };
}

/** Parse and validate JSON text. Never throws. */
export function parseScenarioText(text: string, origin = "scenario"): ScenarioResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { success: false, error: new ScenarioError("SCENARIO_JSON", `${origin}: not valid JSON: ${(e as Error).message}`) };
  }
  return parseScenario(json, origin);
}

/** Load a scenario file (and its csvFile, relative to it). Throws {@link ScenarioError}. */
export function loadScenarioFile(path: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new ScenarioError("SCENARIO_NOT_FOUND", `${path}: cannot read scenario file`);
  }
  const r = parseScenarioText(text, path);
  if (!r.success) throw r.error;
  const scenario = r.data;
  if (scenario.kind === "trace" && scenario.csvFile !== undefined) {
    const csvPath = resolve(dirname(path), scenario.csvFile);
    return { scenario, csv: checkedCsv(readCsvFile(csvPath, `${path}: csvFile`), scenario, csvPath), path };
  }
  return { scenario, path };
}

/**
 * Reads a CSV trace file of at most CSV_MAX_BYTES (checked before reading). Throws
 * {@link ScenarioError}: SCENARIO_NOT_FOUND when unreadable, SCENARIO_CSV (CSV_TOO_LARGE) when too big.
 */
export function readCsvFile(csvPath: string, origin: string = csvPath): string {
  let bytes: number;
  try {
    bytes = statSync(csvPath).size;
  } catch {
    throw new ScenarioError("SCENARIO_NOT_FOUND", `${origin} ${csvPath} cannot be read`, [{ path: "csvFile", message: "cannot be read" }]);
  }
  if (bytes > CSV_MAX_BYTES) {
    const message = `${bytes} bytes is more than the ${CSV_MAX_BYTES} a trace may have`;
    throw new ScenarioError("SCENARIO_CSV", `${origin} ${csvPath}: ${message} (CSV_TOO_LARGE)`, [{ path: "csvFile", message }]);
  }
  try {
    return readFileSync(csvPath, "utf8");
  } catch {
    throw new ScenarioError("SCENARIO_NOT_FOUND", `${origin} ${csvPath} cannot be read`, [{ path: "csvFile", message: "cannot be read" }]);
  }
}

/** Parse a CSV for a trace scenario: every channel label must be a column. Throws {@link ScenarioError}. */
export function checkedCsv(csvText: string, scenario: Scenario, origin: string): CsvTrace {
  const parsed = parseCsvTrace(csvText);
  if (!parsed.success) {
    throw new ScenarioError("SCENARIO_CSV", `${origin}: ${parsed.error.message} (${parsed.error.code})`, [{ path: "csvFile", message: parsed.error.message }]);
  }
  const missing = scenario.channels.filter((c) => !parsed.data.labels.includes(c.label)).map((c) => c.label);
  if (missing.length > 0) {
    throw new ScenarioError("SCENARIO_CSV", `${origin}: no column for channel(s) ${missing.join(", ")}`, [{ path: "csvFile", message: `no column for ${missing.join(", ")}` }]);
  }
  return parsed.data;
}

/** Load a shipped scenario by name (`sim/scenarios/<name>.json`). Throws {@link ScenarioError}. */
export function loadScenarioByName(name: string): LoadedScenario {
  if (!/^[a-z0-9-]{1,64}$/.test(name)) throw new ScenarioError("SCENARIO_NOT_FOUND", `scenario name "${name}" is not a-z 0-9 -`);
  const known = listScenarios();
  if (!known.includes(name)) throw new ScenarioError("SCENARIO_NOT_FOUND", `no scenario "${name}" (known: ${known.join(", ")})`);
  return loadScenarioFile(join(SCENARIO_DIR, `${name}.json`));
}

/** Names of the shipped scenarios, sorted. */
export function listScenarios(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}
