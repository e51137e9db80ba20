// Bounded line splitter: serial bytes in, the array of lines each chunk completed out.
//
// Why not @serialport/parser-readline: it concatenates incoming data until it sees the delimiter,
// with no cap, so a device (or line noise) sending megabytes without "\n" grows the buffer without
// bound. protocol/line-assembler.ts keeps at most MAX_LINE_BYTES - 1 bytes, drops and counts
// over-long lines and junk before "$". Lines of one chunk come out together so the bridge can
// validate them and relay what they produced in one WebSocket frame per chunk.
//
// Not a stream: the link feeds it from the port's "data" events. A Transform in between (pipe, write,
// _transform, object-mode push, "data") cost about 20 % of the bridge's own per-chunk work at 10 Hz.
import { LineAssembler } from "../../protocol";

/** Buffer chunks in, `string[]` (lines without "\n" / "\r\n") out, only for chunks that completed a line. */
export class BoundedLineParser {
  /** The splitter; its counters (overlong, junk, droppedBytes, lines, pending) are public. */
  readonly assembler: LineAssembler;
  private batch: string[] = [];

  /** @param maxLineBytes line cap including the terminator (default: the protocol's MAX_LINE_BYTES). */
  constructor(maxLineBytes?: number) {
    this.assembler = new LineAssembler((line) => this.batch.push(line), maxLineBytes);
  }

  /** Feeds one chunk; returns the lines it completed, or null when it completed none. */
  feed(chunk: Buffer | string): string[] | null {
    // latin1: one char per byte, so non-ASCII bytes stay visible to decode() as NON_PRINTABLE.
    this.assembler.push(typeof chunk === "string" ? chunk : chunk.toString("latin1"));
    if (this.batch.length === 0) return null;
    const lines = this.batch;
    this.batch = [];
    return lines;
  }
}
