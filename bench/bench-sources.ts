// Synthetic sample sources for the bridge benchmarks: a calm wave (no alarms) and a wave whose channels cross 42 degC in turn, both timestamping every read.
import { FAULT_NONE, type SampleSource } from "../device/source";
import { monoMs } from "./mono-clock";

/** Base class: remembers, per device time tMs, the monotonic ms at which read() returned. */
abstract class TimedSource implements SampleSource {
  /** Monotonic ms at which read(nowMs) returned, keyed by nowMs (= the tMs of that sample's R line). */
  readonly readAt = new Map<number, number>();
  constructor(readonly channelCount: number) {}
  protected abstract fill(k: number, tempC: Float64Array): void;
  private k = 0;

  read(nowMs: number, tempC: Float64Array, fault: Uint8Array): void {
    this.fill(this.k++, tempC);
    for (let i = 0; i < this.channelCount; i++) fault[i] = FAULT_NONE;
    this.stamp(nowMs);
  }

  protected stamp(nowMs: number): void {
    this.readAt.set(nowMs, monoMs());
    if (this.readAt.size > 20_000) this.readAt.delete(this.readAt.keys().next().value as number);
  }
}

/**
 * Every channel wanders between 36.5 and 38.6 degC, at most 0.1 degC/s: below WARN 40 degC and too slow for PREDICT
 * (42 degC is over 30 s away at that slope), so the device sends readings, doses and status but no alarm lines.
 */
export class WaveSource extends TimedSource {
  protected fill(k: number, tempC: Float64Array): void {
    for (let i = 0; i < this.channelCount; i++) tempC[i] = 37.5 + Math.sin(k / 100 + i * 0.7) + 0.01 * ((k * 7 + i * 3) % 11);
  }
}

/** A crossing of the intervene limit: channel, device time of the sample, monotonic ms when read() returned it. */
export interface Crossing {
  ch: number;
  tMs: number;
  atMs: number;
}

/** Samples per cycle of CrossingSource (2 s at 10 Hz). */
export const CROSSING_CYCLE = 20;
/**
 * Resting and hot temperatures of CrossingSource (degC): above WARN, then across INTERVENE 42.00 and back below its
 * 0.2 degC hysteresis. The 1.0 degC step stays inside the device's spike allowance (1 degC + 2 degC/s x 0.1 s).
 */
export const CROSSING_REST_C = 41.5;
export const CROSSING_HOT_C = 42.5;

/**
 * Channel ch rests at 41.5 degC and is at 42.5 degC for samples 2ch+2 and 2ch+3 of every 20-sample
 * cycle, so the channels cross 42 degC one after another, 4 crossings per second at 10 Hz. The 1 degC
 * step is within the device's spike rule, so the alarm fires on the crossing sample itself:
 * INTERVENE RAISE the first time, UPDATE active=1 afterwards (latched, not acknowledged).
 */
export class CrossingSource extends TimedSource {
  readonly crossings: Crossing[] = [];
  private hot: boolean[] = [];
  private pendingCross: number[] = [];

  protected fill(k: number, tempC: Float64Array): void {
    const p = k % CROSSING_CYCLE;
    this.pendingCross.length = 0;
    for (let i = 0; i < this.channelCount; i++) {
      const hot = p === 2 * i + 2 || p === 2 * i + 3;
      tempC[i] = hot ? CROSSING_HOT_C : CROSSING_REST_C;
      if (hot && !this.hot[i] && k >= CROSSING_CYCLE) this.pendingCross.push(i);
      this.hot[i] = hot;
    }
  }

  override read(nowMs: number, tempC: Float64Array, fault: Uint8Array): void {
    super.read(nowMs, tempC, fault);
    const at = this.readAt.get(nowMs)!;
    for (const ch of this.pendingCross) this.crossings.push({ ch: ch, tMs: nowMs, atMs: at });
  }
}
