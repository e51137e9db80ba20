// Bounded line splitter: arbitrary chunks in, whole lines out; over-long and pre-"$" garbage dropped and counted.
import { MAX_LINE_BYTES } from "./constants";

/**
 * Reassembles lines from arbitrary chunks (serial data arrives in pieces). Memory is bounded by
 * MAX_LINE_BYTES whatever the input: a line that grows past the cap is dropped up to its "\n"
 * and counted once. A "$" always starts a new frame, so bytes before it on the same line
 * (line noise, a partial frame after a reconnect) are dropped and counted rather than spoiling
 * the next frame. Pure: no I/O, no timers. Runs on Espruino and Node.
 */
export class LineAssembler {
  /** Lines dropped for exceeding MAX_LINE_BYTES. */
  overlong = 0;
  /** Bytes dropped: over-long content, and bytes before a "$" resync or on a line without "$". */
  droppedBytes = 0;
  /** Stretches of junk dropped: bytes before a "$" on the same line, or a line without "$". */
  junk = 0;
  /** Lines emitted. */
  lines = 0;
  private buf = "";
  private discarding = false;
  private readonly onLine: (line: string) => void;
  private readonly maxBytes: number;

  /** @param onLine called with each complete line, without its "\n" or "\r\n". */
  constructor(onLine: (line: string) => void, maxLineBytes?: number) {
    this.onLine = onLine;
    this.maxBytes = (maxLineBytes || MAX_LINE_BYTES) - 1;
  }

  /** Feeds one chunk (a latin1 / ASCII string: each char one byte). */
  push(chunk: string): void {
    let start = 0;
    const len = chunk.length;
    while (start < len) {
      const nl = chunk.indexOf("\n", start);
      const end = nl < 0 ? len : nl;
      this.append(chunk, start, end);
      if (nl < 0) return;
      this.finishLine();
      start = nl + 1;
    }
  }

  /** Bytes currently held for an incomplete line (never more than MAX_LINE_BYTES - 1). */
  get pending(): number {
    return this.buf.length;
  }

  private append(chunk: string, start: number, end: number): void {
    const dollar = chunk.lastIndexOf("$", end - 1);
    if (dollar >= start) {
      const junk = this.buf.length + (dollar - start);
      if (junk > 0 && !this.discarding) {
        this.droppedBytes += junk;
        this.junk++;
      } else if (this.discarding) this.droppedBytes += dollar - start;
      this.buf = "";
      this.discarding = false;
      start = dollar;
    }
    if (this.discarding) {
      this.droppedBytes += end - start;
      return;
    }
    if (this.buf.length + (end - start) > this.maxBytes) {
      this.droppedBytes += this.buf.length + (end - start);
      this.buf = "";
      this.discarding = true;
      this.overlong++;
      return;
    }
    this.buf += chunk.substring(start, end);
  }

  private finishLine(): void {
    const line = this.buf;
    this.buf = "";
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    if (line.length === 0 || (line.length === 1 && line === "\r")) return;
    if (line.charCodeAt(0) !== 36) {
      this.droppedBytes += line.length;
      this.junk++;
      return;
    }
    this.lines++;
    this.onLine(line.charCodeAt(line.length - 1) === 13 ? line.substring(0, line.length - 1) : line);
  }
}
