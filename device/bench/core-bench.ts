// Device benchmark for `npm run bench`: core step cost per channel-sample on Node (median of runs) and the Espruino bundle sizes.
import { ROLE_ABLATION, ROLE_NERVE, ROLE_REFERENCE } from "../core/core-constants";
import { Monitor } from "../core/monitor";
import { bundleForEspruino, ESPRUINO_BUNDLES } from "../build/build-espruino";
import { MAX_BUNDLE_BYTES } from "../build/bundle-checks";
import type { ChannelSpec } from "../link/channel-spec";
import { DeviceRuntime } from "../runtime/device-runtime";
import { SyntheticSource } from "../synthetic/synthetic-source";

/** Result of measureCoreCostNsPerChannelSample. */
export interface CoreCost {
  /** Median over runs of Monitor.step time / (samples x channels), ns. */
  stepNsPerChannelSample: number;
  /** Median of the whole runtime tick (source read, step, reading line, doses/status lines) per channel-sample, ns. */
  tickNsPerChannelSample: number;
  channels: number;
  samplesPerRun: number;
  runs: number;
}

const ROLES = [ROLE_NERVE, ROLE_NERVE, ROLE_ABLATION, ROLE_REFERENCE, ROLE_NERVE, ROLE_NERVE, ROLE_NERVE, ROLE_NERVE];
const NAMES = ["nerve", "ablation", "reference"] as const;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Cost of the device core on this machine: 8 channels (6 nerve, 1 ablation, 1 reference, as the
 * Espruino figures), 10 Hz synthetic ablation cycles (so alarms, doses and the trend all work),
 * `samplesPerRun` samples per run after one warm-up run; the median of `runs` runs.
 */
export function measureCoreCostNsPerChannelSample(runs = 9, samplesPerRun = 20000): CoreCost {
  const n = ROLES.length;
  const src = new SyntheticSource(ROLES.map((r) => NAMES[r]));
  const tempC = new Float64Array(n);
  const fault = new Uint8Array(n);
  const trace = new Float64Array(samplesPerRun * n);
  for (let k = 0; k < samplesPerRun; k++) {
    src.read(k * 100, tempC, fault);
    trace.set(tempC, k * n);
  }
  const step: number[] = [];
  const tick: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const m = new Monitor({ roles: ROLES });
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < samplesPerRun; k++) m.step(k * 100, trace.subarray(k * n, k * n + n), fault, 0);
    const ns = Number(process.hrtime.bigint() - t0);
    const channels: ChannelSpec[] = ROLES.map((role, i) => ({ label: "c" + i, role: NAMES[role], tc: "SIM", chip: "SIM" }));
    let bytes = 0;
    const rt = new DeviceRuntime({
      source: new SyntheticSource(channels.map((c) => c.role)), channels, tx: { write: (s) => void (bytes += s.length), backlog: () => 0 },
      deviceId: "BENCH", bootId: 1, ringCapacity: 6000, alarmQueueCapacity: 64, resendPerTick: 20, txHighWaterBytes: 1 << 30, txHardLimitBytes: 1 << 30,
    }, 0);
    const t1 = process.hrtime.bigint();
    for (let k = 1; k <= samplesPerRun; k++) rt.tick(k * 100);
    const ns2 = Number(process.hrtime.bigint() - t1);
    if (r > 0) {
      step.push(ns / (samplesPerRun * n));
      tick.push(ns2 / (samplesPerRun * n));
    }
    if (bytes < 0) throw new Error("unreachable");
  }
  return { stepNsPerChannelSample: median(step), tickNsPerChannelSample: median(tick), channels: n, samplesPerRun, runs };
}

/** Minified sizes (bytes) of the Espruino bundles, as `npm run build:device` writes them. */
export async function measureBundleSizes(): Promise<{ name: string; bytes: number; limitBytes: number }[]> {
  const out: { name: string; bytes: number; limitBytes: number }[] = [];
  for (const b of ESPRUINO_BUNDLES) out.push({ name: b.out, bytes: Buffer.byteLength(await bundleForEspruino(b.entry)), limitBytes: MAX_BUNDLE_BYTES });
  return out;
}

/** The section for BENCHMARKS.md (shape of bench/section.ts). */
export async function run(): Promise<{ title: string; method: string; body: string }> {
  const c = measureCoreCostNsPerChannelSample();
  const sizes = await measureBundleSizes();
  return {
    title: "Device core and Espruino bundles",
    method: `Monitor.step and the whole runtime tick (source read, step, R line, D/S lines) over ${c.samplesPerRun} samples of ${c.channels} channels (${ROLES.filter((r) => r === ROLE_NERVE).length} nerve) of synthetic ablation cycles at 10 Hz; median of ${c.runs} runs after a warm-up, divided by samples x channels. Bundle sizes from the same esbuild settings as build:device.`,
    body: [
      "| measure | value |",
      "|---|---|",
      `| core step per channel-sample (Node) | ${c.stepNsPerChannelSample.toFixed(0)} ns |`,
      `| runtime tick per channel-sample (Node) | ${c.tickNsPerChannelSample.toFixed(0)} ns |`,
      ...sizes.map((s) => `| ${s.name} | ${s.bytes} bytes (limit ${s.limitBytes}) |`),
    ].join("\n"),
  };
}
