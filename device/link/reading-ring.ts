// Ring buffer of recent readings (typed arrays) so RESEND can re-encode them with their original seq and time.
import { FAULT_PACK_BASE } from "./reading-encoder";

/**
 * Holds the last `capacity` readings: time (ms) and values packed as in reading-encoder.ts (packValue). Reading seq k lives
 * in slot k % capacity; seqs count from 0 at boot (PROTOCOL.md section 2). Capacity: 10 min of
 * samples on Node, 128 on Espruino (PROTOCOL.md section 6).
 */
export class ReadingRing {
  readonly capacity: number;
  readonly channelCount: number;
  readonly tMs: Float64Array;
  readonly vals: Int32Array;
  /** Seq the next reading will get (= readings taken since boot). */
  nextSeq = 0;

  constructor(capacity: number, channels: number) {
    this.capacity = capacity;
    this.channelCount = channels;
    this.tMs = new Float64Array(capacity);
    this.vals = new Int32Array(capacity * channels);
  }

  /** Stores one reading (`invalid`: how many channels have a non-zero code; 0 skips the packing pass); returns its seq. */
  push(tMs: number, cc: Int32Array, code: Uint8Array, invalid: number): number {
    const seq = this.nextSeq++;
    const slot = seq % this.capacity;
    this.tMs[slot] = tMs;
    const off = slot * this.channelCount;
    const n = this.channelCount;
    const vals = this.vals;
    vals.set(cc, off);
    if (invalid !== 0) for (let i = 0; i < n; i++) if (code[i] !== 0) vals[off + i] = FAULT_PACK_BASE - code[i];
    return seq;
  }

  /** Oldest seq still held. */
  oldestSeq(): number {
    return this.nextSeq > this.capacity ? this.nextSeq - this.capacity : 0;
  }

  /** True when reading `seq` is still held. */
  has(seq: number): boolean {
    return seq >= this.oldestSeq() && seq < this.nextSeq;
  }

  /** Offset of reading `seq`'s values in `vals` (its time is tMs[offset / channels]). */
  offsetOf(seq: number): number {
    return (seq % this.capacity) * this.channelCount;
  }
}
