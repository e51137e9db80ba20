// Stuck readings with explicit times: a frozen nerve channel among live ones raises FAULT_STUCK after 10 s; still or faulted channels do not.
import { describe, expect, it } from "vitest";
import { FAULT_OPEN } from "../source";
import { ROLE_ABLATION, ROLE_NERVE, STUCK_MIN_MS } from "./core-constants";
import { PRIO_HIGH } from "./annunciator";
import { Harness } from "../../test/device/monitor-harness";

/** A live reading: moves by one MAX31855 step (0.25 degC) every sample. */
const live = (t: number, baseC: number) => baseC + ((t / 100) % 2) * 0.25;

describe("stuck readings", () => {
  it("a nerve channel frozen at 38.25 degC while the other moves: FAULT_STUCK 10 s after its last change, cleared when it moves", () => {
    expect(STUCK_MIN_MS).toBe(10000);
    const h = new Harness({ roles: [ROLE_NERVE, ROLE_NERVE] });
    for (let t = 0; t < 5000; t += 100) h.sample(t, [live(t, 38), live(t, 39)]);
    // channel 0's converter freezes: its last change is the 4.9 s reading (38.25)
    for (let t = 5000; t < 14900; t += 100) h.sample(t, [38.25, live(t, 39)]);
    expect(h.of("FAULT_STUCK")).toEqual([]);
    h.sample(14900, [38.25, live(14900, 39)]);
    expect(h.events).toEqual([
      expect.objectContaining({ tMs: 14900, action: "RAISE", cond: "FAULT_STUCK", ch: 0, active: true, value: 10000, limit: 10000, info: 3825 }),
    ]);
    expect(h.monitor.priority()).toBe(PRIO_HIGH);
    // stays raised however long the value stays frozen, even while the other channel holds still
    for (let t = 15000; t < 20000; t += 100) h.sample(t, [38.25, 39]);
    for (let t = 20000; t < 60000; t += 100) h.sample(t, [38.25, live(t, 39)]);
    expect(h.events).toHaveLength(1);
    h.sample(60000, [38.5, live(60000, 39)]);
    expect(h.events.at(-1)).toMatchObject({ tMs: 60000, action: "CLEAR", cond: "FAULT_STUCK", ch: 0 });
    expect(h.monitor.filter.code[0]).toBe(0); // the readings themselves were valid all along
  });

  it("a change as small as one MAX31856 step (0.0078 degC) restarts the 10 s", () => {
    const h = new Harness({ roles: [ROLE_NERVE, ROLE_NERVE] });
    for (let t = 0; t < 9000; t += 100) h.sample(t, [38, live(t, 39)]);
    h.sample(9000, [38.0078125, live(9000, 39)]);
    for (let t = 9100; t < 19000; t += 100) h.sample(t, [38.0078125, live(t, 39)]);
    expect(h.of("FAULT_STUCK")).toEqual([]);
    h.sample(19000, [38.0078125, live(19000, 39)]);
    expect(h.of("FAULT_STUCK", "RAISE")[0]).toMatchObject({ tMs: 19000, value: 10000, info: 3801 });
  });

  it("an ablation or reference channel moving counts as 'others change'; a frozen ablation channel raises nothing", () => {
    const a = new Harness({ roles: [ROLE_NERVE, ROLE_ABLATION] });
    for (let t = 0; t <= 10000; t += 100) a.sample(t, [37, live(t, 70)]);
    expect(a.of("FAULT_STUCK", "RAISE")[0]).toMatchObject({ tMs: 10000, ch: 0 });
    const b = new Harness({ roles: [ROLE_NERVE, ROLE_ABLATION] });
    for (let t = 0; t <= 60000; t += 100) b.sample(t, [live(t, 37), 70]);
    expect(b.events).toEqual([]);
  });

  it("every channel still at once (an ideal trace, or a whole bus frozen) raises nothing; nor does a single channel", () => {
    const a = new Harness({ roles: [ROLE_NERVE, ROLE_NERVE] });
    for (let t = 0; t <= 60000; t += 100) a.sample(t, [37, 38]);
    expect(a.events).toEqual([]);
    const b = new Harness();
    for (let t = 0; t <= 60000; t += 100) b.sample(t, 37);
    expect(b.events).toEqual([]);
  });

  it("the other channel must have moved after the frozen one stopped and within the last second", () => {
    // synthetic-step's case: two noiseless channels settle 1.7 s apart, then both hold still
    const h = new Harness({ roles: [ROLE_NERVE, ROLE_NERVE] });
    for (let t = 0; t < 2100; t += 100) h.sample(t, [45, 37 + t / 1000]); // channel 1 moves until 2.0 s (39.0)
    for (let t = 2100; t <= 60000; t += 100) h.sample(t, [45, 39]);
    // at 10.0 s channel 0 has been still for 10 s, but channel 1 last moved 8 s before: nothing
    expect(h.of("FAULT_STUCK")).toEqual([]);
  });

  it("a fault restarts the run; readings from a faulted channel are no evidence of movement", () => {
    const a = new Harness({ roles: [ROLE_NERVE, ROLE_NERVE] });
    for (let t = 0; t < 8000; t += 100) a.sample(t, [38, live(t, 39)]);
    a.sample(8000, [NaN, live(8000, 39)], [FAULT_OPEN, 0]);
    for (let t = 8100; t < 18100; t += 100) a.sample(t, [38, live(t, 39)]);
    expect(a.of("FAULT_STUCK")).toEqual([]);
    a.sample(18100, [38, live(18100, 39)]);
    expect(a.of("FAULT_STUCK", "RAISE")[0]).toMatchObject({ tMs: 18100, value: 10000 });
    const b = new Harness({ roles: [ROLE_NERVE, ROLE_NERVE] });
    for (let t = 0; t <= 30000; t += 100) b.sample(t, [38, NaN], [0, FAULT_OPEN]);
    expect(b.of("FAULT_STUCK")).toEqual([]);
  });
});
