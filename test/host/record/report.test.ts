// Report numbers from a synthetic recording with known answers, and the page is self-contained.
import { describe, expect, it } from "vitest";
import { readingsCsv } from "../../../host/record/csv-export";
import type { RecordLine } from "../../../host/record/record-types";
import { summarise } from "../../../host/record/report-data";
import { reportHtml } from "../../../host/record/report-html";
import { cem43RateMPerMs } from "../../../host/state/dose-calc";

const T0 = Date.UTC(2026, 10, 22, 8, 0, 0);

/** 2 channels at 10 Hz for 60 s: ch0 37 degC, then 43 degC from 20 s to 40 s (peak 46 at 30 s), ch1 37 degC with one OC fault. */
function recording(): RecordLine[] {
  const recs: RecordLine[] = [];
  recs.push({ k: "start", atMs: T0, format: 1, bridge: "test", device: { deviceId: "TG-1", fw: "1.0", bootId: "0000002A", major: 1, minor: 0, channels: 2, rateHz: 10, session: "case-1", schemaHash: "00000000", schemaMatches: true, restored: false, port: "/dev/x" }, channels: [{ ch: 0, label: "canal", role: "nerve", tc: "T", chip: "MAX31855" }, { ch: 1, label: "zone", role: "ablation", tc: "K", chip: "MAX31856" }], limits: { warnCc: 4000, interveneCc: 4200, stopCc: 4500, predictS: 15, dose42Min: 50, dose70Min: 5, cem43Limit: 1650 }, alarms: [], doses: [] });
  for (let i = 0; i <= 600; i++) {
    const tMs = i * 100;
    const hot = tMs >= 20_000 && tMs <= 40_000;
    const v0 = tMs === 30_000 ? 4600 : hot ? 4300 : 3700;
    recs.push({ k: "r", atMs: T0 + tMs, seq: i, tMs, v: [v0, i === 100 ? "OC" : 3700] });
    if (tMs === 0) recs.push({ k: "dev", atMs: T0 + tMs + 5, m: { type: "D", seq: 0, tMs, ch: 0, t42Ms: 0, t42Pm: 0, t70Ms: 0, t70Pm: 0, cem43M: 0, cem43Pm: 0 } });
  }
  recs.push({ k: "dev", atMs: T0 + 60_005, m: { type: "D", seq: 1, tMs: 60_000, ch: 0, t42Ms: 20_100, t42Pm: 6, t70Ms: 0, t70Pm: 0, cem43M: 999, cem43Pm: 60 } });
  const alarm = { key: "dev:0000002A:1", source: "device" as const, alarmId: 1, cond: "INTERVENE" as const, ch: 0, prio: "H" as const, kind: "P" as const, active: true, acked: false, latching: true, value: 4300, limit: 4200, info: 0, raisedAtMs: T0 + 20_000, changedAtMs: T0 + 20_000, tMs: 20_000, text: "canal: 43.00 °C ≥ intervene 42.00 °C" };
  recs.push({ k: "alarm", atMs: T0 + 20_000, action: "RAISE", alarm });
  recs.push({ k: "alarm", atMs: T0 + 30_000, action: "UPDATE", alarm: { ...alarm, value: 4600, text: "canal: 46.00 °C ≥ intervene 42.00 °C" } });
  recs.push({ k: "alarm", atMs: T0 + 25_000, action: "ACK", alarm: { ...alarm, acked: true } });
  recs.push({ k: "event", atMs: T0 + 22_000, event: { atMs: T0 + 22_000, text: "CO2 injected", source: "client" } });
  recs.push({ k: "link", atMs: T0 + 45_000, link: { state: "lost", port: "/dev/x", sinceMs: 0, lastLineAtMs: null, lastReadingAtMs: null, readingsStale: true, staleAfterMs: 2500, error: { code: "LINK_SILENT", message: "no valid line for 2600 ms" }, reconnects: 0 } });
  recs.push({ k: "link", atMs: T0 + 48_000, link: { state: "up", port: "/dev/x", sinceMs: 0, lastLineAtMs: null, lastReadingAtMs: null, readingsStale: false, staleAfterMs: 2500, error: null, reconnects: 0 } });
  recs.push({ k: "alarm", atMs: T0 + 50_000, action: "CLEAR", alarm: { ...alarm, active: false, acked: true } });
  recs.push({ k: "end", atMs: T0 + 60_010, reason: "test" });
  return recs;
}

