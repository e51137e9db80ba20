// The pty pair: both ends vanish on close, and no socat outlives the process that opened it (crash or SIGKILL).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openPtyPair } from "../../sim/pty-pair";

const CHILD = fileURLToPath(new URL("./support/pty-child.ts", import.meta.url));
/** Most a process may take to go away: a guard against a hang, not a speed bound. */
const GUARD_MS = 20_000;

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) {
    for (const pid of socatsIn(d)) process.kill(pid, "SIGKILL"); // only when a test failed: leave nothing running
    await rm(d, { recursive: true, force: true });
  }
});

/** PIDs of socat processes whose command line names `dir` (their pty links live there). */
function socatsIn(dir: string): number[] {
  const pids: number[] = [];
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${p}/cmdline`, "latin1");
    } catch {
      continue; // gone meanwhile
    }
    const argv = cmd.split("\0");
    if (path.basename(argv[0] ?? "") === "socat" && cmd.includes(dir + "/")) pids.push(Number(p));
  }
  return pids;
}

/** Starts the child; resolves with the pair's folder once it has opened the pair. */
function startChild(how: "crash" | "wait"): Promise<{ dir: string; exited: Promise<void>; kill: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, how], { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n")[0]!;
      if (out.includes("\n")) {
        const dir = path.dirname(line);
        dirs.push(dir);
        resolve({ dir, exited, kill: () => child.kill("SIGKILL") });
      }
    });
    child.stderr!.resume();
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before opening the pair: ${out}`)));
  });
}

describe("pty pair", () => {
  it("close() removes both ends and stops its socat", async () => {
    const pty = await openPtyPair();
    const dir = path.dirname(pty.devicePath);
    expect(existsSync(pty.devicePath) && existsSync(pty.hostPath)).toBe(true);
    expect(socatsIn(dir)).toHaveLength(1);
    await pty.close();
    expect(existsSync(pty.devicePath) || existsSync(pty.hostPath)).toBe(false);
    expect(socatsIn(dir)).toEqual([]);
  });

  it("a process that crashes with an uncaught exception leaves no socat behind", async () => {
    const c = await startChild("crash");
    await c.exited;
    await vi.waitFor(() => expect(socatsIn(c.dir)).toEqual([]), { timeout: GUARD_MS, interval: 20 });
  }, 2 * GUARD_MS);

  it("a process killed with SIGKILL (no exit handler runs) leaves no socat behind", async () => {
    const c = await startChild("wait");
    expect(socatsIn(c.dir)).toHaveLength(1);
    c.kill();
    await c.exited;
    await vi.waitFor(() => expect(socatsIn(c.dir)).toEqual([]), { timeout: GUARD_MS, interval: 20 });
  }, 2 * GUARD_MS);
});
