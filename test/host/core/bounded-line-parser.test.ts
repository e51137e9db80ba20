// The bridge's line splitter: bounded memory under garbage, counting, chunk batching.
import { describe, expect, it } from "vitest";
import { decode, encode, MAX_LINE_BYTES } from "../../../protocol";
import { BoundedLineParser } from "../../../host/core/bounded-line-parser";

const VALID = encode({ type: "R", seq: 3, tMs: 300, values: [3700, 4215] } as never);

/** The arrays the parser returns, one per chunk that completed lines (as the link receives them). */
const outputs = new WeakMap<BoundedLineParser, string[][]>();
function collect(p: BoundedLineParser): string[][] {
  const out: string[][] = [];
  outputs.set(p, out);
  return out;
}

async function write(p: BoundedLineParser, chunk: Buffer | string): Promise<void> {
  const lines = p.feed(chunk);
  if (lines) outputs.get(p)!.push(lines);
}

describe("BoundedLineParser", () => {
  it("holds at most MAX_LINE_BYTES - 1 bytes through 10 MB without a newline, counts it, then decodes the next line", async () => {
    const p = new BoundedLineParser();
    const out = collect(p);
    const chunk = Buffer.alloc(64 * 1024);
    let seed = 1;
    let total = 0;
    let maxPending = 0;
    while (total < 10 * 1024 * 1024) {
      for (let i = 0; i < chunk.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const b = seed >>> 24;
        chunk[i] = b === 10 || b === 36 ? 65 : b; // no "\n", no "$": one over-long line
      }
      await write(p, chunk);
      total += chunk.length;
      maxPending = Math.max(maxPending, p.assembler.pending);
    }
    expect(maxPending).toBeLessThanOrEqual(MAX_LINE_BYTES - 1);
    expect(out).toEqual([]);
    await write(p, "\n" + VALID);
    expect(p.assembler.overlong).toBe(1);
    expect(p.assembler.droppedBytes).toBe(total);
    expect(out).toHaveLength(1);
    const d = decode(out[0][0]);
    expect(d.ok && d.msg).toMatchObject({ type: "R", seq: 3, values: [3700, 4215] });
  });

  it("drops random garbage (with stray $), counts it, and still delivers the valid lines around it", async () => {
    const p = new BoundedLineParser();
    const out = collect(p);
    const junk = Buffer.from([0x24, 0x00, 0xff, 0x24, 0x52, 0x2c, 0x0d, 0x0a, 0x41, 0x42, 0x0a, 0x80]);
    await write(p, Buffer.concat([Buffer.from(VALID), junk, Buffer.from("\n" + VALID)]));
    const lines = out.flat();
    const decoded = lines.map(decode);
    expect(decoded.filter((d) => d.ok)).toHaveLength(2);
    expect(p.assembler.junk + decoded.filter((d) => !d.ok).length).toBeGreaterThanOrEqual(2);
  });

  it("pushes all lines completed by one chunk as one array, and joins lines split across chunks", async () => {
    const p = new BoundedLineParser();
    const out = collect(p);
    await write(p, VALID + VALID + VALID.slice(0, 10));
    await write(p, VALID.slice(10));
    expect(out.map((b) => b.length)).toEqual([2, 1]);
    expect(out[1][0] + "\n").toBe(VALID);
  });

  it("strips a CR before the LF", async () => {
    const p = new BoundedLineParser();
    const out = collect(p);
    await write(p, VALID.replace("\n", "\r\n"));
    expect(decode(out[0][0]).ok).toBe(true);
  });
});
