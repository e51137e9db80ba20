// The thermoguard executable: help, one-line actionable errors (no stack traces), report and export-csv on a recording.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../bin/thermoguard.js", import.meta.url));
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-cli-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 20_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe("thermoguard CLI", () => {
  it("lists the subcommands in --help", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["bridge", "report", "export-csv"]) expect(r.stdout).toContain(c);
    const b = await run(["bridge", "--help"]);
    for (const o of ["--port", "--baud", "--listen", "--token", "--record-dir", "--allow-origin"]) expect(b.stdout).toContain(o);
  });

  it("prints one actionable line with a stable code, no stack trace, exit 1", async () => {
    const r = await run(["bridge", "--port", path.join(dir, "ttyNOPE"), "--listen", "127.0.0.1:0", "--no-record"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^thermoguard: serial port .* does not exist.* \[PORT_NOT_FOUND\]$/m);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    const l = await run(["bridge", "--listen", "nonsense"]);
    expect(l.stderr.trim()).toBe('thermoguard: --listen: expected host:port such as 127.0.0.1:8420, got "nonsense"');
    const m = await run(["report", path.join(dir, "missing.ndjson")]);
    expect(m.stderr).toMatch(/does not exist \[NO_FILE\]/);
  });

  it("writes the report and the CSV of a recording", async () => {
    const T0 = Date.UTC(2026, 0, 1);
    const lines = [
      { k: "start", atMs: T0, format: 1, bridge: "t", device: null, channels: [{ ch: 0, label: "canal", role: "nerve", tc: "T", chip: "SIM" }], limits: null, alarms: [], doses: [] },
      { k: "r", atMs: T0, seq: 0, tMs: 0, v: [3700] },
      { k: "r", atMs: T0 + 100, seq: 1, tMs: 100, v: [4321] },
      { k: "end", atMs: T0 + 200, reason: "t" },
    ];
    const file = path.join(dir, "s.ndjson");
    await writeFile(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const r = await run(["report", file, "-o", path.join(dir, "r.html")]);
    expect(r.code).toBe(0);
    expect(await readFile(path.join(dir, "r.html"), "utf8")).toContain("43.21 °C");
    const c = await run(["export-csv", file, "-o", "-"]);
    expect(c.stdout.split("\n")[2]).toContain(",43.21");
  });
});
