// Starts the bridge, the bare baseline relay or Node-RED as a child process on a serial path and reads its CPU time and RSS over IPC.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RelayKind } from "./bench-client";
import { monoMs } from "./mono-clock";
import { ensureNodeRed } from "./node-red-install";

const CHILD: Record<RelayKind, string> = {
  bridge: fileURLToPath(new URL("./bridge-child.ts", import.meta.url)),
  baseline: fileURLToPath(new URL("./baseline-relay.ts", import.meta.url)),
  "node-red": fileURLToPath(new URL("./node-red-child.ts", import.meta.url)),
};
/** Token the bench passes to the bridge (control commands are not used, but the option is real). */
export const BENCH_TOKEN = "bench-token-0123456789";

/** One CPU / memory reading of the child: cumulative user + system CPU µs, resident set bytes. */
export interface Usage {
  cpuUs: number;
  rss: number;
  /** Bridge only: its counters (lines, bad lines, dropped rows, ...). */
  counters?: Record<string, unknown>;
  /** Monotonic ms when the reply arrived. */
  atMs: number;
}

/** Start marks on the shared monotonic clock (ms). */
export interface StartMarks {
  /** Monotonic ms the bench spawned the child. */
  spawnMs: number;
  /** The child process's own start (its performance.timeOrigin). */
  originMs: number;
  /** Bridge: startBridge() called / resolved (handshake done). */
  callMs?: number;
  readyMs?: number;
}

export interface RelayProc {
  kind: RelayKind;
  pid: number;
  wsUrl: string;
  marks: StartMarks;
  usage(): Promise<Usage>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (listen on 0, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Forks the relay (node --import tsx) on `serialPath` with its WebSocket on `wsPort`, resolving once
 * it says ready (bridge: handshake done; baseline: listening). `onSpawn` runs right after the fork,
 * e.g. to start connecting a client before the relay is ready.
 */
/**
 * The bridge child bundled as `npm run build:cli` bundles the command line (NODE_BUNDLE_OPTIONS), into
 * dist/ so its packages resolve from node_modules; built once per bench run.
 */
let bundledChild: Promise<string> | null = null;
function bundleBridgeChild(): Promise<string> {
  bundledChild ??= (async () => {
    const out = fileURLToPath(new URL("../dist/bench/bridge-child.mjs", import.meta.url));
    const esbuild = await import("esbuild");
    const { NODE_BUNDLE_OPTIONS } = await import("../apps/build-cli");
    await esbuild.build({ entryPoints: [CHILD.bridge], outfile: out, ...NODE_BUNDLE_OPTIONS });
    return out;
  })();
  return bundledChild;
}

export async function startRelay(kind: RelayKind, serialPath: string, wsPort: number, onSpawn?: (wsUrl: string) => void, opts: { record?: boolean; bundled?: boolean } = {}): Promise<RelayProc> {
  // The bridge's recording folder, or Node-RED's flow file: a temporary folder removed at stop.
  const tmpDir = kind !== "baseline" && opts.record !== false ? await mkdtemp(path.join(os.tmpdir(), "tg-bench-rec-")) : "";
  const recordDir = kind === "bridge" ? tmpDir : "";
  const args =
    kind === "bridge" ? [serialPath, String(wsPort), recordDir || "-", BENCH_TOKEN]
    : kind === "node-red" ? [serialPath, String(wsPort), await ensureNodeRed((m) => console.log(m)), path.join(tmpDir, "flows.json")]
    : [serialPath, String(wsPort)];
  const wsUrl = kind === "baseline" ? `ws://127.0.0.1:${wsPort}/` : `ws://127.0.0.1:${wsPort}/ws`;
  // BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/p" (or --trace-gc, ...): extra node flags for the relays, to see where their time goes.
  const extra = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  // Bundled: plain node on the prebuilt bridge (built before the clock starts), as bin/thermoguard.js runs
  // dist/thermoguard.mjs; else tsx on the sources.
  const bundled = opts.bundled === true && kind === "bridge";
  const script = bundled ? await bundleBridgeChild() : CHILD[kind];
  const execArgv = bundled ? extra : ["--import", "tsx", ...extra];
  const spawnMs = monoMs();
  const child: ChildProcess = fork(script, args, { execArgv: execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  onSpawn?.(wsUrl);
  const waiting: ((u: Usage) => void)[] = [];
  let exited = false;
  const exit = new Promise<void>((r) => child.once("exit", () => ((exited = true), r())));
  const marks = await new Promise<StartMarks>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${kind} relay not ready within 20 s`)), 20_000);
    child.once("exit", (code) => reject(new Error(`${kind} relay exited with code ${code} before it was ready`)));
    child.on("message", (m: { ready?: boolean; marks?: Omit<StartMarks, "spawnMs">; usage?: NodeJS.CpuUsage; rss?: number; counters?: Record<string, unknown> }) => {
      if (m.ready) {
        clearTimeout(t);
        resolve({ spawnMs: spawnMs, ...m.marks! });
      } else if (m.usage) waiting.shift()?.({ cpuUs: m.usage.user + m.usage.system, rss: m.rss!, counters: m.counters, atMs: monoMs() });
    });
  }).catch(async (e) => {
    child.kill("SIGKILL");
    if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
    throw e;
  });
  return {
    kind: kind,
    pid: child.pid!,
    wsUrl: wsUrl,
    marks: marks,
    usage: () =>
      new Promise<Usage>((resolve, reject) => {
        if (exited) return reject(new Error(`${kind} relay has exited`));
        waiting.push(resolve);
        child.send({ cmd: "usage" });
      }),
    async stop() {
      if (!exited) child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exit;
      clearTimeout(t);
      if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
    },
  };
}
