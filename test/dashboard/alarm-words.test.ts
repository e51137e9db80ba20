// Alarms in plain words: the most severe first (STOP and its interlock before a half dose), the probe named once, what to do, no condition codes.
import { describe, expect, it } from "vitest";
import { bannerText, sortAlarms } from "../../host/dashboard/alarm-view";
import { alarmTag, alarmWords } from "../../host/dashboard/alarm-words";
import type { AlarmView } from "../../host/dashboard/dashboard-state";
import { CONDITIONS } from "../../protocol";
import { HOST_CONDITIONS, type Channel } from "../../host/ws/ws-messages";

const channels: Channel[] = [
  { ch: 0, label: "canal", role: "nerve", tc: "T", chip: "MAX31856" },
  { ch: 1, label: "foramen-L", role: "nerve", tc: "T", chip: "MAX31856" },
];
const A = (over: Partial<AlarmView>): AlarmView => ({
  key: "k" + Math.random(), source: "device", cond: "INTERVENE", ch: 0, prio: "H", kind: "P", active: true, acked: false, latching: true,
  raisedAtMs: 1000, changedAtMs: 1000, tMs: 900, text: "", seenAtMs: 1000, value: 4210, limit: 4200, info: 0, ...over,
});
const CODE = /\b[A-Z0-9]+_[A-Z0-9_]+\b/;

describe("alarm words", () => {
  it("STOP (interlock) leads, before a dose at 50 % raised later and an INTERVENE on another probe", () => {
    const half = A({ cond: "CEM43_50", prio: "M", value: 512, limit: 500, raisedAtMs: 9000 });
    const intervene = A({ cond: "INTERVENE", ch: 1, raisedAtMs: 8000 });
    const stop = A({ cond: "STOP", value: 4531, limit: 4500, raisedAtMs: 5000 });
    const sorted = sortAlarms([half, intervene, stop]);
    expect(sorted.map((a) => a.cond)).toEqual(["STOP", "INTERVENE", "CEM43_50"]);
    expect(bannerText(sorted, channels)).toBe(
      "!!! STOP — canal 45.3 °C ≥ stop limit 45.0 °C; generator interlock asserted. Energy off now; cool with CO2 or iced 5 % glucose. +2 more alarms",
    );
  });

  it("a present condition leads an ended (latched) one of the same priority; the latched one says so", () => {
    const ended = A({ cond: "STOP", active: false, changedAtMs: new Date(2026, 0, 1, 10, 0, 5).getTime() });
    const now = A({ cond: "INTERVENE", ch: 1 });
    expect(sortAlarms([ended, now]).map((a) => a.cond)).toEqual(["INTERVENE", "STOP"]);
    expect(bannerText([ended], channels)).toBe("!!! STOP — canal 42.1 °C ≥ stop limit 42.0 °C; generator interlock asserted (ended 10:00:05, latched). Energy off now; cool with CO2 or iced 5 % glucose.");
  });

  it("every device and bridge condition reads without a code, with the probe named at most once and an action", () => {
    for (const cond of [...CONDITIONS, ...HOST_CONDITIONS, "DISPLAY_OFFLINE", "BRIDGE_SILENT", "DATA_STALE"]) {
      const w = alarmWords(A({ cond, value: 600, limit: 500, info: 14_000, text: "" }), "canal");
      expect(w.title + " " + w.action, cond).not.toMatch(CODE);
      expect(w.action, cond).not.toBe("");
      expect((w.title.match(/canal/g) ?? []).length, cond).toBeLessThanOrEqual(1);
      expect(alarmTag(cond), cond).not.toMatch(CODE);
    }
    expect(alarmWords(A({ cond: "PREDICT", value: 4150, limit: 4200, info: 14_000 }), "canal").title).toBe("canal 41.5 °C, rising: 42.0 °C expected in 14 s");
    expect(alarmWords(A({ cond: "DOSE42_50" }), "canal").title).toBe("canal: half of the time at ≥ 42.2 °C limit used");
    expect(alarmTag("CEM43_100")).toBe("DOSE LIMIT");
  });
});
