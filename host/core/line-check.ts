// Valid-CRC lines checked against the device's declaration and each other: channel counts, channel indexes, limit order, possible times.
import { checkLimit, type DeviceMessage, type Hello } from "../../protocol";
import { MAX_DEVICE_TIME_MS } from "./clock-map";

/** The fastest device clock the bridge follows: a trace replayed at --speed 1000. */
export const MAX_DEVICE_CLOCK_RATE = 1000;
/** Device time may jump ahead of the elapsed host time (x rate) by this much (a sample gap, a slow first line). */
export const TIME_JUMP_SLACK_MS = 60_000;

/** Why a decoded, schema-valid line was refused (counted in counters.badLines under this code). */
export type LineRejectCode = "CHANNEL_COUNT" | "NO_SUCH_CHANNEL" | "LIMIT_ORDER" | "TIME_RANGE";

/**
 * Checks what the CRC and the schema cannot: a line must fit the device's HI (channel count) and
 * its boot's past (device time cannot run ahead of the host time elapsed since the boot's first line
 * x MAX_DEVICE_CLOCK_RATE).
 * Pure; `nowMs` is host monotonic time.
 */
export class LineCheck {
  private firstTMs = -1;
  private firstAtMs = 0;

  /** A new boot (or another device): device time restarts. */
  newBoot(): void {
    this.firstTMs = -1;
  }

  /** Returns null when the line is plausible, else the reject code. `hi`: the device's latest HI (null before one). */
  check(msg: DeviceMessage, hi: Hello | null, nowMs: number): LineRejectCode | null {
    const channels = hi ? hi.channels : Infinity;
    switch (msg.type) {
      case "R":
        if (hi && msg.values.length !== channels) return "CHANNEL_COUNT";
        break;
      case "D":
      case "CH":
        if (msg.ch >= channels) return "NO_SUCH_CHANNEL";
        break;
      case "A":
        if (msg.ch >= channels) return "NO_SUCH_CHANNEL";
        break;
      case "LM":
        // The device enforces warn < intervene < stop on every LIM (protocol/limits.ts): an LM breaking it is not the device's.
        if (checkLimit(msg, "WARN", msg.warnCc) !== "") return "LIMIT_ORDER";
        break;
    }
    if ("tMs" in msg && typeof msg.tMs === "number") return this.checkTime(msg.tMs, nowMs);
    return null;
  }

  private checkTime(tMs: number, nowMs: number): LineRejectCode | null {
    if (tMs > MAX_DEVICE_TIME_MS) return "TIME_RANGE";
    if (this.firstTMs < 0) {
      this.firstTMs = tMs;
      this.firstAtMs = nowMs;
      return null;
    }
    // Measured from the boot's first line, not the previous one: a backlog read in several chunks carries
    // device time produced long before the read.
    const boundMs = this.firstTMs + Math.max(0, nowMs - this.firstAtMs) * MAX_DEVICE_CLOCK_RATE + TIME_JUMP_SLACK_MS;
    return tMs > boundMs ? "TIME_RANGE" : null;
  }
}
