// A 24 h, 8-probe recording (864,000 readings): the report's figures, in a heap of 64 MB, over HTTP (200, the bridge serving on) and on the command line.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Recorder } from "../../../host/record/recorder";
import { summariseFile } from "../../../host/record/report-file";
import { handleRecordRoute } from "../../../host/ws/report-route";
import { DAY_READINGS, DAY_T0, HOT_FROM_MS, LATE_PEAK_AT_MS, PEAK_AT_MS, RESENT_COUNT, UNREADABLE_LINES, writeDayRecording } from "./support/day-recording";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** Heap given to the command line: the whole recording parsed into objects needs several hundred MB. */
const HEAP_MB = 64;
const NAME = "2026-11-22T06-00-00Z_TG-DAY_day.ndjson";

let dir = "";
let file = "";
let server: Server;
let base = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "tg-day-"));
  file = path.join(dir, NAME);
  writeDayRecording(file);
  const recorder = { dir: dir, status: { active: false, file: null }, flush: async () => {} } as unknown as Recorder;
  server = createServer((req, res) => {
    if (!handleRecordRoute(recorder, req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("report of a 24 h, 8-probe recording", () => {
  it("gives the peaks, the times above 40 / 42 / 45 degC, the recomputed dose and the acknowledgement", async () => {
    const { data: d } = await summariseFile(file);
    expect(d.channels).toHaveLength(8);
    const canal = d.channels[0];
    // 43 degC for 3600.0-3630.0 s: 302 intervals of 100 ms have a hot end; the 46.5 degC sample two.
    expect(canal).toMatchObject({ label: "canal", placement: "spinal canal L4", peakCc: 4650, peakAtMs: DAY_T0 + PEAK_AT_MS, aboveMs: [30_200, 30_200, 200], samples: DAY_READINGS, faults: 0 });
    expect(canal.recomputed!.t42Ms).toBe(30_200);
    expect(canal.deviceDose!.t42Ms).toBe(30_200);
    expect(d.channels[7]).toMatchObject({ peakCc: 4400, peakAtMs: DAY_T0 + LATE_PEAK_AT_MS, aboveMs: [200, 200, 0] });
    expect(d.channels.slice(1, 7).map((c) => c.aboveMs[0])).toEqual([0, 0, 0, 0, 0, 0]);
    expect(d.readingsResent).toBe(RESENT_COUNT);
    expect(d.readingsOutOfOrder).toBe(0);
    expect(d.unreadable).toBe(UNREADABLE_LINES);
    expect(d.alarms).toEqual([expect.objectContaining({ cond: "INTERVENE", raisedAtMs: DAY_T0 + HOT_FROM_MS, ackedAtMs: DAY_T0 + HOT_FROM_MS + 10_000, ackedBy: "nurse-station", peakValue: 4650, limit: 4200 })]);
    // The plot keeps the peaks through downsampling.
    expect(Math.max(...d.plot.series[0].max.filter((v) => !Number.isNaN(v)))).toBe(4650);
    expect(Math.max(...d.plot.series[7].max.filter((v) => !Number.isNaN(v)))).toBe(4400);
    expect(d.plot.series[0].max.length).toBeLessThanOrEqual(600);
  }, 60_000);

  it("GET /report?file= answers 200 with the page, and the server keeps serving", async () => {
    const res = await fetch(`${base}/report?file=${NAME}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain("46.50 °C");
    expect(page).toContain("canal</b>: 0 min 30 s at ≥ 42.2 °C of 50 min");
    expect(page).toContain(`${UNREADABLE_LINES} unreadable line(s)`);
    expect((await fetch(`${base}/recordings`)).status).toBe(200);
  }, 60_000);

  it(`thermoguard report writes the same page in a ${HEAP_MB} MB heap`, async () => {
    const out = path.join(dir, "day.html");
    const r = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [`--max-old-space-size=${HEAP_MB}`, path.join(ROOT, "bin/thermoguard.js"), "report", file, "-o", out], { timeout: 55_000, env: { ...process.env, THERMOGUARD_TSX: "1" } }, (err, _o, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr })),
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const page = await readFile(out, "utf8");
    expect(page).toContain("46.50 °C");
    expect(page).toContain("44.00 °C");
  }, 60_000);
});