describe("report", () => {
  const d = summarise(recording());

  it("computes peak, time above 40 / 42 / 45 degC per channel (hotter end of each interval)", () => {
    const c0 = d.channels[0];
    expect(c0).toMatchObject({ label: "canal", peakCc: 4600, peakAtMs: T0 + 30_000, samples: 601, faults: 0 });
    // 43 degC from 20.0 s to 40.0 s: intervals 19.9-20.0 ... 40.0-40.1 have a hot end: 20.2 s
    expect(c0.aboveMs).toEqual([20_200, 20_200, 200]);
    expect(d.channels[1]).toMatchObject({ peakCc: 3700, faults: 1, samples: 600, aboveMs: [0, 0, 0] });
  });

  it("reports the device's final doses and the recomputation from the readings", () => {
    const c0 = d.channels[0];
    expect(c0.deviceDose).toMatchObject({ t42Ms: 20_100, cem43M: 999 });
    expect(c0.recomputed!.t42Ms).toBe(20_200);
    const expected = 20_200 * cem43RateMPerMs(4300) + 200 * (cem43RateMPerMs(4600) - cem43RateMPerMs(4300)) + 39_800 * cem43RateMPerMs(3700);
    expect(c0.recomputed!.cem43M).toBeCloseTo(expected, 3);
    expect(d.channels[1].deviceDose).toBeNull();
  });

  it("builds the alarm timeline with acknowledgement and clearing, events and link losses", () => {
    expect(d.alarms).toEqual([expect.objectContaining({ cond: "INTERVENE", prio: "H", raisedAtMs: T0 + 20_000, ackedAtMs: T0 + 25_000, clearedAtMs: T0 + 50_000, peakValue: 4600 })]);
    expect(d.events.map((e) => e.text)).toEqual(["CO2 injected"]);
    expect(d.linkLosses).toEqual([{ fromMs: T0 + 45_000, toMs: T0 + 48_000, state: "lost", cause: "no valid line for 2600 ms" }]);
    expect(d.endedCleanly).toBe(true);
  });

  it("renders a self-contained page with the numbers and an inline SVG plot", () => {
    const html = reportHtml(d, { sources: ["case-1.ndjson"], live: false, nowMs: T0 + 70_000 });
    expect(html).toContain("<svg");
    expect(html).toContain("46.00 °C");
    expect(html).toContain("CO2 injected");
    expect(html).toContain("0 min 20 s"); // 20.2 s above 42
    expect(html).toMatch(/INTERVENE/);
    expect(html).not.toMatch(/(src|href)=["']?https?:/i);
    expect(html).not.toMatch(/<script/i);
  });

  it("exports readings as a CSV trace: time_s from the first reading, degC per probe, faults as empty cells", () => {
    const csv = readingsCsv(recording(), "case-1.ndjson").split("\n");
    expect(csv[0]).toBe("time_s,canal,zone");
    expect(csv[1]).toBe("0.000,37.00,37.00");
    expect(csv[101]).toBe("10.000,37.00,");
    expect(csv[601]).toBe("60.000,37.00,37.00");
    expect(csv[602]).toBe(`# exported from case-1.ndjson: 601 rows; time_s counts from the first reading at ${new Date(T0).toISOString()}; empty cells are faults or missing values`);
    expect(csv).toHaveLength(604);
  });
});
