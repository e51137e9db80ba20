// Espruino bench entry (bundled by bench/espruino.bench.ts, run in the Espruino Linux interpreter): times every runtime tick of 8 synthetic channels and prints a summary.
// Quoted property names below are Espruino built-ins or output keys: the bundler's property mangling leaves quoted names alone.
import type { ChannelSpec } from "../device/link/channel-spec";
import { DeviceRuntime } from "../device/runtime/device-runtime";
import { ESPRUINO_ALARM_QUEUE, ESPRUINO_HARD_LIMIT, ESPRUINO_HIGH_WATER, ESPRUINO_RESEND_PER_TICK, ESPRUINO_RING } from "../device/espruino/board-config";
import { SyntheticSource } from "../device/synthetic/synthetic-source";

declare function getTime(): number;
declare function print(s: string): void;
declare function quit(): void;
declare const process: { [k: string]: (gc?: boolean) => { [k: string]: number } };

/** The sim bundle's 8-channel layout (device/espruino/main-sim.ts). */
const ROLES = ["nerve", "nerve", "ablation", "reference", "nerve", "nerve", "nerve", "nerve"];
/** 120 s of device time at 10 Hz: the synthetic cycle heats the nerve channels from 60 s, so WARN / PREDICT / INTERVENE fire. */
const SAMPLES = 1200;
const PERIOD_MS = 100;

/** Builds the runtime, ticks it SAMPLES times, prints the summary and exits. */
function main(): void {
  const channels: ChannelSpec[] = [];
  for (let i = 0; i < ROLES.length; i++) channels.push({ label: "sim" + i, role: ROLES[i] as "nerve", tc: "SIM", chip: "SIM" });
  let bytes = 0;
  /** Tick times in 50 µs buckets up to 30 ms (the last one collects everything longer): a plain array of every tick would itself take a variable per sample. */
  const BUCKET_US = 50;
  const hist = new Uint16Array(600);
  let sumUs = 0;
  let maxUs = 0;
  const memBefore = process["memory"](true)["usage"];
  const rt = new DeviceRuntime({
    source: new SyntheticSource(ROLES), channels: channels, rateHz: 10, deviceId: "TG-BENCH", bootId: 1,
    tx: { write: function (s: string) { bytes += s.length; }, backlog: function () { return 0; } },
    ringCapacity: ESPRUINO_RING, alarmQueueCapacity: ESPRUINO_ALARM_QUEUE, resendPerTick: ESPRUINO_RESEND_PER_TICK,
    txHighWaterBytes: ESPRUINO_HIGH_WATER, txHardLimitBytes: ESPRUINO_HARD_LIMIT,
  }, 0);
  const memSetup = process["memory"](true)["usage"];
  let peak = 0;
  for (let k = 1; k <= SAMPLES; k++) {
    const t0 = getTime();
    rt.tick(k * PERIOD_MS);
    const us = (getTime() - t0) * 1e6;
    sumUs += us;
    if (us > maxUs) maxUs = us;
    const b = Math.floor(us / BUCKET_US);
    hist[b < hist.length ? b : hist.length - 1]++;
    if (k % 100 === 0) {
      const u = process["memory"](false)["usage"];
      if (u > peak) peak = u;
    }
  }
  // The source alone, to tell the core's work from the synthetic source's arithmetic.
  const src = new SyntheticSource(ROLES);
  const tempC = new Float64Array(8);
  const fault = new Uint8Array(8);
  const s0 = getTime();
  for (let k = 0; k < 200; k++) src.read(k * PERIOD_MS, tempC, fault);
  const sourceUs = ((getTime() - s0) * 1e6) / 200;
  const memAfter = process["memory"](true);
  // One short line per bucket: building one big JSON text would need more variables than are left.
  for (let i = 0; i < hist.length; i++) if (hist[i] > 0) print("TGBUCKET " + i * BUCKET_US + " " + hist[i]);
  print("TGBENCH " + JSON.stringify({
    "samples": SAMPLES, "bucketUs": BUCKET_US, "sumUs": sumUs, "maxUs": maxUs, "sourceUs": sourceUs, "bytes": bytes, "alarms": rt.monitor.engine.present,
    "memBefore": memBefore, "memSetup": memSetup, "memPeak": peak, "memAfter": memAfter["usage"], "total": memAfter["total"],
  }));
  // quit() is the Linux interpreter's own exit; it only takes effect from a timer, not while the script loads.
  quit();
}

// From a timer: the runner drops console output that comes before the interpreter's banner.
setTimeout(main, 10);
