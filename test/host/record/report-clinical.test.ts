// The page a clinician files: case fields, doses in words, alarm table with absolute times and who acknowledged, SIMULATED, in progress, counted bad lines, a procedure across files.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordLine } from "../../../host/record/record-types";
import { summarise } from "../../../host/record/report-data";
import { renderReportFile, summariseFile } from "../../../host/record/report-file";
import { reportHtml } from "../../../host/record/report-html";
import { offset } from "../../../host/record/report-format";

const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);
const LIMITS = { warnCc: 4000, interveneCc: 4200, stopCc: 4500, predictS: 15, dose42Min: 50, dose70Min: 5, cem43Limit: 1650 };
const device = (session: string | null) => ({ deviceId: "TG-1", fw: "1.0", bootId: "0000002A", major: 1, minor: 0, channels: 1, rateHz: 10, session, schemaHash: "00000000", schemaMatches: true, restored: false, port: null });

function start(atMs: number, session: string | null, tc: "T" | "SIM" = "T"): RecordLine {
  return { k: "start", atMs, format: 1, bridge: "test", device: device(session), channels: [{ ch: 0, label: "canal", role: "nerve", tc, chip: tc === "SIM" ? "SIM" : "MAX31855" }], limits: LIMITS, alarms: [], doses: [] };
}
const reading = (i: number, cc: number): RecordLine => ({ k: "r", atMs: T0 + i * 100, seq: i, tMs: i * 100, v: [cc] });
const alarm = { key: "dev:0000002A:3", source: "device" as const, alarmId: 3, cond: "SAMPLE_GAP" as const, ch: -1, prio: "H" as const, kind: "T" as const, active: true, acked: false, latching: false, value: 1200, limit: 1000, info: 2, raisedAtMs: T0 - 252_000, changedAtMs: T0 - 252_000, tMs: 0, text: "sampling gap" };

function procedure(tc: "T" | "SIM" = "T"): RecordLine[] {
  return [
    start(T0 - 300_000, "case-1", tc),
    { k: "case", atMs: T0 - 299_000, fields: { caseId: "P-0042", procedure: "L4 facet denervation", modality: "RF", operator: "Dr Okafor", placements: [{ ch: 0, placement: "spinal canal at L4" }] }, by: "desk" },
    { k: "alarm", atMs: T0 - 252_000, action: "RAISE", alarm },
    { k: "cmd", atMs: T0 - 250_100, id: 1, command: { name: "ack", alarmKey: alarm.key }, outcome: "ACK", reason: null, info: 1, by: "nurse-station" },
    { k: "alarm", atMs: T0 - 250_000, action: "ACK", alarm: { ...alarm, acked: true } },
    ...Array.from({ length: 11 }, (_, i) => reading(i, 3700)),
    { k: "dev", atMs: T0 + 1005, m: { type: "D", seq: 9, tMs: 1000, ch: 0, t42Ms: 31_000, t42Pm: 10, t70Ms: 0, t70Pm: 0, cem43M: 510, cem43Pm: 31 } },
  ];
}

