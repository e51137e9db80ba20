// The thermoguard executable: help, one-line actionable errors (no stack traces), report and export-csv on a recording.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BUNDLED_PACKAGES, buildCli } from "../../apps/build-cli";
import { COMMANDS } from "../../apps/commands/index";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = path.join(ROOT, "bin/thermoguard.js");
let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-cli-"));
  // npm test built it already; built again here so a bare `vitest run` after an edit tests the current sources
  // (only this file runs the command line, so rebuilding races nothing).
  await buildCli();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 20_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe("thermoguard CLI", () => {
  it("registers every file of apps/commands/ (the list is static so the command line can be bundled)", async () => {
    const files = (await readdir(path.join(ROOT, "apps/commands"))).filter((f) => f.endsWith(".ts") && f !== "index.ts" && !f.endsWith(".test.ts"));
    expect(Object.keys(COMMANDS).sort()).toEqual(files.map((f) => f.replace(/\.ts$/, "")).sort());
  });

  it("runs bundled when dist/thermoguard.mjs is current, through tsx when forced or stale, with the same behaviour", async () => {
    const inputsFile = path.join(ROOT, "dist/thermoguard.inputs.json");
    const inputs = JSON.parse(await readFile(inputsFile, "utf8")) as { inputs: Record<string, number>; packages: Record<string, string> };
    expect(Object.keys(inputs.inputs)).toEqual(expect.arrayContaining(["host/bridge.ts", "apps/main.ts", "protocol/decode.ts"]));
    // The bundled packages are recorded by version (serialport, with its native binding, stays in node_modules).
    const versions = Object.fromEntries(
      await Promise.all(BUNDLED_PACKAGES.map(async (p) => [`node_modules/${p}/package.json`, (JSON.parse(await readFile(path.join(ROOT, "node_modules", p, "package.json"), "utf8")) as { version: string }).version])),
    );
    expect(inputs.packages).toEqual(versions);
    const bundled = await run(["bridge", "--listen", "nonsense"], { THERMOGUARD_LAUNCH_INFO: "1" });
    const viaTsx = await run(["bridge", "--listen", "nonsense"], { THERMOGUARD_LAUNCH_INFO: "1", THERMOGUARD_TSX: "1" });
    const [launchB, ...restB] = bundled.stderr.split("\n");
    const [launchT, ...restT] = viaTsx.stderr.split("\n");
    expect(launchB).toBe("thermoguard: running dist/thermoguard.mjs");
    expect(launchT).toBe("thermoguard: running apps/main.ts through tsx");
    expect(restB).toEqual(restT);
    expect([bundled.code, viaTsx.code]).toEqual([1, 1]);
    // A source edited after the build (mtime changed) makes the launcher fall back to tsx.
    const src = path.join(ROOT, "apps/user-error.ts");
    const st = await stat(src);
    await utimes(src, st.atime, new Date(st.mtimeMs + 1000));
    try {
      expect((await run(["--help"], { THERMOGUARD_LAUNCH_INFO: "1" })).stderr).toContain("through tsx");
    } finally {
      // Back to the recorded whole-ms mtime: half a ms past it, as seconds (a Date can round to the ms before).
      await utimes(src, st.atime, (Math.floor(st.mtimeMs) + 0.5) / 1000);
      await buildCli(); // whatever the restored mtime rounded to, the bundle is current again
    }
    expect((await run(["--help"], { THERMOGUARD_LAUNCH_INFO: "1" })).stderr).toContain("dist/thermoguard.mjs");
    // A bundled package at another version than the bundle was built with (an update) does too.
    await writeFile(inputsFile, JSON.stringify({ ...inputs, packages: { ...inputs.packages, "node_modules/zod/package.json": "0.0.1" } }));
    try {
      expect((await run(["--help"], { THERMOGUARD_LAUNCH_INFO: "1" })).stderr).toContain("through tsx");
    } finally {
      await buildCli();
    }
    expect((await run(["--help"], { THERMOGUARD_LAUNCH_INFO: "1" })).stderr).toContain("dist/thermoguard.mjs");
  });

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
