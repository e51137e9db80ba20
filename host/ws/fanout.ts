// Sends each batch of server messages to every client: one JSON text per batch, readings coalesced for slow clients, alarms never dropped.
import { WS_CLOSE_TOO_SLOW } from "./close-codes";
import type { Dose, ReadingRow, ServerMessage } from "./ws-messages";

/** Above this many queued bytes a client is lagging: its readings wait (coalesced) instead of being sent. */
export const SOFT_LIMIT_BYTES = 256 * 1024;
/** A lagging client catches up (its waiting readings are sent) once below this. */
export const LOW_WATER_BYTES = 64 * 1024;
/** Above this a client is disconnected whatever it is sent. */
export const HARD_LIMIT_BYTES = 8 * 1024 * 1024;
/** A client still lagging this long after an alarm was queued for it cannot take alarms in time: disconnected. */
export const ALARM_LAG_MS = 5000;
/** Most reading rows kept for a lagging client (10 min at 20 Hz); older ones are dropped and counted. */
export const MAX_PENDING_ROWS = 12_000;

/** The part of a WebSocket the fan-out needs (ws.WebSocket satisfies it). */
export interface FanoutSocket {
  readonly bufferedAmount: number;
  /** Sends one text frame; `data` is UTF-8 JSON (a Buffer, so the text is encoded once for all clients). */
  send(data: Buffer): void;
  close(code: number, reason: string): void;
}

/** Per-client delivery state. */
export class FanoutClient {
  lagging = false;
  /** performance.now() when the oldest alarm still queued behind a lag was sent, -1 when none. */
  alarmQueuedAtMs = -1;
  pendingRows: ReadingRow[] = [];
  pendingDoses = new Map<number, Dose>();
  pendingStatus: ServerMessage | null = null;
  dropped = 0;
  closed = false;
  constructor(readonly socket: FanoutSocket) {}
}

export interface FanoutLimits {
  softBytes: number;
  lowWaterBytes: number;
  hardBytes: number;
  alarmLagMs: number;
  maxPendingRows: number;
}

/** Counts reported to the bridge's counters. */
export interface FanoutCounts {
  wsDroppedRows: number;
  wsSlowDisconnects: number;
}

const COALESCED = new Set(["readings", "dose", "status"]);

/** JSON text of a batch, UTF-8 encoded once (ws would otherwise encode a string again for every client). */
function frame(msgs: ServerMessage[]): Buffer {
  return Buffer.from(JSON.stringify(msgs));
}

/** Fan-out over a set of clients. */
export class Fanout {
  readonly clients = new Set<FanoutClient>();
  readonly limits: FanoutLimits;

  constructor(
    private readonly counts: FanoutCounts,
    limits: Partial<FanoutLimits> = {},
  ) {
    this.limits = { softBytes: SOFT_LIMIT_BYTES, lowWaterBytes: LOW_WATER_BYTES, hardBytes: HARD_LIMIT_BYTES, alarmLagMs: ALARM_LAG_MS, maxPendingRows: MAX_PENDING_ROWS, ...limits };
  }

  /** Sends one batch to every client; the JSON text is built once (twice when some client lags). */
  broadcast(msgs: ServerMessage[], nowMs = performance.now()): void {
    if (msgs.length === 0 || this.clients.size === 0) return;
    let full: Buffer | undefined;
    let essential: ServerMessage[] | undefined;
    let essentialText: Buffer | undefined;
    for (const c of this.clients) {
      if (c.closed) continue;
      const buffered = c.socket.bufferedAmount;
      if (buffered > this.limits.hardBytes) {
        this.drop(c, "send buffer over " + this.limits.hardBytes + " bytes");
        continue;
      }
      if (!c.lagging && buffered <= this.limits.softBytes) {
        full ??= frame(msgs);
        c.socket.send(full);
        continue;
      }
      c.lagging = true;
      essential ??= msgs.filter((m) => !COALESCED.has(m.type));
      for (const m of msgs) this.hold(c, m);
      if (essential.length > 0) {
        essentialText ??= frame(essential);
        c.socket.send(essentialText);
        if (c.alarmQueuedAtMs < 0 && essential.some((m) => m.type === "alarm")) c.alarmQueuedAtMs = nowMs;
      }
      this.service(c, nowMs);
    }
  }

  /** Sends one client its own message (command result, auth); a client over the hard cap is dropped instead. */
  sendTo(c: FanoutClient, msgs: ServerMessage[]): void {
    this.sendFrame(c, frame(msgs));
  }

  /** Sends one client an already-encoded frame (a shared snapshot); false when the client is gone or was dropped. */
  sendFrame(c: FanoutClient, data: Buffer): boolean {
    if (c.closed) return false;
    if (c.socket.bufferedAmount > this.limits.hardBytes) {
      this.drop(c, "send buffer over " + this.limits.hardBytes + " bytes");
      return false;
    }
    c.socket.send(data);
    return true;
  }

  /** Sends a reply the client can do without (an error, a rate-limit notice) only when its send buffer has room. */
  sendIfRoom(c: FanoutClient, msgs: ServerMessage[]): boolean {
    if (c.closed || !this.hasRoom(c)) return false;
    c.socket.send(frame(msgs));
    return true;
  }

  /** Whether the client is keeping up (not lagging, send buffer at most softBytes): it may be given a snapshot. */
  hasRoom(c: FanoutClient): boolean {
    return !c.closed && !c.lagging && c.socket.bufferedAmount <= this.limits.softBytes;
  }

  /** Periodic: lagging clients that drained get their waiting readings; clients too slow for alarms are dropped. */
  tick(nowMs = performance.now()): void {
    for (const c of this.clients) if (c.lagging && !c.closed) this.service(c, nowMs);
  }

  private service(c: FanoutClient, nowMs: number): void {
    const buffered = c.socket.bufferedAmount;
    if (buffered <= this.limits.lowWaterBytes) {
      const out: ServerMessage[] = [];
      if (c.pendingRows.length > 0) out.push({ type: "readings", rows: c.pendingRows });
      if (c.pendingDoses.size > 0) out.push({ type: "dose", doses: [...c.pendingDoses.values()] });
      if (c.pendingStatus) out.push(c.pendingStatus);
      c.pendingRows = [];
      c.pendingDoses.clear();
      c.pendingStatus = null;
      c.lagging = false;
      c.alarmQueuedAtMs = -1;
      if (out.length > 0) c.socket.send(frame(out));
      return;
    }
    if (buffered > this.limits.hardBytes) this.drop(c, "send buffer over " + this.limits.hardBytes + " bytes");
    else if (c.alarmQueuedAtMs >= 0 && nowMs - c.alarmQueuedAtMs > this.limits.alarmLagMs) this.drop(c, "cannot keep up with alarms");
  }

  private hold(c: FanoutClient, m: ServerMessage): void {
    if (m.type === "readings") {
      for (const r of m.rows) c.pendingRows.push(r);
      const excess = c.pendingRows.length - this.limits.maxPendingRows;
      if (excess > 0) {
        c.pendingRows.splice(0, excess);
        c.dropped += excess;
        this.counts.wsDroppedRows += excess;
      }
    } else if (m.type === "dose") for (const d of m.doses) c.pendingDoses.set(d.ch, d);
    else if (m.type === "status") c.pendingStatus = m;
  }

  private drop(c: FanoutClient, why: string): void {
    c.closed = true;
    this.clients.delete(c);
    this.counts.wsSlowDisconnects++;
    c.socket.close(WS_CLOSE_TOO_SLOW, "too slow: " + why);
  }
}
