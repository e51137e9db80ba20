// Time to the first reading: from the bridge's start (and from process spawn) to the first reading row at a ws client that was waiting for it.
import { BenchClient, type RelayKind } from "./bench-client";
import { BENCH_CHANNELS, BENCH_RATE_HZ, startBenchDevice } from "./bench-device";
import { WaveSource } from "./bench-sources";
import { monoMs } from "./mono-clock";
import { ensureNodeRed, nodeRedVersion } from "./node-red-install";
import { freePort, startRelay } from "./relay-proc";
import type { BenchSection, TargetResult } from "./section";
import { fmtSpread, sleep, spread } from "./stats";

const RUNS = 5;
/** Target: first reading at a client within this of the bridge's start. */
export const FIRST_READING_TARGET_MS = 400;

interface Start {
  /** First reading at the client minus startBridge() called (bridge only). */
  fromCall: number;
  /** ... minus the child's process start, and minus the moment the bench spawned it. */
  fromOrigin: number;
  fromSpawn: number;
  /** Bridge: startBridge() resolved (handshake done) minus called. */
  handshake: number;
}

/** The bridge run through tsx (sources compiled at start) or bundled (as `thermoguard` runs after `npm run build:cli`), the bare relay, Node-RED. */
type Variant = "bridge" | "bridge-bundled" | "baseline" | "node-red";
const VARIANTS: Variant[] = ["bridge-bundled", "bridge", "baseline", "node-red"];
/** Most a relay may take to deliver its first reading (a guard; Node-RED loads its palette first). */
const FIRST_READING_GUARD_MS = 30_000;

async function once(variant: Variant, phaseMs: number): Promise<Start> {
  const kind: RelayKind = variant === "baseline" || variant === "node-red" ? variant : "bridge";
  const dev = await startBenchDevice(new WaveSource(BENCH_CHANNELS));
  // Start the relay at a different point of the device's 100 ms sample period each run.
  await sleep(300 + phaseMs);
  let connecting: Promise<BenchClient> | undefined;
  let client: BenchClient | undefined;
  try {
    // The client starts knocking as soon as the child is forked, as a dashboard left open would.
    const relay = await startRelay(kind, dev.hostPath, await freePort(), (url) => (connecting = BenchClient.connectRetry(url, kind, FIRST_READING_GUARD_MS, 2)), { bundled: variant === "bridge-bundled" });
    try {
      client = await connecting!;
      const deadline = monoMs() + FIRST_READING_GUARD_MS;
      while (client.firstRowAtMs === null && monoMs() < deadline) await sleep(2);
      if (client.firstRowAtMs === null) throw new Error(`${kind}: no reading within ${FIRST_READING_GUARD_MS / 1000} s of start`);
      const m = relay.marks;
      const first = client.firstRowAtMs;
          return { fromCall: m.callMs === undefined ? NaN : first - m.callMs, fromOrigin: first - m.originMs, fromSpawn: first - m.spawnMs, handshake: m.readyMs === undefined ? NaN : m.readyMs - m.callMs! };
    } finally {
      client?.close();
      await relay.stop();
    }
  } finally {
    await dev.close();
  }
}

export async function run(): Promise<BenchSection> {
  const res: Record<Variant, Start[]> = { bridge: [], "bridge-bundled": [], baseline: [], "node-red": [] };
  let variants = VARIANTS;
  let nodeRedError = "";
  try {
    await ensureNodeRed((m) => console.log(m));
  } catch (e) {
    nodeRedError = (e as Error).message;
    variants = VARIANTS.filter((v) => v !== "node-red");
  }
  for (let i = 0; i < RUNS; i++) for (const v of variants) res[v].push(await once(v, (i * 1000) / BENCH_RATE_HZ / RUNS));
  const NAMES: Record<Variant, string> = {
    "bridge-bundled": "bridge, bundled (`thermoguard` after `npm run build:cli`)", bridge: "bridge through tsx", baseline: "bare relay (tsx)",
    "node-red": `Node-RED ${variants.includes("node-red") ? nodeRedVersion() : ""} (embedded in a tsx child, editor off)`,
  };
  let body = `| relay | from startBridge() called: p50 / p99 / max (ms) | handshake done (ms, median) | from process start (ms) | from spawn by the bench: p50 / p99 / max (ms) |\n|---|---|---|---|---|\n`;
  for (const v of variants) {
    const b = res[v];
    const bridge = v === "bridge" || v === "bridge-bundled";
    body += `| ${NAMES[v]} | ${bridge ? fmtSpread(spread(b.map((x) => x.fromCall)), 0) : "–"} | ${bridge ? spread(b.map((x) => x.handshake)).p50.toFixed(0) : "–"} | ${fmtSpread(spread(b.map((x) => x.fromOrigin)), 0)} | ${fmtSpread(spread(b.map((x) => x.fromSpawn)), 0)} |\n`;
  }
  body += `\nFrom process start the figures include Node's start and loading the modules: through tsx that is compiling the TypeScript sources on the fly (the bridge loads more modules than the bare relay); bundled, plain JavaScript. The device samples every ${1000 / BENCH_RATE_HZ} ms, so up to one period of each figure is waiting for the next sample after the handshake.\n`;
  if (nodeRedError) body += `\nNode-RED did not run in this run: ${nodeRedError}\n`;
  else body += `Node-RED's figure includes loading its runtime and palette (about 90 node types) before the flow starts.\n`;
  const call = spread(res["bridge-bundled"].map((x) => x.fromCall));
  const spawn = spread(res["bridge-bundled"].map((x) => x.fromSpawn));
  const spawnTsx = spread(res.bridge.map((x) => x.fromSpawn));
  const targets: TargetResult[] = [
    {
      target: `First reading at a client within ${FIRST_READING_TARGET_MS} ms of the bridge's start (process spawn, as \`thermoguard\` runs it)`,
      figure: `max ${spawn.max.toFixed(0)} ms from process spawn (median ${spawn.p50.toFixed(0)}); from startBridge() max ${call.max.toFixed(0)} ms; through tsx median ${spawnTsx.p50.toFixed(0)} ms from spawn`,
      met: spawn.max <= FIRST_READING_TARGET_MS,
    },
  ];
  return {
    title: "Time to the first reading",
    method:
      `${RUNS} starts of each relay (the bridge bundled and through tsx, the bare relay, Node-RED with one \`serial in\` -> \`websocket out\` flow), alternating: a fresh pty with the real device runtime already sampling (8 channels, ${BENCH_RATE_HZ} Hz; each run starts the relay at another point of the sample period, evenly spread), the relay forked as a child process, and a ws client that starts connecting ` +
      `(every 2 ms until the server listens) the moment the child is forked. Figures: arrival of the first frame carrying a reading (a snapshot with history or a readings message) minus ` +
      `the child's startBridge() call, its process start (performance.timeOrigin), and the bench's fork() call, all on the machine's monotonic clock.`,
    body: body,
    targets: targets,
  };
}
