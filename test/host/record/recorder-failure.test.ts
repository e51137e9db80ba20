// The recorder when the disk refuses: nothing lost while memory holds it, a capped buffer beyond, health reported both ways; the bridge raises RECORDING_FAILED.
import { mkdir, mkdtemp, readFile, rm, rmdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readRecording } from "../../../host/record/read-recording";
import type { ReadingRecord, StartRecord } from "../../../host/record/record-types";
import { MAX_UNWRITTEN_BYTES, Recorder, recordingFileName } from "../../../host/record/recorder";
import type { ServerMessage } from "../../../host/ws/ws-messages";
import { startRig, type Rig } from "../helpers/rig";

const dirs: string[] = [];
const recs: Recorder[] = [];
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  for (const r of recs.splice(0)) await r.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function setup() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tg-recfail-"));
  dirs.push(dir);
  const start = (): StartRecord => ({ k: "start", atMs: 1, format: 1, bridge: "test", device: null, channels: [], limits: null, alarms: [], doses: [] });
  const r = new Recorder(dir, start);
  recs.push(r);
  const health: (string | null)[] = [];
  r.onHealth = (e) => health.push(e);
  return { dir, r, health };
}

const reading = (seq: number): ReadingRecord => ({ k: "r", atMs: 1000 + seq, seq: seq, tMs: seq * 100, v: [3700 + (seq % 50)] });
const ENOSPC = () => Promise.reject(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));

type Writer = { write: (...a: unknown[]) => Promise<unknown> };
/** The file handle the recorder writes the current file through (to make the disk refuse). */
function fileHandle(r: Recorder): Writer {
  const segs = (r as unknown as { segs: { fh: Writer }[] }).segs;
  return segs[segs.length - 1].fh;
}

async function seqsIn(file: string): Promise<number[]> {
  return (await readRecording(file)).records.filter((x): x is ReadingRecord => x.k === "r").map((x) => x.seq);
}

