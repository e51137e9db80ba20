// A real pseudo-terminal pair (socat), so a virtual device and the bridge talk through a tty like /dev/ttyACM0.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export interface PtyPair {
  /** The end the device opens. */
  readonly devicePath: string;
  /** The end the host opens (what a user would pass as --port). */
  readonly hostPath: string;
  /** Kills socat: both ends vanish, exactly like unplugging a USB serial device. */
  close(): Promise<void>;
}

/** Error with a stable code, e.g. when socat is missing. */
export class PtyError extends Error {
  constructor(
    readonly code: "SOCAT_MISSING" | "SOCAT_FAILED",
    message: string,
  ) {
    super(message);
  }
}

function waitExit(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) resolve();
    else p.once("exit", () => resolve());
  });
}

/**
 * Creates a linked pty pair with socat (raw, no echo). Paths default to a fresh temporary folder;
 * give `dir` and names to re-create the same paths after a simulated unplug.
 */
export async function openPtyPair(opts: { dir?: string; deviceName?: string; hostName?: string; timeoutMs?: number } = {}): Promise<PtyPair> {
  const ownDir = !opts.dir;
  const dir = opts.dir ?? (await mkdtemp(path.join(os.tmpdir(), "thermoguard-pty-")));
  const devicePath = path.join(dir, opts.deviceName ?? "device");
  const hostPath = path.join(dir, opts.hostName ?? "host");
  const proc = spawn("socat", ["-d", "-d", `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${hostPath}`], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  const spawnError = new Promise<Error>((resolve) => proc.once("error", resolve));
  const deadline = Date.now() + (opts.timeoutMs ?? 5000);
  for (;;) {
    const err = await Promise.race([spawnError, new Promise<null>((r) => setTimeout(() => r(null), 10))]);
    if (err) {
      const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
      throw new PtyError(missing ? "SOCAT_MISSING" : "SOCAT_FAILED", missing ? "socat is not installed: run `npm run setup` (or apt-get install socat)" : `socat failed: ${err.message}`);
    }
    if (/starting data transfer loop/.test(stderr) && existsSync(devicePath) && existsSync(hostPath)) break;
    if (proc.exitCode !== null) throw new PtyError("SOCAT_FAILED", `socat exited: ${stderr.trim().split("\n").pop()}`);
    if (Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new PtyError("SOCAT_FAILED", "socat did not create the pty pair in time");
    }
  }
  let closed = false;
  return {
    devicePath,
    hostPath,
    async close() {
      if (closed) return;
      closed = true;
      proc.kill("SIGTERM");
      await waitExit(proc);
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
