// The whole device as one object with time passed in: deadline, source, monitor, link, outputs. Shells own timers and I/O.
import { FAULT_NO_CHIP, type SampleSource } from "../source";
import type { LimitValues } from "../../protocol/limits";
import type { Outputs } from "../core/annunciator";
import { DEFAULT_RATE_HZ, MAX_RATE_HZ, MIN_RATE_HZ, ROLE_ABLATION, ROLE_NERVE, ROLE_REFERENCE } from "../core/core-constants";
import { Deadline } from "../core/deadline";
import { Monitor } from "../core/monitor";
import type { Store } from "../core/snapshot";
import type { ChannelSpec } from "../link/channel-spec";
import { DeviceLink, type LinkOptions } from "../link/device-link";
import type { Tx } from "../link/tx";

/** Firmware version reported in HI. */
export const FIRMWARE_VERSION = "0.1.0";

/** The link sizes a target chooses (documented on LinkOptions). */
type LinkSizes = Pick<LinkOptions, "ringCapacity" | "alarmQueueCapacity" | "resendPerTick" | "txHighWaterBytes" | "txHardLimitBytes" | "retransmitMs">;

/** Everything a target supplies. Sizes differ per target (Node / Espruino defaults in their shells). */
export interface RuntimeConfig extends LinkSizes {
  source: SampleSource;
  channels: ChannelSpec[];
  tx: Tx;
  /** Sample rate, integer 1..20 Hz (default 10). */
  rateHz?: number;
  deviceId: string;
  /** Firmware text for HI (default FIRMWARE_VERSION). */
  fw?: string;
  /** Random 32-bit boot id. */
  bootId: number;
  store?: Store;
  outputs?: Outputs;
  limits?: LimitValues;
}

function roleCode(role: string): number {
  return role === "nerve" ? ROLE_NERVE : role === "ablation" ? ROLE_ABLATION : ROLE_REFERENCE;
}

/**
 * The device runtime, pure apart from its interfaces: the shell calls `tick(nowMs)` whenever it
 * wakes and sleeps for the returned number of ms; it calls `receive(chunk, nowMs)` for host bytes.
 * A tick that finds a sample instant due reads the source once (stamped nowMs), steps the
 * monitor, and writes the link's lines; any tick retransmits alarms and drives the outputs.
 */
export class DeviceRuntime {
  readonly monitor: Monitor;
  readonly link: DeviceLink;
  readonly deadline: Deadline;
  readonly source: SampleSource;
  readonly rateHz: number;
  /** Errors thrown by source.read (the sample is then taken as FAULT_NO_CHIP on every channel). */
  sourceErrors = 0;
  private readonly tempC: Float64Array;
  private readonly fault: Uint8Array;
  private nextEdgeMs = Infinity;

  constructor(cfg: RuntimeConfig, nowMs: number) {
    const n = cfg.channels.length;
    if (cfg.source.channelCount !== n) throw new Error("CHANNEL_COUNT");
    const rate = cfg.rateHz === undefined ? DEFAULT_RATE_HZ : cfg.rateHz;
    if (!(rate >= MIN_RATE_HZ && rate <= MAX_RATE_HZ) || Math.floor(rate) !== rate) throw new Error("RATE_HZ");
    this.rateHz = rate;
    this.source = cfg.source;
    this.tempC = new Float64Array(n);
    this.fault = new Uint8Array(n);
    const roles: number[] = [];
    for (let i = 0; i < n; i++) roles.push(roleCode(cfg.channels[i].role));
    let link: DeviceLink | undefined;
    this.monitor = new Monitor({
      roles: roles, limits: cfg.limits, store: cfg.store, outputs: cfg.outputs,
      onAlarm: function (slot, action, t) {
        if (link) link.onAlarm(slot, action, t);
      },
    });
    const src = cfg.source;
    link = new DeviceLink({
      monitor: this.monitor, tx: cfg.tx, channels: cfg.channels, rateHz: rate, deviceId: cfg.deviceId,
      fw: cfg.fw || FIRMWARE_VERSION, bootId: cfg.bootId, ringCapacity: cfg.ringCapacity, alarmQueueCapacity: cfg.alarmQueueCapacity,
      resendPerTick: cfg.resendPerTick, txHighWaterBytes: cfg.txHighWaterBytes, txHardLimitBytes: cfg.txHardLimitBytes,
      retransmitMs: cfg.retransmitMs,
      onMark: function (text, t) {
        if (src.onEvent) src.onEvent(text, t);
      },
    });
    this.link = link;
    this.monitor.restore(nowMs);
    link.boot(nowMs);
    this.deadline = new Deadline(nowMs, 1000 / rate);
    this.nextEdgeMs = this.monitor.annunciate(nowMs);
  }

  /**
   * Does whatever is due at `nowMs` (integer device ms) and returns the ms to sleep before the
   * next call: the next sample instant or the next output edge, whichever is first.
   */
  tick(nowMs: number): number {
    const missed = this.deadline.take(nowMs);
    if (missed >= 0) {
      try {
        this.source.read(nowMs, this.tempC, this.fault);
      } catch (e) {
        this.sourceErrors++;
        for (let i = 0; i < this.fault.length; i++) this.fault[i] = FAULT_NO_CHIP;
      }
      this.monitor.step(nowMs, this.tempC, this.fault, missed);
      this.link.afterSample(nowMs);
    } else this.link.service(nowMs);
    this.nextEdgeMs = this.monitor.annunciate(nowMs);
    const toSample = this.deadline.untilNextMs(nowMs);
    const toEdge = this.nextEdgeMs - nowMs;
    return toEdge < toSample ? toEdge : toSample;
  }

  /** Host bytes (any chunking) received at `nowMs`. */
  receive(chunk: string, nowMs: number): void {
    this.link.receive(chunk, nowMs);
    this.nextEdgeMs = this.monitor.annunciate(nowMs);
  }

  /** Persists the current state now (before a clean stop). */
  save(nowMs: number): void {
    this.monitor.save(nowMs);
  }
}
