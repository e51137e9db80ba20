// export-csv writes what sim replays: the exported trace parses as a sim trace with the recording's values, and `sim --out` runs it.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsvTrace } from "../../../sim/replay/csv-trace";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-csv-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [path.join(ROOT, "bin/thermoguard.js"), ...args], { timeout: 30_000, env: { ...process.env, THERMOGUARD_TSX: "1" } }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr })),
  );
}

describe("export-csv -> sim round trip", () => {
  it("the exported CSV is a sim trace: labels, times from 0, degC, a fault as a gap, a resent reading in its place", async () => {
    const rec = path.join(dir, "case.ndjson");
    const channels = [
      { ch: 0, label: "canal, L4", role: "nerve", tc: "T", chip: "MAX31855" },
      { ch: 1, label: "zone", role: "ablation", tc: "K", chip: "MAX31856" },
    ];
    const lines: unknown[] = [{ k: "start", atMs: T0, format: 1, bridge: "t", device: null, channels, limits: null, alarms: [], doses: [] }];
    for (let i = 0; i < 300; i++) if (i !== 50) lines.push({ k: "r", atMs: T0 + i * 100, seq: i, tMs: i * 100, v: [i === 120 ? "OC" : 3700 + i, 4000] });
    lines.push({ k: "r", atMs: T0 + 5000, seq: 50, tMs: 5000, v: [3750, 4000], resent: true });
    lines.push({ k: "end", atMs: T0 + 30_000, reason: "t" });
    await writeFile(rec, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");

    const out = path.join(dir, "case.csv");
    const e = await cli(["export-csv", rec, "-o", out]);
    expect(e.stderr).toBe("");
    expect(e.stdout).toBe(`CSV written to ${out} (300 rows)\n`);
    const parsed = parseCsvTrace(await readFile(out, "utf8"));
    if (!parsed.success) throw new Error(parsed.error.message);
    expect(parsed.data.labels).toEqual(["canal_L4", "zone"]);
    expect(parsed.data.timesS.length).toBe(300);
    expect([parsed.data.timesS[0], parsed.data.timesS[50], parsed.data.timesS[299]]).toEqual([0, 5, 29.9]);
    expect([parsed.data.columns[0][50], parsed.data.columns[0][299], parsed.data.columns[1][10]]).toEqual([37.5, 39.99, 40]);
    expect(parsed.data.columns[0][120]).toBeNaN();

    const simOut = path.join(dir, "replayed.csv");
    const s = await cli(["sim", out, "--out", simOut, "--seed", "1"]);
    expect(s.stderr).toBe("");
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/^wrote \d+ samples/);
    expect((await readFile(simOut, "utf8")).split("\n")[0]).toMatch(/^time_s,/);
  }, 60_000);

  it("report and export-csv of a folder are one line with a code, no stack trace", async () => {
    for (const cmd of ["report", "export-csv"]) {
      const r = await cli([cmd, dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`thermoguard: ${dir} is a folder: name one recording (.ndjson) inside it [IS_FOLDER]\n`);
    }
  }, 60_000);
});
