// The bounded line reader: lines across chunk boundaries, an over-long line skipped and counted, CRLF, a torn last line.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachRecord, MAX_RECORD_LINE_BYTES, STREAM_CHUNK_BYTES } from "../../../host/record/record-stream";
import type { RecordLine } from "../../../host/record/record-types";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-stream-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const r = (seq: number) => JSON.stringify({ k: "r", atMs: seq, seq, tMs: seq * 100, v: [3700 + seq] });

describe("forEachRecord", () => {
  it("reads every record of a file many chunks long, skipping an over-long line without holding it", async () => {
    const lines: string[] = [];
    for (let s = 0; s < 3000; s++) lines.push(s % 7 === 0 ? r(s) + "\r" : r(s));
    lines.splice(1500, 0, JSON.stringify({ k: "event", atMs: 1, event: { atMs: 1, text: "x".repeat(MAX_RECORD_LINE_BYTES + 10), source: "client" } }));
    lines.push('{"k":"r","atMs":9,"se'); // torn by a crash
    const file = path.join(dir, "a.ndjson");
    const text = lines.join("\n");
    expect(text.length).toBeGreaterThan(5 * STREAM_CHUNK_BYTES);
    await writeFile(file, text);
    const got: RecordLine[] = [];
    const st = await forEachRecord(file, (x) => got.push(x));
    expect(got.map((x) => (x.k === "r" ? x.seq : -1))).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(st).toEqual({ lines: 3002, badLines: 2, bytes: Buffer.byteLength(text) });
  });
});
