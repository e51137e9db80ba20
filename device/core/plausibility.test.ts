// Plausibility with explicit times: readings after faults, gaps and boot; lone excursions; STOP on two consecutive samples; dose committed one sample late.
import { describe, expect, it } from "vitest";
import { FAULT_NO_DATA, FAULT_OPEN, FAULT_SHORT_GND, FAULT_SPIKE } from "../source";
import { RecordingOutputs, Harness } from "../../test/device/monitor-harness";

const MIN = 60000;
/** CEM43 per minute at a constant temperature (Sapareto & Dewey 1984: R = 0.5 at or above 43 degC, 0.25 below). */
const cemRate = (tempC: number) => Math.pow(tempC >= 43 ? 0.5 : 0.25, 43 - tempC);

describe("a reading after a fault, no data or a gap", () => {
  it("54.47 degC right after one SHORT_GND sample on a 38 degC probe is a spike: no alarm, no dose", () => {
    const out = new RecordingOutputs();
    const h = new Harness({ outputs: out });
    h.run(0, 30000, () => 38);
    const cem = h.monitor.doses.cem43[0];
    h.sample(30000, NaN, [FAULT_SHORT_GND]);
    h.sample(30100, 54.47); // 200 ms after the last accepted 38.00: allowance 1.4 degC
    expect(h.monitor.filter.code[0]).toBe(FAULT_SPIKE);
    h.sample(30200, 38);
    expect(h.monitor.filter.code[0]).toBe(0);
    h.run(30300, 31000, () => 38);
    h.monitor.annunciate(31000);
    expect(h.events).toEqual([]);
    expect(out.interlockOn).toBe(false);
    // committed through 30.9 s, the interval across the fault and the spike bridged at 38 degC
    expect(h.monitor.doses.cem43[0] - cem).toBeCloseTo((1000 / MIN) * cemRate(38), 12);
    expect(h.monitor.filter.spikes).toBe(1);
  });

  it("the same after an intermittent short: fault, wrong reading, fault, wrong reading (each judged against the last accepted one)", () => {
    const h = new Harness();
    h.run(0, 10000, () => 38);
    h.sample(10000, NaN, [FAULT_SHORT_GND]);
    h.sample(10100, 54.47);
    h.sample(10200, NaN, [FAULT_SHORT_GND]);
    h.sample(10300, 53.9);
    h.sample(10400, NaN, [FAULT_SHORT_GND]);
    h.sample(10500, 38.25); // within 1 + 2 x 0.6 = 2.2 degC of the 38.00 accepted at 9.9 s
    expect(h.monitor.filter.code[0]).toBe(0);
    h.run(10600, 12000, () => 38);
    expect(h.events).toEqual([]);
    expect(h.monitor.doses.t42Ms[0]).toBe(0);
    expect(h.monitor.doses.cem43[0]).toBeLessThan((12000 / MIN) * cemRate(38.25));
  });

  it("after a 10 s open circuit nothing recent is left: a wrong first reading is held, and so is the next that disagrees; two that agree are accepted", () => {
    const h = new Harness();
    h.run(0, 10000, () => 38);
    for (let t = 10000; t < 20000; t += 100) h.sample(t, NaN, [FAULT_OPEN]);
    expect(h.of("FAULT_OPEN", "RAISE")[0].tMs).toBe(10200);
    const cem = h.monitor.doses.cem43[0];
    h.sample(20000, 54.47); // would be within 1 + 2 x 10.1 degC of the 38.00 of 9.9 s: held instead
    expect(h.monitor.filter.code[0]).toBe(FAULT_SPIKE);
    expect(h.of("FAULT_OPEN", "CLEAR")[0].tMs).toBe(20000); // the chip answers with a number again
    h.sample(20100, 38); // disagrees with the held 54.47: held in its turn
    expect(h.monitor.filter.code[0]).toBe(FAULT_SPIKE);
    h.sample(20200, 38.05); // agrees with the held 38.00: accepted
    expect(h.monitor.filter.code[0]).toBe(0);
    expect(h.monitor.filter.cc[0]).toBe(3805);
    h.sample(20300, 38);
    expect(h.events.map((e) => e.action + " " + e.cond)).toEqual(["RAISE FAULT_OPEN", "CLEAR FAULT_OPEN"]);
    // committed: the held 38.00 of 20.1 s, bridged at 38.00 from the 38.00 of 9.9 s, and 38.05 of 20.2 s
    expect(h.monitor.doses.cem43[0] - cem).toBeCloseTo((10200 / MIN) * cemRate(38) + (100 / MIN) * cemRate(38.05), 12);
    expect(h.monitor.filter.held).toBe(3); // boot, 20.0 s, 20.1 s
  });

  it("a real rise across a long no-data run is reported one sample late, with its alarm", () => {
    const h = new Harness();
    h.run(0, 5000, () => 40);
    for (let t = 5000; t < 8000; t += 100) h.sample(t, NaN, [FAULT_NO_DATA]);
    h.sample(8000, 43.5);
    expect(h.of("INTERVENE")).toHaveLength(0);
    h.sample(8100, 43.6);
    expect(h.of("INTERVENE", "RAISE")[0]).toMatchObject({ tMs: 8100, value: 4360 });
  });

  it("the first reading after boot is held until the next agrees: a wrong one raises nothing", () => {
    const h = new Harness();
    h.sample(0, 80);
    h.sample(100, 37);
    h.sample(200, 37);
    expect(h.monitor.filter.code[0]).toBe(0);
    h.run(300, 2000, () => 37);
    expect(h.events).toEqual([]);
    expect(h.monitor.doses.cem43[0]).toBeCloseTo((1700 / MIN) * cemRate(37), 12); // from the held 0.1 s reading to 1.8 s
  });
});

