// Bridge cost at 8 channels x 10 Hz with 1, 10 and 50 reading ws clients: CPU % of one core and RSS, side by side with the bare relay and Node-RED fed the same lines.
import { RELAY_NAMES, type RelayKind } from "./bench-client";
import { BENCH_CHANNELS, BENCH_RATE_HZ } from "./bench-device";
import { WaveSource } from "./bench-sources";
import { nodeRedLabel } from "./node-red-install";
import { startPair, type Side } from "./relay-pair";
import type { Usage } from "./relay-proc";
import type { BenchSection, TargetResult } from "./section";
import { median, percentile, sleep, spread } from "./stats";

const CLIENT_COUNTS = [1, 10, 50];
/** Long enough for V8 to have optimised the relays' hot paths at 10 Hz (with 2.5 s the bridge's JIT compiles still showed). */
const WARMUP_MS = 20_000;
/** After adding clients (their snapshots, new sockets). */
const SETTLE_MS = 3000;
const WINDOWS = 5;
const WINDOW_MS = 3000;

interface Phase {
  clients: number;
  cpuPct: Record<RelayKind, number[]>;
  rssMiB: Record<RelayKind, number[]>;
  latency: Record<RelayKind, number[]>;
  framesPerS: Record<RelayKind, number>;
  /** Rows per second at the slowest client (every client must read everything). */
  minRowsPerS: Record<RelayKind, number>;
  lineTypes: Record<string, number>;
}

const perKind = <T>(make: () => T): Record<RelayKind, T> => ({ bridge: make(), baseline: make(), "node-red": make() });

