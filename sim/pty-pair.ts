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
  /** Stops socat: both ends vanish, exactly like unplugging a USB serial device. */
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

/**
 * socat runs under a small shell that holds a pipe from this process on fd 3: when this process
 * ends in any way (close(), a crash, SIGKILL) the pipe closes, the shell's `read` returns and it
 * stops socat, so no socat outlives the process that opened the pair. Exit status 127: no socat.
 */
const SOCAT_GUARD = [
  "exec 3<&0 0</dev/null",
  'socat "$@" 3<&- & s=$!',
  "( read _ <&3; kill $s 2>/dev/null ) & w=$!",
  "exec 3<&-",
  "wait $s; st=$?",
  "kill $w 2>/dev/null",
  "exit $st",
].join("\n");
const SHELL_NOT_FOUND = 127;
/** Default most wall ms socat may take to create the pair (a guard: a loaded machine may take seconds). */
const START_GUARD_MS = 15_000;

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
export async function openPtyPair(opts: { dir?: string; deviceName?: string; hostName?: string; /** Default 15 s. */ timeoutMs?: number } = {}): Promise<PtyPair> {
  const ownDir = !opts.dir;
  const dir = opts.dir ?? (await mkdtemp(path.join(os.tmpdir(), "thermoguard-pty-")));
  const devicePath = path.join(dir, opts.deviceName ?? "device");
  const hostPath = path.join(dir, opts.hostName ?? "host");
  const socatArgs = ["-d", "-d", `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${hostPath}`];
  const proc = spawn("sh", ["-c", SOCAT_GUARD, "sh", ...socatArgs], { stdio: ["pipe", "ignore", "pipe"] });
  proc.stdin!.on("error", () => {}); // the guard has gone: nothing left to stop
  /** Ends the pipe the guard reads: it stops socat and exits. */
  const stop = () => proc.stdin!.end();
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  const spawnError = new Promise<Error>((resolve) => proc.once("error", resolve));
  const deadline = Date.now() + (opts.timeoutMs ?? START_GUARD_MS);
  const started = async (): Promise<void> => {
    for (;;) {
      const err = await Promise.race([spawnError, new Promise<null>((r) => setTimeout(() => r(null), 10))]);
      if (err) {
        const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
        throw new PtyError("SOCAT_FAILED", missing ? "sh is not installed" : `socat failed: ${err.message}`);
      }
      if (/starting data transfer loop/.test(stderr) && existsSync(devicePath) && existsSync(hostPath)) return;
      if (proc.exitCode === SHELL_NOT_FOUND) throw new PtyError("SOCAT_MISSING", "socat is not installed: run `npm run setup` (or apt-get install socat)");
      if (proc.exitCode !== null) throw new PtyError("SOCAT_FAILED", `socat exited: ${stderr.trim().split("\n").pop()}`);
      if (Date.now() > deadline) throw new PtyError("SOCAT_FAILED", "socat did not create the pty pair in time");
    }
  };
  try {
    await started();
  } catch (e) {
    stop();
    await waitExit(proc);
    if (ownDir) await rm(dir, { recursive: true, force: true });
    throw e;
  }
  let closed = false;
  return {
    devicePath,
    hostPath,
    async close() {
      if (closed) return;
      closed = true;
      stop();
      await waitExit(proc);
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
