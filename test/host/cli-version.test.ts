// `thermoguard --version` prints the package's version and exits 0.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { packageVersion } from "../../apps/main";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;

describe("--version", () => {
  it("is package.json's version, on the command line too", async () => {
    expect(packageVersion()).toBe(VERSION);
    const r = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(process.execPath, [path.join(ROOT, "bin/thermoguard.js"), "--version"], { timeout: 30_000, env: { ...process.env, THERMOGUARD_TSX: "1" } }, (err, stdout) => resolve({ code: err ? 1 : 0, stdout })),
    );
    expect(r).toEqual({ code: 0, stdout: VERSION + "\n" });
  }, 40_000);
});
