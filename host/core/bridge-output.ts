// The bridge's one output interface: after every step, the same output goes to every consumer (WebSocket relay, recorder, MQTT, ...).
import type { BridgeUpdate } from "../domain/bridge-updates";
import type { DeviceInfo } from "../domain/domain-schemas";
import type { RecordLine } from "../record/record-types";

/** What one bridge step (a serial chunk, a tick, a client command) produced, in order. */
export interface BridgeOutput {
  /** Wall-clock ms the step ran at. */
  atMs: number;
  /** The device as known after the step (null before any HI): whose session the records belong to. */
  device: DeviceInfo | null;
  /** Updates for live consumers, in order (one WebSocket frame). Empty when the step changed nothing visible. */
  updates: BridgeUpdate[];
  /** Lines for the recording, in order. */
  records: RecordLine[];
}

/** A consumer of the bridge's output. Called synchronously on the serial path: must not block, must not throw. */
export interface BridgeListener {
  /** One step's output (updates and records may both be empty: e.g. a periodic status only). */
  onOutput(out: BridgeOutput): void;
  /** The bridge is stopping: flush and release (awaited, in registration order, after the last onOutput). */
  close?(): Promise<void> | void;
}

/**
 * The listener list. A listener that throws is counted and skipped for that output, so one faulty
 * consumer cannot stop the others (the recorder, the relay) from getting the step.
 */
export class BridgeOutputs {
  /** Listener calls that threw. */
  failures = 0;
  private readonly listeners: BridgeListener[] = [];

  /** Adds a listener; returns a function that removes it. */
  add(listener: BridgeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Hands one output to every listener, in registration order. */
  emit(out: BridgeOutput): void {
    for (const l of this.listeners) {
      try {
        l.onOutput(out);
      } catch {
        this.failures++;
      }
    }
  }

  /** Closes every listener, in registration order (errors counted, not thrown). */
  async close(): Promise<void> {
    for (const l of this.listeners.slice()) {
      try {
        await l.close?.();
      } catch {
        this.failures++;
      }
    }
  }
}
