// Reading (R line) sequence tracking: gaps detected, RESEND requests planned, late lines matched, losses decided.
import type { Counters } from "../domain/domain-schemas";

/** Largest count one RESEND may ask for (PROTOCOL.md section 6). */
export const RESEND_MAX_COUNT = 1000;
/** Most missing readings tracked at once (10 min at 20 Hz); a larger gap's excess is counted lost at once. */
export const MAX_TRACKED_MISSING = 12_000;
/** Time allowed after a RESEND's ACK for its lines to arrive, plus per line (115200 baud carries ~140 lines/s). */
export const RESEND_ARRIVAL_BASE_MS = 2000;
export const RESEND_ARRIVAL_PER_LINE_MS = 10;
/** Retry delay after BUSY / a timeout, and the most attempts per range. */
export const RESEND_RETRY_MS = 500;
export const RESEND_MAX_ATTEMPTS = 3;
/** Consecutive stale seqs (neither next nor missing) after which the host should re-handshake. */
export const RESYNC_AFTER_DUPLICATES = 20;

/** A range of reading seqs [from, from + count). */
export interface SeqRange {
  from: number;
  count: number;
}

/** What one R line is: next in order, a late line filling a gap, or a duplicate. */
export type ReadingKind = "new" | "resent" | "duplicate";

interface Pending extends SeqRange {
  attempts: number;
  notBeforeMs: number;
  /** When the lines of an acknowledged request must have arrived by. */
  deadlineMs: number;
}

/**
 * Tracks the next expected reading seq, the seqs missing in gaps, and the RESEND requests that fill
 * them (one outstanding at a time: the device answers BUSY to a second). Pure: time is passed in,
 * the caller sends the commands and reports their outcome.
 */
export class ReadingTracker {
  /** Next expected seq, -1 before the first (HI tells it). */
  next = -1;
  private readonly missing = new Set<number>();
  private queue: Pending[] = [];
  private inFlight: Pending | null = null;
  private awaiting: Pending[] = [];
  private staleRun = 0;

  constructor(private readonly counters: Counters) {}

  /** Seqs currently missing (awaiting RESEND or its lines). */
  get missingCount(): number {
    return this.missing.size;
  }

  /** Forgets everything (new boot): still-missing seqs are returned as lost. Next expected = `nextSeq`. */
  reset(nextSeq: number): SeqRange[] {
    const lost = this.dropAll();
    this.next = nextSeq;
    this.staleRun = 0;
    return lost;
  }

  /** The device says its next reading will be `nextSeq` (HI after a reconnect, same boot): fill the gap since ours. */
  expect(nextSeq: number): SeqRange[] {
    if (this.next < 0 || nextSeq < this.next) return this.reset(nextSeq);
    if (nextSeq > this.next) {
      const lost = this.addGap(this.next, nextSeq);
      this.next = nextSeq; // the gap's lines now arrive as resent, not as the next live ones
      return lost;
    }
    return [];
  }

  /**
   * Classifies a received R seq and updates the tracking. Returns the kind, lost ranges (a gap larger
   * than MAX_TRACKED_MISSING), and `resync` when seqs look like they belong to another boot.
   */
  accept(seq: number): { kind: ReadingKind; lost: SeqRange[]; resync: boolean } {
    if (this.next < 0 || seq === this.next) {
      this.next = seq + 1;
      this.staleRun = 0;
      return { kind: "new", lost: [], resync: false };
    }
    if (seq > this.next) {
      const lost = this.addGap(this.next, seq);
      this.next = seq + 1;
      this.staleRun = 0;
      return { kind: "new", lost: lost, resync: false };
    }
    if (this.missing.delete(seq)) {
      this.counters.readRecovered++;
      this.staleRun = 0;
      return { kind: "resent", lost: [], resync: false };
    }
    this.counters.readDuplicates++;
    this.staleRun++;
    return { kind: "duplicate", lost: [], resync: this.staleRun === RESYNC_AFTER_DUPLICATES };
  }

