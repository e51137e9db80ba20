// The bounded line splitter: chunking independence, \r\n, junk resync, and 10 MB of garbage in bounded memory.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineAssembler, MAX_LINE_BYTES, decode } from "../../protocol";
import { VALID_VECTORS } from "../vectors/load-vectors";

function collect(max?: number) {
  const out: string[] = [];
  const a = new LineAssembler((l) => out.push(l), max);
  return { a, out };
}

describe("LineAssembler", () => {
  const lines = VALID_VECTORS.map((v) => v.line);
  const stream = lines.map((l) => l + "\n").join("");

  it("yields the same lines however the stream is chunked", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(stream.length), { maxLength: 40 }), (cuts) => {
        const { a, out } = collect();
        const pts = [...new Set(cuts)].sort((x, y) => x - y);
        let prev = 0;
        for (const p of pts) {
          a.push(stream.slice(prev, p));
          prev = p;
        }
        a.push(stream.slice(prev));
        expect(out).toEqual(lines);
        expect(a.pending).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it("strips \\r before \\n and ignores empty lines", () => {
    const { a, out } = collect();
    a.push(lines[0] + "\r\n\n\r\n" + lines[1] + "\n");
    expect(out).toEqual([lines[0], lines[1]]);
  });

  it("drops junk before a $ on the same line and keeps the frame", () => {
    const { a, out } = collect();
    a.push("\u0000\u00ffnoise" + lines[2].slice(0, 10) + lines[3] + "\n");
    expect(out).toEqual([lines[3]]);
    expect(a.junk).toBe(1);
    expect(a.droppedBytes).toBe(17);
  });

  it("drops lines without $ and counts them", () => {
    const { a, out } = collect();
    a.push("hello world\n" + lines[0] + "\n");
    expect(out).toEqual([lines[0]]);
    expect(a.junk).toBe(1);
  });

  it("keeps bounded memory over 10 MB of garbage without a newline, counts it, and decodes the next valid line", () => {
    const { a, out } = collect();
    const chunk = "x".repeat(64 * 1024);
    let maxPending = 0;
    for (let sent = 0; sent < 10 * 1024 * 1024; sent += chunk.length) {
      a.push(chunk);
      maxPending = Math.max(maxPending, a.pending);
    }
    a.push("\n" + lines[7] + "\n");
    expect(maxPending).toBeLessThan(MAX_LINE_BYTES);
    expect(a.overlong).toBe(1);
    expect(a.droppedBytes).toBe(10 * 1024 * 1024);
    expect(out).toEqual([lines[7]]);
    expect(decode(out[0]).ok).toBe(true);
  });

  it("drops a line one byte over the cap and keeps one exactly at the cap", () => {
    const { a, out } = collect();
    const atCap = "$" + "A".repeat(MAX_LINE_BYTES - 3) + "\r"; // 159 bytes + "\n" = 160
    const over = "$" + "A".repeat(MAX_LINE_BYTES - 1); // 160 bytes + "\n" = 161
    a.push(atCap + "\n" + over + "\n" + lines[0] + "\n");
    expect(out).toEqual([atCap.slice(0, -1), lines[0]]);
    expect(a.overlong).toBe(1);
  });

  it("recovers a frame that follows over-long garbage on the same line", () => {
    const { a, out } = collect();
    a.push("y".repeat(1000));
    a.push(lines[5] + "\n");
    expect(out).toEqual([lines[5]]);
    expect(a.overlong).toBe(1);
  });
});