export async function run(): Promise<BenchSection> {
  const pair = await startPair(() => new WaveSource(BENCH_CHANNELS));
  const KINDS = pair.kinds;
  const phases: Phase[] = [];
  let measuring = false;
  let phase: Phase | undefined;
  const lineTypes: Record<string, number> = {};
  const setup = (side: Side<WaveSource>, c: import("./bench-client").BenchClient) => {
    c.handlers = {
      onRow(_seq, tMs, atMs) {
        const readAt = side.src.readAt.get(tMs);
        if (measuring && readAt !== undefined) phase!.latency[side.kind].push(atMs - readAt);
      },
    };
  };
  try {
    // Count the device's line types once, at the bare relay's first client (it sees every line).
    await pair.connect(1, setup);
    pair.baseline.clients[0].ws.on("message", (d: Buffer) => {
      if (measuring) {
        const t = d.toString("latin1", 1, d.indexOf(44));
        lineTypes[t] = (lineTypes[t] ?? 0) + 1;
      }
    });
    await sleep(WARMUP_MS);
    for (const n of CLIENT_COUNTS) {
      const more = n - pair.bridge.clients.length;
      if (more > 0) {
        await pair.connect(more, setup);
        await sleep(SETTLE_MS);
      }
      const p: Phase = {
        clients: n,
        cpuPct: perKind<number[]>(() => []),
        rssMiB: perKind<number[]>(() => []),
        latency: perKind<number[]>(() => []),
        framesPerS: perKind(() => 0),
        minRowsPerS: perKind(() => 0),
        lineTypes: {},
      };
      phase = p;
      const rows0 = KINDS.map((k) => pair.side(k).clients.map((c) => c.rows));
      const frames0 = KINDS.map((k) => pair.side(k).clients[0].frames);
      for (const k of Object.keys(lineTypes)) delete lineTypes[k];
      let prev = await Promise.all(KINDS.map((k) => pair.side(k).relay.usage()));
      const start = prev.map((u) => u.atMs);
      measuring = true;
      for (let w = 0; w < WINDOWS; w++) {
        await sleep(WINDOW_MS);
        const now: Usage[] = await Promise.all(KINDS.map((k) => pair.side(k).relay.usage()));
        KINDS.forEach((k, i) => {
          p.cpuPct[k].push(((now[i].cpuUs - prev[i].cpuUs) / 1000 / (now[i].atMs - prev[i].atMs)) * 100);
          p.rssMiB[k].push(now[i].rss / 2 ** 20);
        });
        prev = now;
      }
      measuring = false;
      KINDS.forEach((k, i) => {
        const secs = (prev[i].atMs - start[i]) / 1000;
        p.minRowsPerS[k] = Math.min(...pair.side(k).clients.map((c, j) => (c.rows - rows0[i][j]) / secs));
        p.framesPerS[k] = (pair.side(k).clients[0].frames - frames0[i]) / secs;
      });
      const secs = (prev[1].atMs - start[1]) / 1000;
      for (const [t, c] of Object.entries(lineTypes)) p.lineTypes[t] = c / secs;
      phases.push(p);
    }
  } finally {
    await pair.close();
  }

  const targets: TargetResult[] = [];
  let body =
    `| ws clients | relay | CPU % of one core: median (min–max of ${WINDOWS} windows) | RSS MiB (median) | reading latency p50 / p99 (ms, all clients) | ws frames/s per client | rows/s at the slowest client |\n` +
    `|---|---|---|---|---|---|---|\n`;
  for (const p of phases) {
    for (const k of KINDS) {
      const l = spread(p.latency[k]);
      const c = p.cpuPct[k];
      body += `| ${p.clients} | ${RELAY_NAMES[k]} | ${median(c).toFixed(2)} (${Math.min(...c).toFixed(2)}–${Math.max(...c).toFixed(2)}) | ${median(p.rssMiB[k]).toFixed(1)} | ${l.p50.toFixed(2)} / ${l.p99.toFixed(2)} | ${p.framesPerS[k].toFixed(1)} | ${p.minRowsPerS[k].toFixed(1)} |\n`;
    }
  }
  const others = KINDS.filter((k) => k !== "bridge");
  body += `\n| ws clients | ${others.map((k) => `CPU ratio bridge / ${RELAY_NAMES[k]}: median of per-window ratios (min–max) | ratio of medians | RSS ratio`).join(" | ")} |\n|---|${others.map(() => "---|---|---|").join("")}\n`;
  for (const p of phases) {
    const cells: string[] = [];
    for (const k of others) {
      const perWindow = p.cpuPct.bridge.map((b, i) => b / p.cpuPct[k][i]!);
      const ratio = median(perWindow);
      cells.push(`**${ratio.toFixed(2)}** (${Math.min(...perWindow).toFixed(2)}–${Math.max(...perWindow).toFixed(2)}) | ${(median(p.cpuPct.bridge) / median(p.cpuPct[k])).toFixed(2)} | ${(median(p.rssMiB.bridge) / median(p.rssMiB[k])).toFixed(2)}`);
      const clients = `8 ch x 10 Hz, ${p.clients} ws client${p.clients > 1 ? "s" : ""}`;
      targets.push({
        target: k === "baseline" ? `Bridge CPU no more than the bare relay's: ${clients}` : `Bridge CPU below Node-RED's: ${clients}`,
        figure: `${median(p.cpuPct.bridge).toFixed(2)} % vs ${median(p.cpuPct[k]).toFixed(2)} % of one core; ratio ${ratio.toFixed(2)}`,
        met: k === "baseline" ? ratio <= 1 : ratio < 1,
      });
    }
    body += `| ${p.clients} | ${cells.join(" | ")} |\n`;
  }
  if (pair.nodeRedError) body += `\nNode-RED did not run in this run: ${pair.nodeRedError}\n`;
  const lt = phases[0].lineTypes;
  const total = Object.values(lt).reduce((a, b) => a + b, 0);
  body += `\nLines from the device: ${total.toFixed(1)}/s (${Object.entries(lt).map(([t, c]) => `${t} ${c.toFixed(1)}`).join(", ")}). `;
  body += `The bridge sends one ws frame per serial chunk (a JSON array of the messages that chunk produced; the once-a-second status rides in one of them); the bare relay and Node-RED send one frame per line.\n`;
  void percentile;
  void pair;
  return {
    title: "Bridge cost at 8 channels x 10 Hz: CPU and memory with 1, 10 and 50 clients",
    method:
      `The real device runtime (startNodeDevice, 8 nerve channels, ${BENCH_RATE_HZ} Hz, a calm synthetic wave of 36.5–38.6 °C, too slow for PREDICT: readings, doses and status, no alarm lines, so both relays get byte-identical traffic), ` +
      `one per relay, each on its own socat pty. The bridge (validation, state, dose recomputation, recording to a temporary folder), the bare relay (serialport + readline + ws) and Node-RED ${nodeRedLabel(pair.nodeRed !== null)} run as child processes at the same time, ` +
      `so both see the same machine load; the clients run in the bench process and each parses every frame it receives. ${WARMUP_MS / 1000} s warm-up with 1 client (V8 needs that long at 10 Hz to optimise the hot paths), ` +
      `then for 1, 10 and 50 clients (added, ${SETTLE_MS / 1000} s to settle): ${WINDOWS} windows of ${WINDOW_MS / 1000} s. CPU % = delta of the child's process.cpuUsage() (user + system, every thread) ` +
      `over the window's wall time; RSS from process.memoryUsage() at the end of each window. The ratio is taken per window (both relays measured over the same seconds), then the median.`,
    body: body,
    targets: targets,
  };
}
