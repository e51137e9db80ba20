// Test harness for the device runtime: a scripted source, a capturing Tx with adjustable backlog, decode helpers.
import { decode } from "../../protocol/decode";
import { encode } from "../../protocol/encode";
import type { DeviceMessage, HostMessage } from "../../protocol/message-types";
import { FAULT_NONE, type SampleSource } from "../../device/source";
import type { ChannelSpec } from "../../device/link/channel-spec";
import type { Tx } from "../../device/link/tx";
import { DeviceRuntime, type RuntimeConfig } from "../../device/runtime/device-runtime";

/** A source whose channels follow functions of time. */
export class ScriptedSource implements SampleSource {
  readonly channelCount: number;
  events: { text: string; nowMs: number }[] = [];
  constructor(public temps: ((tMs: number) => number)[], public faults?: (tMs: number) => number) {
    this.channelCount = temps.length;
  }
  read(nowMs: number, tempC: Float64Array, fault: Uint8Array): void {
    for (let i = 0; i < this.channelCount; i++) {
      tempC[i] = this.temps[i](nowMs);
      fault[i] = this.faults ? this.faults(nowMs) : FAULT_NONE;
    }
  }
  onEvent(text: string, nowMs: number): void {
    this.events.push({ text, nowMs });
  }
}

/** Captures every written line; `backlogBytes` is whatever the test says. */
export class CaptureTx implements Tx {
  lines: string[] = [];
  backlogBytes = 0;
  write(line: string): void {
    this.lines.push(line);
  }
  backlog(): number {
    return this.backlogBytes;
  }
  /** Decoded lines written since the last take(). */
  take(): DeviceMessage[] {
    const out = this.lines.map((l) => {
      const r = decode(l);
      if (!r.ok) throw new Error("device wrote an undecodable line: " + JSON.stringify(l) + " " + r.code);
      return r.msg as DeviceMessage;
    });
    this.lines = [];
    return out;
  }
}

export const CHANNELS: ChannelSpec[] = [
  { label: "canal", role: "nerve", tc: "T", chip: "MAX31855" },
  { label: "ablation zone", role: "ablation", tc: "K", chip: "MAX31856" },
];

/** A runtime at 10 Hz with a capture Tx; `advance` ticks it at every sample instant. */
export class RuntimeHarness {
  readonly tx = new CaptureTx();
  readonly rt: DeviceRuntime;
  nowMs = 0;
  constructor(public source: SampleSource, over?: Partial<RuntimeConfig>) {
    this.rt = new DeviceRuntime({
      source, channels: CHANNELS.slice(0, source.channelCount), tx: this.tx, deviceId: "TG-TEST", bootId: 0xdeadbeef,
      ringCapacity: 100, alarmQueueCapacity: 8, resendPerTick: 5, txHighWaterBytes: 1000, txHardLimitBytes: 4000, ...over,
    }, 0);
  }
  /** Ticks at every sample instant up to (not including) toMs. */
  advanceTo(toMs: number): void {
    while (this.rt.deadline.nextMs() < toMs) {
      this.nowMs = this.rt.deadline.nextMs();
      this.rt.tick(this.nowMs);
    }
    this.nowMs = toMs;
  }
  /** Sends one host message (encoded, as bytes on the wire). */
  send(msg: HostMessage): void {
    this.rt.receive(encode(msg), this.nowMs);
  }
}
