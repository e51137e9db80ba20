// What the session dialog shows and echoes: per nerve probe the doses a new procedure zeroes; the session an end ends.
import { describe, expect, it } from "vitest";
import { sessionChange } from "../../host/dashboard/session-dialog";
import { caseChanges, caseSummary } from "../../host/dashboard/case-form";
import { recordingLabel, RecordingsIndex } from "../../host/dashboard/past-procedures";
import { DEFAULT_LIMITS } from "../../protocol";
import type { Channel, Dose } from "../../host/ws/ws-messages";

const channels: Channel[] = [
  { ch: 0, label: "canal", role: "nerve", tc: "T", chip: "MAX31856" },
  { ch: 1, label: "foramen-L", role: "nerve", tc: "T", chip: "MAX31856" },
  { ch: 2, label: "ablation-zone", role: "ablation", tc: "K", chip: "MAX31855" },
];
const dose = (ch: number, t42Ms: number, cem43M: number): Dose => ({ ch, tMs: 1, atMs: 1, t42Ms, t42Pm: 0, t70Ms: 0, t70Pm: 0, cem43M, cem43Pm: 0, check: null });

describe("session dialog", () => {
  it("a new procedure over case-7 lists the canal's 31 s at >= 42.2 degC and CEM43 0.51 as zeroed, and echoes them", () => {
    const doses = new Map([[0, dose(0, 31_000, 510)], [1, dose(1, 0, 20)]]);
    const c = sessionChange("start", "case-7", channels, doses, { ...DEFAULT_LIMITS });
    expect(c.ending).toBe("Ends procedure case-7 first.");
    expect(c.lines).toEqual([
      "canal: 31 s at ≥ 42.2 °C of 50 min, 0 s at ≥ 70 °C of 5 min, CEM43 0.51 of 16.5",
      "foramen-L: 0 s at ≥ 42.2 °C of 50 min, 0 s at ≥ 70 °C of 5 min, CEM43 0.02 of 16.5",
    ]);
    expect(c.okLabel).toBe("Zero these doses and start");
    expect(c.confirm).toEqual({ session: "case-7", doses: [{ ch: 0, t42Ms: 31_000, t70Ms: 0, cem43M: 510 }, { ch: 1, t42Ms: 0, t70Ms: 0, cem43M: 20 }] });
  });

  it("with every dose zero it says nothing is lost; an end confirms the session it ends and keeps doses", () => {
    const doses = new Map([[0, dose(0, 0, 0)], [1, dose(1, 0, 0)]]);
    expect(sessionChange("start", null, channels, doses, null)).toMatchObject({ okLabel: "Start", zeroHead: "Every dose is zero now; nothing is lost:", ending: "" });
    expect(sessionChange("end", "case-7", channels, doses, null)).toMatchObject({ okLabel: "End case-7", confirm: { session: "case-7" }, zeroHead: expect.stringContaining("kept") });
  });
});

describe("case form and past procedures", () => {
  it("sends only what changed; an emptied field clears it", () => {
    const held = { caseId: "PT-1", operator: "Dr A", placements: [{ ch: 0, placement: "canal" }] };
    const out = caseChanges(held, { text: { caseId: "PT-1", operator: "", procedure: "MWA L4" }, modality: "RF", placements: new Map([[0, "canal"], [1, "left L4 foramen"]]) });
    expect(out).toEqual({ operator: null, procedure: "MWA L4", modality: "RF", placements: [{ ch: 1, placement: "left L4 foramen" }] });
    expect(caseSummary({ caseId: "PT-1", modality: "MWA", operator: "Dr A" })).toBe("PT-1 · MWA · Dr A");
  });

  it("reads the bridge's recordings index and labels an entry by start, session, case and size", () => {
    const idx = RecordingsIndex.parse({
      recordings: [{ name: "a.ndjson", bytes: 2048, modifiedAtMs: 0, startAtMs: new Date(2026, 11, 4, 1, 30).getTime(), deviceId: "TG", session: "case-7", caseId: "PT-1", live: true, reportUrl: "/report?file=a.ndjson" }],
      truncated: false,
    });
    expect(recordingLabel(idx.recordings[0]!)).toBe("4 Dec 01:30 · case-7 · PT-1 · 2.0 KB · recording now");
  });
});
