// Bounded line splitter stream: serial bytes in, one array of complete lines out per input chunk.
//
// Why not @serialport/parser-readline: it concatenates incoming data until it sees the delimiter,
// with no cap, so a device (or line noise) sending megabytes without "\n" grows the buffer without
// bound. protocol/line-assembler.ts keeps at most MAX_LINE_BYTES - 1 bytes, drops and counts
// over-long lines and junk before "$". Lines of one chunk are pushed together so the bridge can
// validate them and relay what they produced in one WebSocket frame per chunk.
import { Transform, type TransformCallback } from "node:stream";
import { LineAssembler } from "../../protocol";

/** Transform: Buffer chunks in, `string[]` (lines without "\n" / "\r\n") out, only for chunks that completed a line. */
export class BoundedLineParser extends Transform {
  /** The splitter; its counters (overlong, junk, droppedBytes, lines, pending) are public. */
  readonly assembler: LineAssembler;
  private batch: string[] = [];

  /** @param maxLineBytes line cap including the terminator (default: the protocol's MAX_LINE_BYTES). */
  constructor(maxLineBytes?: number) {
    super({ readableObjectMode: true });
    this.assembler = new LineAssembler((line) => this.batch.push(line), maxLineBytes);
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    // latin1: one char per byte, so non-ASCII bytes stay visible to decode() as NON_PRINTABLE.
    this.assembler.push(typeof chunk === "string" ? chunk : chunk.toString("latin1"));
    if (this.batch.length > 0) {
      const lines = this.batch;
      this.batch = [];
      this.push(lines);
    }
    done();
  }
}