describe("the clinician's report", () => {
  const page = reportHtml(summarise([...procedure(), { k: "end", atMs: T0 + 2000, reason: "bridge stopped" }]), { sources: ["a.ndjson"], live: false, nowMs: T0 + 5000 });

  it("shows the case fields and the probe's placement", () => {
    expect(page).toContain("<tr><th>case / patient id (pseudonymous)</th><td>P-0042</td></tr>");
    expect(page).toContain("<td>L4 facet denervation</td>");
    expect(page).toContain("<td>RF</td>");
    expect(page).toContain("<td>Dr Okafor</td>");
    expect(page).toContain("spinal canal at L4");
  });

  it("writes the doses in words, against their limits", () => {
    expect(page).toContain("<b>canal</b>: 0 min 31 s at ≥ 42.2 °C of 50 min; 0 min 0 s at ≥ 70 °C of 5 min; CEM43 0.51 of 16.5");
  });

  it("lists an alarm raised before the first reading with its absolute time and a negative offset, value, limit and who acknowledged", () => {
    expect(offset(T0 - 252_000, T0)).toBe("−4:12");
    expect(page).not.toContain("+-");
    expect(page).toContain('<td>2026-11-22 07:55:48 UTC <span class="meta">(−4:12)</span></td><td class="H">high</td><td>SAMPLE_GAP</td><td>—</td><td class="n">1200 ms</td><td class="n">1000 ms</td>');
    expect(page).toContain('2026-11-22 07:55:50 UTC <span class="meta">(−4:10)</span> by nurse-station');
  });

  it("has a sign-off block, and says nothing about a simulation for a real device", () => {
    expect(page).toContain("<h2>Sign-off</h2>");
    expect(page).not.toContain("SIMULATED");
    expect(page).not.toContain("stopped abruptly");
  });

  it("marks a simulated recording SIMULATED in the title, the header and on every printed page", () => {
    const sim = reportHtml(summarise(procedure("SIM")), { sources: ["a.ndjson"], live: false, nowMs: T0 });
    expect(sim).toMatch(/<title>SIMULATED — /);
    expect(sim).toContain('<div class="simpage">SIMULATED</div>');
    expect(sim).toMatch(/@media print\{[^]*\.simpage\{display:block;position:fixed/); // fixed: repeated on every printed page
  });

  it("says 'in progress' for the file being recorded and 'stopped abruptly' for a file without an end", () => {
    const d = summarise(procedure());
    expect(reportHtml(d, { sources: ["a.ndjson"], live: true, nowMs: T0 + 5000 })).toContain("In progress: this recording is still being written. The report covers it up to 2026-11-22 08:00:05 UTC");
    expect(reportHtml(d, { sources: ["a.ndjson"], live: true, nowMs: T0 + 5000 })).not.toContain("stopped abruptly");
    expect(reportHtml(d, { sources: ["a.ndjson"], live: false, nowMs: T0 + 5000 })).toContain("the bridge stopped abruptly");
  });
});

describe("report of a file", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "tg-report-file-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const nd = (recs: (RecordLine | string)[]) => recs.map((r) => (typeof r === "string" ? r : JSON.stringify(r))).join("\n") + "\n";

  it("counts the unreadable lines on the page", async () => {
    const f = path.join(dir, "bad.ndjson");
    await writeFile(f, nd([start(T0, "s"), reading(0, 3700), "{torn", "garbage", reading(1, 3800), '{"k":"r","atMs":"soon"}']));
    const page = await renderReportFile(f, { live: false, nowMs: T0 });
    expect(page).toContain("3 unreadable line(s) in the recording");
    expect(page).toContain("38.00 °C");
  });

  it("includes the readings recorded before the session started (the no-session file the session's start ended)", async () => {
    const pre = path.join(dir, "2026-11-22T07-59-00Z_TG-1_no-session.ndjson");
    const main = path.join(dir, "2026-11-22T08-00-00Z_TG-1_case-2.ndjson");
    const switchAt = T0 + 1000;
    await writeFile(pre, nd([start(T0, null), ...Array.from({ length: 10 }, (_, i) => reading(i, i === 5 ? 4300 : 3700)), { k: "end", atMs: switchAt, reason: "session changed" }]));
    await writeFile(main, nd([start(switchAt, "case-2"), ...Array.from({ length: 10 }, (_, i) => reading(10 + i, 3700)), { k: "end", atMs: T0 + 3000, reason: "bridge stopped" }]));
    const { data, files } = await summariseFile(main);
    expect(files).toEqual([pre, main]);
    expect(data.firstReadingAtMs).toBe(T0);
    expect(data.channels[0]).toMatchObject({ samples: 20, peakCc: 4300, peakAtMs: T0 + 500, aboveMs: [200, 200, 0] });
    // An unrelated no-session file (another end time) is not taken in.
    await writeFile(path.join(dir, "2026-11-22T07-00-00Z_TG-1_no-session.ndjson"), nd([start(T0 - 3_600_000, null), reading(0, 5000), { k: "end", atMs: T0 - 1000, reason: "session changed" }]));
    expect((await summariseFile(main)).files).toEqual([pre, main]);
  });
});
