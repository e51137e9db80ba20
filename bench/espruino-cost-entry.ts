// Espruino cost entry (bundled by bench/espruino.bench.ts, run under the instruction counter): ticks the runtime through TG_N samples in simulated time, prints a summary, quits.
// Globals from the prelude: TG_N samples to tick after the warm-up, TG_CH channels (1..8), TG_STATE "quiet" | "alarm" | "nohost" | "chip" | "chipvary", TG_WORDS.
import { PROTOCOL_MAJOR, PROTOCOL_MINOR } from "../protocol/constants";
import { ChipSource } from "../device/chips/chip-source";
import { ESPRUINO_ALARM_QUEUE, ESPRUINO_HARD_LIMIT, ESPRUINO_HIGH_WATER, ESPRUINO_RESEND_PER_TICK, ESPRUINO_RING } from "../device/espruino/board-config";
import type { ChannelSpec } from "../device/link/channel-spec";
import { encodeLine } from "../device/link/line-encoder";
import { DeviceRuntime } from "../device/runtime/device-runtime";
import type { SampleSource } from "../device/source";
import { SyntheticSource } from "../device/synthetic/synthetic-source";

declare const TG_N: number;
declare const TG_CH: number;
declare const TG_STATE: string;
/** For "chip": MAX31855 words of the probes (the bench makes them with sim/chip-words.ts). */
declare const TG_WORDS: number[];
declare function print(s: string): void;
declare function quit(): void;
declare const process: { [k: string]: (gc?: boolean) => { [k: string]: number } };

/** The sim bundle's channel layout (device/espruino/main-sim.ts): the first TG_CH of these. */
const ROLES = ["nerve", "nerve", "ablation", "reference", "nerve", "nerve", "nerve", "nerve"];
/**
 * Where each state starts (device ms) and how many samples warm it up before the counted ones.
 * Quiet: the synthetic cycle rests until 60 s. Heating: from 112 s the hottest nerve sites cross
 * 40 and 42 degC (WARN, INTERVENE, PREDICT) and keep rising until 150 s; 80 warm-up samples put
 * the counted ones at 120-150 s with those alarms present.
 */
const QUIET_START_MS = 0;
const HEAT_START_MS = 112000;
const WARM_SAMPLES = 80;

/**
 * A fake SPI bus of MAX31855 converters answering the TG_WORDS words (32-bit, one per chip select
 * 0..n-1), MSB first. With TG_STATE "chipvary" every answer differs from the chip's previous one
 * (alternately the word and the word one 0.25 degC step higher), as a probe whose reading moves
 * at every sample: nothing can be reused from the previous decode.
 */
function fakeMax31855Bus(n: number, vary: boolean): { send: (d: ArrayLike<number>, cs: unknown) => ArrayLike<number> } {
  const words: Uint8Array[] = [];
  for (let i = 0; i < 2 * n; i++) {
    const w = TG_WORDS[(i >> 1) % TG_WORDS.length] + (i & 1) * 262144;
    words.push(new Uint8Array([Math.floor(w / 16777216) & 255, Math.floor(w / 65536) & 255, Math.floor(w / 256) & 255, w & 255]));
  }
  const flip = new Uint8Array(n);
  return {
    send: function (d, cs) {
      const i = cs as number;
      if (vary) flip[i] ^= 1;
      return words[2 * i + flip[i]];
    },
  };
}

/** Builds the runtime for the state, warms it up, ticks TG_N samples as the board's loop would, prints the summary and quits. */
function main(): void {
  const n = TG_CH;
  const state = TG_STATE;
  const channels: ChannelSpec[] = [];
  const roles: string[] = [];
  for (let i = 0; i < n; i++) {
    roles.push(ROLES[i]);
    channels.push({ label: "c" + i, role: ROLES[i] as "nerve", tc: state.indexOf("chip") === 0 ? "T" : "SIM", chip: state.indexOf("chip") === 0 ? "MAX31855" : "SIM" });
  }
  let source: SampleSource;
  const chip = state === "chip" || state === "chipvary";
  if (chip) {
    const chans = [];
    for (let i = 0; i < n; i++) chans.push({ chip: "MAX31855" as const, tc: "T" as const, cs: i });
    source = new ChipSource(fakeMax31855Bus(n, state === "chipvary"), chans);
  } else source = new SyntheticSource(roles);
  const host = state !== "nohost";
  let bytes = 0;
  const acks: number[] = [];
  const rt = new DeviceRuntime({
    source: source, channels: channels, rateHz: 10, deviceId: "TG-BENCH", bootId: 1,
    tx: {
      write: function (s: string) {
        bytes += s.length;
        if (host && s.charCodeAt(1) === 65 && s.charCodeAt(2) === 44) acks.push(parseInt(s.substring(3, s.indexOf(",", 3)), 10));
      },
      backlog: function () { return 0; },
    },
    ringCapacity: ESPRUINO_RING, alarmQueueCapacity: ESPRUINO_ALARM_QUEUE, resendPerTick: ESPRUINO_RESEND_PER_TICK,
    txHighWaterBytes: ESPRUINO_HIGH_WATER, txHardLimitBytes: ESPRUINO_HARD_LIMIT,
  }, state === "alarm" || state === "nohost" ? HEAT_START_MS : QUIET_START_MS);
  let t = state === "alarm" || state === "nohost" ? HEAT_START_MS : QUIET_START_MS;
  if (host) rt.receive(encodeLine("HELLO", 1, [PROTOCOL_MAJOR, PROTOCOL_MINOR]), t);
  const m = rt.monitor;
  /** Ticks whenever the runtime asks (samples and output edges), answering each A line with its AK when a host listens. */
  let ticks = 0;
  let alarmLines = 0;
  const run = function (samples: number): void {
    const end = m.samples + samples;
    while (m.samples < end) {
      ticks++;
      alarmLines += acks.length;
      const sleep = rt.tick(t);
      while (acks.length > 0) rt.receive(encodeLine("AK", acks.shift() as number, []), t);
      t += sleep > 1 ? sleep : 1;
    }
  };
  run(WARM_SAMPLES);
  run(TG_N);
  const mem = process["memory"](true);
  print("TGCOST " + JSON.stringify({
    "state": state, "channels": n, "samples": m.samples, "tMs": t, "present": m.engine.present, "retx": rt.link.retx, "ticks": ticks, "acked": alarmLines,
    "bytes": bytes, "used": mem["usage"], "total": mem["total"],
  }));
  quit();
}

// quit() is the Linux interpreter's own exit; it takes effect from a timer, not while the script loads.
setTimeout(main, 10);
