// The core's condition and action numbering matches the protocol's enums.
import { describe, expect, it } from "vitest";
import { ALARM_ACTIONS, CONDITIONS } from "../../protocol/messages";
import { ACTION_NAMES } from "./alarm-engine";
import {
  C_CEM43_100, C_DOSE42_50, C_FAULT_OPEN, C_FAULT_RANGE, C_FAULT_STUCK, C_PREDICT, C_SAMPLE_GAP, C_STOP, C_STORAGE_FAIL, C_WARN, COND_LATCH, COND_PRIO, condKind,
  CONDITION_COUNT, CONDITION_NAMES,
} from "./conditions";

describe("conditions", () => {
  it("are numbered in protocol order with one priority, kind and latch flag each", () => {
    expect(CONDITION_NAMES.indexOf("SAMPLE_GAP")).toBe(16);
    expect([C_WARN, C_STOP, C_PREDICT, C_DOSE42_50, C_CEM43_100, C_FAULT_OPEN, C_FAULT_RANGE, C_FAULT_STUCK, C_SAMPLE_GAP, C_STORAGE_FAIL].map((c) => CONDITIONS[c])).toEqual(["WARN", "STOP", "PREDICT", "DOSE42_50", "CEM43_100", "FAULT_OPEN", "FAULT_RANGE", "FAULT_STUCK", "SAMPLE_GAP", "STORAGE_FAIL"]);
    expect(COND_PRIO.charAt(C_FAULT_STUCK)).toBe("H");
    expect(ACTION_NAMES).toEqual([...ALARM_ACTIONS]);
    expect(CONDITION_COUNT).toBe(CONDITIONS.length);
    for (const s of [COND_PRIO, COND_LATCH]) expect(s).toHaveLength(CONDITIONS.length);
    expect(CONDITION_NAMES.map((_, i) => condKind(i)).join("")).toBe("PPPPPPPPPPTTTTTTTT");
    const latching = CONDITION_NAMES.filter((_, i) => COND_LATCH[i] === "1");
    expect(latching).toEqual(["INTERVENE", "STOP", "DOSE42_100", "DOSE70_100", "CEM43_100"]);
  });
});