describe("Recorder on a failing disk", () => {
  it("a write that fails keeps the records and writes them, in order, once the disk accepts them; health goes failing and back", async () => {
    const { r, health } = await setup();
    r.sync(1000, "DEV-1", null);
    for (let s = 0; s < 3; s++) r.write(reading(s));
    await r.flush();
    const fh = fileHandle(r);
    const write = fh.write;
    fh.write = ENOSPC;
    for (let s = 3; s < 8; s++) r.write(reading(s));
    await r.flush();
    expect(r.status.error).toMatch(/ENOSPC/);
    expect(health).toEqual(["ENOSPC: no space left on device, write"]);
    await r.flush(); // still failing: reported once
    expect(health).toHaveLength(1);
    for (let s = 8; s < 10; s++) r.write(reading(s));
    fh.write = write;
    await r.flush();
    expect(health).toEqual(["ENOSPC: no space left on device, write", null]);
    expect(r.status).toMatchObject({ error: null, droppedRecords: 0 });
    expect(await seqsIn(r.status.file!)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("a file that cannot be opened (a folder in its place) is retried at every flush; nothing is lost once it opens", async () => {
    const { dir, r, health } = await setup();
    const file = path.join(dir, recordingFileName(5000, "DEV-2", "s1"));
    await mkdir(file);
    r.sync(5000, "DEV-2", "s1");
    for (let s = 0; s < 4; s++) r.write(reading(s));
    await r.flush();
    expect(r.status.error).toMatch(/EISDIR|illegal operation on a directory/);
    expect(health).toHaveLength(1);
    await rmdir(file);
    r.write(reading(4));
    await r.flush();
    expect(health.at(-1)).toBeNull();
    expect(await seqsIn(file)).toEqual([0, 1, 2, 3, 4]);
    expect((await readFile(file, "utf8")).split("\n")[0]).toContain('"k":"start"');
  });

  it("memory stays capped while the disk refuses: the oldest records are dropped and counted, the newest kept", async () => {
    const { r } = await setup();
    r.sync(1000, "DEV-3", null);
    await r.flush();
    const fh = fileHandle(r);
    const write = fh.write;
    fh.write = ENOSPC;
    const one = JSON.stringify(reading(0)).length + 1;
    const n = Math.ceil((MAX_UNWRITTEN_BYTES * 1.5) / one);
    for (let s = 0; s < n; s++) r.write(reading(s));
    await r.flush();
    const held = (r as unknown as { heldBytes: number }).heldBytes;
    expect(held).toBeLessThanOrEqual(MAX_UNWRITTEN_BYTES);
    expect(r.status.droppedRecords).toBeGreaterThan(n / 3 - 100);
    fh.write = write;
    await r.flush();
    const seqs = await seqsIn(r.status.file!);
    // What was kept is the newest, contiguous, ending with the last record.
    expect(seqs.at(-1)).toBe(n - 1);
    expect(seqs.length + r.status.droppedRecords).toBe(n); // the start record was written before the disk failed
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1] + 1);
  });
});

describe("Recorder on a failing disk, continued", () => {
  it("a session change while the disk refuses loses nothing: each file gets its own records once it accepts them", async () => {
    const { dir, r } = await setup();
    const fileA = path.join(dir, recordingFileName(1000, "DEV-4", "a"));
    const fileB = path.join(dir, recordingFileName(2000, "DEV-4", "b"));
    await mkdir(fileA); // neither file can be opened yet
    await mkdir(fileB);
    r.sync(1000, "DEV-4", "a");
    for (let s = 0; s < 3; s++) r.write(reading(s));
    await r.flush();
    r.sync(2000, "DEV-4", "b");
    for (let s = 3; s < 6; s++) r.write(reading(s));
    await r.flush();
    expect(r.status.error).not.toBeNull();
    await rmdir(fileA);
    await rmdir(fileB);
    await r.flush();
    expect(r.status).toMatchObject({ error: null, droppedRecords: 0 });
    expect(await seqsIn(fileA)).toEqual([0, 1, 2]);
    expect(await seqsIn(fileB)).toEqual([3, 4, 5]);
    const a = (await readRecording(fileA)).records;
    expect([a[0].k, a.at(-1)!.k]).toEqual(["start", "end"]);
    expect((await readRecording(fileB)).records[0].k).toBe("start");
  });

  it("over the memory cap a never-written file keeps its start record", async () => {
    const { dir, r } = await setup();
    const file = path.join(dir, recordingFileName(3000, "DEV-5", null));
    await mkdir(file);
    r.sync(3000, "DEV-5", null);
    const one = JSON.stringify(reading(0)).length + 1;
    const n = Math.ceil((MAX_UNWRITTEN_BYTES * 1.2) / one);
    for (let s = 0; s < n; s++) r.write(reading(s));
    expect(r.status.droppedRecords).toBeGreaterThan(0);
    await rmdir(file);
    await r.flush();
    const recs = (await readRecording(file)).records;
    expect(recs[0].k).toBe("start");
    expect((recs.at(-1) as ReadingRecord).seq).toBe(n - 1);
  });

  it("a short write (disk nearly full) tears no line: the rest goes first at the next flush", async () => {
    const { r, health } = await setup();
    r.sync(1000, "DEV-6", null);
    await r.flush();
    const fh = fileHandle(r);
    const write = fh.write.bind(fh) as (b: Buffer) => Promise<{ bytesWritten: number }>;
    fh.write = (b: unknown) => write((b as Buffer).subarray(0, 37)); // only 37 bytes fit
    for (let s = 0; s < 4; s++) r.write(reading(s));
    await r.flush();
    expect(health.at(-1)).toMatch(/short write: 37 of/);
    fh.write = write as Writer["write"];
    r.write(reading(4));
    await r.flush();
    expect(health.at(-1)).toBeNull();
    const rec = await readRecording(r.status.file!);
    expect(rec.badLines).toBe(0);
    expect(rec.records.filter((x): x is ReadingRecord => x.k === "r").map((x) => x.seq)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("bridge with a failing recording disk", () => {
  /** Most one wait may take: a guard against a hang, not a speed bound. */
  const GUARD_MS = 20_000;
  /** Readings the bridge takes in while the disk refuses (2 s of a 10 Hz device). */
  const READINGS_WHILE_FAILING = 20;

  it("raises RECORDING_FAILED (medium, latching) with recording.error in the status; the condition ends when writes work again and no reading is missing", async () => {
    rig = await startRig(); // closed by afterEach: pty (socat), fake device, bridge, temporary folder
    const c = await rig.connect();
    await c.waitFor((m) => m.type === "readings");
    const rec = rig.bridge.recorder!;
    await rec.flush();
    const fh = fileHandle(rec);
    const write = fh.write;
    fh.write = ENOSPC;
    const isRecAlarm = (action: string) => (m: ServerMessage) => m.type === "alarm" && m.alarm.cond === "RECORDING_FAILED" && m.action === action;
    const raised = (await c.waitFor(isRecAlarm("RAISE"), GUARD_MS)) as Extract<ServerMessage, { type: "alarm" }>;
    expect(raised.alarm).toMatchObject({ prio: "M", latching: true, source: "host", active: true });
    await c.waitFor((m) => m.type === "status" && m.recording.error !== null && /ENOSPC/.test(m.recording.error), GUARD_MS);
    // Readings keep arriving while the disk refuses: wait for a count of them, not for a time.
    const seqAtFailure = lastSeq(c.messages);
    await c.waitFor((m) => m.type === "readings" && m.rows.some((r) => r.seq >= seqAtFailure + READINGS_WHILE_FAILING), GUARD_MS);
    fh.write = write;
    await c.waitFor((m) => m.type === "alarm" && m.alarm.cond === "RECORDING_FAILED" && !m.alarm.active, GUARD_MS);
    await c.waitFor((m) => m.type === "status" && m.recording.error === null, GUARD_MS);
    const relayed = lastSeq(c.messages);
    await rig.bridge.close();
    const seqs = await seqsIn(rec.status.file!);
    // Every reading relayed, the ones that came in while the disk refused included, is in the file once, in order.
    expect(seqs.at(-1)).toBeGreaterThanOrEqual(relayed);
    expect(seqs[0]).toBeLessThanOrEqual(seqAtFailure - 1);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1] + 1);
  }, 5 * 20_000);
});

/** Highest reading seq among the messages received so far (-1 when none). */
function lastSeq(messages: ServerMessage[]): number {
  let seq = -1;
  for (const m of messages) if (m.type === "readings") for (const r of m.rows) seq = Math.max(seq, r.seq);
  return seq;
}
