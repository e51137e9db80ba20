// Alarm (A line) ordering: strictly in seq order, duplicates detected, out-of-order lines held back (PROTOCOL.md section 2).
import type { AlarmEvent } from "../../protocol";
import type { Counters } from "../domain/domain-schemas";

/** Most A lines held back behind a missing one (PROTOCOL.md section 2). */
export const ALARM_HOLD_MAX = 64;
/** A gap not filled by retransmission (every 500 ms) within this time is skipped, so held alarms are not delayed for ever. */
export const ALARM_GAP_SKIP_MS = 5000;

/** The result of offering one A line: whether to acknowledge it (AK) and the alarms now ready, in order. */
export interface AlarmOffer<T = AlarmEvent> {
  ack: boolean;
  ready: T[];
  duplicate: boolean;
}

/**
 * Puts A lines in seq order. Every line is acknowledged except one that cannot be held (the hold-back
 * is full): not acknowledging it makes the device retransmit it later, so nothing is lost. Pure.
 */
export class AlarmSequencer<T extends { seq: number } = AlarmEvent> {
  /** Next seq to process, -1 before HI told it. */
  next = -1;
  private readonly held = new Map<number, T>();
  private gapSinceMs = -1;

  constructor(private readonly counters: Counters) {}

  /** Lines currently held back. */
  get heldCount(): number {
    return this.held.size;
  }

  /** New boot or first handshake: the next A line will carry `nextSeq`. */
  reset(nextSeq: number): void {
    this.next = nextSeq;
    this.held.clear();
    this.gapSinceMs = -1;
  }

  /** Offers one A line (or an item carrying its seq) that arrived at nowMs. */
  offer(msg: T, nowMs: number): AlarmOffer<T> {
    if (this.next < 0) this.next = msg.seq;
    if (msg.seq < this.next || this.held.has(msg.seq)) {
      this.counters.alarmRetransmits++;
      return { ack: true, ready: [], duplicate: true };
    }
    if (msg.seq > this.next) {
      if (this.held.size >= ALARM_HOLD_MAX) return { ack: false, ready: [], duplicate: false };
      this.held.set(msg.seq, msg);
      this.counters.alarmHeld++;
      if (this.gapSinceMs < 0) this.gapSinceMs = nowMs;
      return { ack: true, ready: [], duplicate: false };
    }
    this.next++;
    const ready = [msg];
    this.drain(ready, nowMs);
    return { ack: true, ready: ready, duplicate: false };
  }

  /** Skips a gap that retransmission has not filled in ALARM_GAP_SKIP_MS; returns the alarms released. */
  tick(nowMs: number): T[] {
    if (this.held.size === 0 || nowMs - this.gapSinceMs < ALARM_GAP_SKIP_MS) return [];
    let first = Infinity;
    for (const s of this.held.keys()) if (s < first) first = s;
    this.next = first;
    const ready: T[] = [];
    this.drain(ready, nowMs);
    return ready;
  }

  private drain(ready: T[], nowMs: number): void {
    for (let m = this.held.get(this.next); m; m = this.held.get(this.next)) {
      this.held.delete(this.next);
      this.next++;
      ready.push(m);
    }
    this.gapSinceMs = this.held.size > 0 ? nowMs : -1;
  }
}