  /**
   * The next RESEND to send now, or null. One at a time, until its lines have arrived: the device
   * serves one RESEND at a time (about 200 lines/s) and answers BUSY to another meanwhile. The range
   * is trimmed to what is still missing.
   */
  nextRequest(nowMs: number): SeqRange | null {
    if (this.inFlight) return null;
    this.awaiting = this.awaiting.filter((p) => {
      this.trim(p);
      return p.count > 0;
    });
    if (this.awaiting.length > 0) return null;
    while (this.queue.length > 0) {
      const p = this.queue[0];
      if (p.notBeforeMs > nowMs) return null;
      this.trim(p);
      if (p.count === 0) {
        this.queue.shift();
        continue;
      }
      this.queue.shift();
      p.attempts++;
      this.inFlight = p;
      this.counters.resendRequests++;
      return { from: p.from, count: p.count };
    }
    return null;
  }

  /**
   * The device's answer to the outstanding RESEND: ACK with the number of lines it will resend, NAK
   * (GONE: lost; BUSY: retry), or no answer. Returns ranges now known lost.
   */
  requestDone(answer: { outcome: "ACK"; info: number } | { outcome: "NAK"; reason: string } | { outcome: "TIMEOUT" | "REFUSED" }, nowMs: number): SeqRange[] {
    const p = this.inFlight;
    if (!p) return [];
    this.inFlight = null;
    if (answer.outcome === "ACK") {
      p.deadlineMs = nowMs + RESEND_ARRIVAL_BASE_MS + p.count * RESEND_ARRIVAL_PER_LINE_MS;
      this.awaiting.push(p);
      return [];
    }
    if (answer.outcome === "NAK" && answer.reason === "GONE") return this.lose(p);
    if (p.attempts >= RESEND_MAX_ATTEMPTS) return this.lose(p);
    p.notBeforeMs = nowMs + RESEND_RETRY_MS;
    this.queue.unshift(p);
    return [];
  }

  /** Decides losses whose time is up: lines of acknowledged requests that did not arrive. */
  tick(nowMs: number): SeqRange[] {
    if (this.awaiting.length === 0) return [];
    const lost: SeqRange[] = [];
    this.awaiting = this.awaiting.filter((p) => {
      if (nowMs < p.deadlineMs) return true;
      lost.push(...this.lose(p));
      return false;
    });
    return lost;
  }

  /** Whether a RESEND is outstanding or queued. */
  get busy(): boolean {
    return this.inFlight !== null || this.queue.length > 0 || this.awaiting.length > 0;
  }

  private addGap(from: number, to: number): SeqRange[] {
    const n = to - from;
    this.counters.readGaps++;
    this.counters.readMissing += n;
    const room = Math.max(0, MAX_TRACKED_MISSING - this.missing.size);
    const tracked = Math.min(n, room);
    const lostRanges: SeqRange[] = [];
    // Keep the newest part of a huge gap: the device's ring holds its most recent readings.
    const keepFrom = to - tracked;
    if (keepFrom > from) {
      lostRanges.push({ from: from, count: keepFrom - from });
      this.counters.readLost += keepFrom - from;
    }
    for (let s = keepFrom; s < to; s++) this.missing.add(s);
    for (let s = keepFrom; s < to; s += RESEND_MAX_COUNT) {
      this.queue.push({ from: s, count: Math.min(RESEND_MAX_COUNT, to - s), attempts: 0, notBeforeMs: 0, deadlineMs: 0 });
    }
    return lostRanges;
  }

  private trim(p: Pending): void {
    while (p.count > 0 && !this.missing.has(p.from)) {
      p.from++;
      p.count--;
    }
    while (p.count > 0 && !this.missing.has(p.from + p.count - 1)) p.count--;
  }

  /** Marks every still-missing seq of p lost; returns them as contiguous ranges. */
  private lose(p: SeqRange): SeqRange[] {
    const out: SeqRange[] = [];
    for (let s = p.from; s < p.from + p.count; s++) {
      if (!this.missing.delete(s)) continue;
      this.counters.readLost++;
      const last = out[out.length - 1];
      if (last && last.from + last.count === s) last.count++;
      else out.push({ from: s, count: 1 });
    }
    return out;
  }

  private dropAll(): SeqRange[] {
    const all = [...this.queue, ...this.awaiting, ...(this.inFlight ? [this.inFlight] : [])];
    this.queue = [];
    this.awaiting = [];
    this.inFlight = null;
    const lost: SeqRange[] = [];
    for (const p of all) lost.push(...this.lose(p));
    for (const s of this.missing) lost.push(...this.lose({ from: s, count: 1 }));
    return lost;
  }
}