describe("a lone excursion that the next sample contradicts", () => {
  it("+1.2 degC for one sample on a 44 degC plateau (within the allowance): no STOP, no interlock, no dose", () => {
    const out = new RecordingOutputs();
    const h = new Harness({ outputs: out });
    h.run(0, 10000, () => 44);
    h.sample(10000, 45.2);
    expect(h.monitor.filter.code[0]).toBe(0); // accepted: shown, and within the 1.2 degC allowance
    h.run(10100, 20100, () => 44);
    h.monitor.annunciate(20100);
    expect(h.of("STOP")).toEqual([]);
    expect(out.interlockOn).toBe(false);
    // the committed dose is the 44 degC plateau's, to the sample: 0 .. 19.9 s (20.0 s awaits its successor) at 2 CEM43/min
    expect(h.monitor.doses.cem43[0]).toBeCloseTo((19900 / MIN) * cemRate(44), 12);
    expect(h.monitor.filter.spikes).toBe(0);
  });

  it("the same excursion followed by a fault or a spike is not confirmed, and a second one after it is not a STOP pair", () => {
    for (const next of [[NaN, FAULT_SHORT_GND], [60, 0]] as const) {
      const h = new Harness();
      h.run(0, 10000, () => 44);
      h.sample(10000, 45.2);
      h.sample(10100, next[0], [next[1]]);
      h.sample(10200, 45.1);
      h.run(10300, 12000, () => 44);
      expect(h.of("STOP")).toEqual([]);
      // 10.0 s unconfirmed: 9.9 -> 10.2 s bridged at the hotter 45.1 degC (45.1 is within 0.5 degC of 45.2
      // before it, so it counts), 10.2 -> 10.3 s at 45.1, the rest at 44 degC
      expect(h.monitor.doses.cem43[0]).toBeCloseTo((11400 / MIN) * cemRate(44) + (400 / MIN) * cemRate(45.1), 12);
    }
  });

  it("a lone excursion down does not take dose away: the median keeps the plateau", () => {
    const h = new Harness();
    h.run(0, 10000, () => 44);
    h.sample(10000, 42.9);
    h.run(10100, 20100, () => 44);
    expect(h.monitor.doses.cem43[0]).toBeCloseTo((19900 / MIN) * cemRate(44), 12);
  });

  it("STOP on the second consecutive sample at or above 45 degC (100 ms after the crossing); INTERVENE on the crossing sample", () => {
    const out = new RecordingOutputs();
    const h = new Harness({ outputs: out });
    h.run(0, 5000, () => 41.5);
    h.sample(5000, 42.4);
    expect(h.of("INTERVENE", "RAISE")[0]).toMatchObject({ tMs: 5000, value: 4240 });
    h.run(5100, 8000, () => 44.4);
    h.sample(8000, 45.2);
    expect(h.of("STOP")).toEqual([]);
    h.monitor.annunciate(8000);
    expect(out.interlockOn).toBe(false);
    h.sample(8100, 45.1);
    expect(h.of("STOP", "RAISE")[0]).toMatchObject({ tMs: 8100, value: 4510, limit: 4500 });
    h.monitor.annunciate(8100);
    expect(out.interlockOn).toBe(true);
    // once raised, STOP stays active down to 44.8 degC (hysteresis) and then latches
    h.sample(8200, 44.85);
    expect(h.of("STOP")).toHaveLength(1);
    h.sample(8300, 44.8);
    expect(h.of("STOP").at(-1)).toMatchObject({ tMs: 8300, action: "UPDATE", active: false });
  });
});
