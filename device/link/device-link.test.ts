// The device end of the protocol: boot lines, HELLO and version NAK, commands, RESEND, alarm retransmit/AK, congestion.
import { describe, expect, it } from "vitest";
import type { DeviceMessage } from "../../protocol/message-types";
import { crc32 } from "../../protocol/crc32";
import { decode } from "../../protocol/decode";
import { encode } from "../../protocol/encode";
import { schemaHash } from "../../protocol/schema-hash";
import { SCHEMA_HASH } from "../../protocol/schema-hash-value";
import { RuntimeHarness, ScriptedSource } from "../../test/device/runtime-harness";

const types = (ms: DeviceMessage[]) => ms.map((m) => m.type).join(" ");
const of = <T extends DeviceMessage["type"]>(ms: DeviceMessage[], t: T) => ms.filter((m) => m.type === t) as Extract<DeviceMessage, { type: T }>[];
const flat = (c: number) => () => c;
/** A correctly framed line (good CRC) around any body, e.g. "$PAUSE,5,121". */
const frame = (body: string) => body + "*" + (crc32(body) >>> 0).toString(16).toUpperCase().padStart(8, "0") + "\n";

function hello(h: RuntimeHarness, id = 1, major = 1) {
  h.send({ type: "HELLO", seq: id, major, minor: 0 });
  return h.tx.take();
}

describe("boot and handshake", () => {
  it("announces HI, CH per channel and LM unsolicited at boot", () => {
    const h = new RuntimeHarness(new ScriptedSource([flat(37), flat(60)]));
    const ms = h.tx.take();
    expect(types(ms)).toBe("HI CH CH LM");
    expect(ms[0]).toMatchObject({ seq: 0, major: 1, minor: 0, deviceId: "TG-TEST", bootId: 0xdeadbeef, channels: 2, rateHz: 10, session: "-", schema: schemaHash(), restored: 0, readSeq: 0, alarmSeq: 0 });
    expect(ms[1]).toMatchObject({ seq: 1, ch: 0, label: "canal", role: "nerve", tc: "T", chip: "MAX31855" });
    expect(ms[3]).toMatchObject({ seq: 3, warnCc: 4000, interveneCc: 4200, stopCc: 4500, predictS: 15, dose42Min: 50, dose70Min: 5, cem43Limit: 1650 });
  });

  it("HELLO: HI, CH..., LM, A UPDATE for every present alarm, then K", () => {
    const h = new RuntimeHarness(new ScriptedSource([flat(42.5), flat(60)]));
    h.advanceTo(1000);
    h.tx.take();
    const ms = hello(h, 7);
    expect(types(ms)).toBe("HI CH CH LM A A K");
    const hi = ms[0] as Extract<DeviceMessage, { type: "HI" }>;
    expect(hi.readSeq).toBe(10);
    expect(hi.alarmSeq).toBe(2); // WARN and INTERVENE were raised as seq 0 and 1
    expect(of(ms, "A").map((a) => [a.seq, a.action, a.cond])).toEqual([[2, "UPDATE", "WARN"], [3, "UPDATE", "INTERVENE"]]);
    expect(of(ms, "K")[0]).toMatchObject({ cmd: 7, info: 0 });
  });

  it("version mismatch: HI then N VERSION, and commands stay refused (NO_HELLO)", () => {
    const h = new RuntimeHarness(new ScriptedSource([flat(37)]));
    h.tx.take();
    const ms = hello(h, 3, 2);
    expect(types(ms)).toBe("HI N");
    expect(ms[1]).toMatchObject({ cmd: 3, reason: "VERSION" });
    h.send({ type: "PAUSE", seq: 4, seconds: 10 });
    expect(h.tx.take()).toEqual([expect.objectContaining({ type: "N", cmd: 4, reason: "NO_HELLO" })]);
  });

  it("counts bad lines (bad CRC, junk, device-only types) in S.badRx", () => {
    const h = new RuntimeHarness(new ScriptedSource([flat(37)]));
    h.rt.receive("$HELLO,1,1,0*00000000\nnoise\n$S,1,2*12345678\n", 0);
    h.rt.receive("$R,0,0,3700*33580D43\n", 0);
    h.advanceTo(1100);
    expect(of(h.tx.take(), "S")[0].badRx).toBe(4);
  });
});

describe("well-framed commands with a bad argument", () => {
  it("are answered N,<id>,RANGE and counted in badRx; a broken frame or a bad AK gets no answer", () => {
    const h = new RuntimeHarness(new ScriptedSource([flat(37)]));
    expect(SCHEMA_HASH).toBe(schemaHash());
    hello(h);
    h.advanceTo(1100);
    const badRx0 = of(h.tx.take(), "S")[0].badRx;
    h.rt.receive(frame("$PAUSE,5,121"), h.nowMs); // seconds 1..120
    expect(h.tx.take()).toEqual([expect.objectContaining({ type: "N", cmd: 5, reason: "RANGE" })]);
    h.rt.receive(frame("$LIM,6,HOT,4100") + frame("$START,7,") + frame("$RESEND,8,10,1001") + frame("$TIME,9,-1") + frame("$PAUSE,10"), h.nowMs);
    expect(h.tx.take().map((m) => (m.type === "N" ? m.cmd + " " + m.reason : m.type))).toEqual(["6 RANGE", "7 RANGE", "8 RANGE", "9 RANGE"]); // field count: frame not trusted
    const good = frame("$PAUSE,11,30");
    h.rt.receive(good.slice(0, -3) + (good.slice(-3, -2) === "0" ? "1" : "0") + "\n", h.nowMs); // bad CRC
    h.rt.receive(frame("$AK,x") + frame("$AK,3,4") + frame("$HELLO,12,100,0"), h.nowMs);
    expect(h.tx.take()).toEqual([expect.objectContaining({ type: "N", cmd: 12, reason: "RANGE" })]);
    h.advanceTo(2100);
    expect(of(h.tx.take(), "S")[0].badRx).toBe(badRx0 + 10);
    h.rt.receive(good, h.nowMs); // the same command intact is carried out
    expect(h.tx.take()).toEqual([expect.objectContaining({ type: "K", cmd: 11, info: 30 })]);
  });

  it("before a HELLO: NO_HELLO, like any command", () => {
    const h = new RuntimeHarness(new ScriptedSource([flat(37)]));
    h.tx.take();
    h.rt.receive(frame("$PAUSE,5,121"), 0);
    expect(h.tx.take()).toEqual([expect.objectContaining({ type: "N", cmd: 5, reason: "NO_HELLO" })]);
  });
});

describe("commands", () => {
  it("TIME, PAUSE, LIM (RANGE / ORDER / ok + LM), START / END (STATE), MARK, ACKAL (NO_ALARM)", () => {
    const src = new ScriptedSource([flat(37)]);
    const h = new RuntimeHarness(src);
    hello(h);
    h.send({ type: "TIME", seq: 10, epochMs: 1795000000000 });
    h.send({ type: "TIME", seq: 11, epochMs: 5 });
    h.send({ type: "PAUSE", seq: 12, seconds: 30 });
    h.send({ type: "LIM", seq: 13, param: "INTERVENE", value: 4300 });
    h.send({ type: "LIM", seq: 14, param: "WARN", value: 4200 });
    h.send({ type: "LIM", seq: 15, param: "INTERVENE", value: 4150 });
    h.send({ type: "START", seq: 16, session: "case-7" });
    h.send({ type: "START", seq: 17, session: "case-8" });
    h.send({ type: "END", seq: 18 });
    h.send({ type: "END", seq: 19 });
    h.send({ type: "MARK", seq: 20, text: "CO2 injected" });
    h.send({ type: "ACKAL", seq: 21, alarmId: 99 });
    const ms = h.tx.take().filter((m) => m.type !== "D");
    expect(ms.map((m) => (m.type === "K" ? `K${m.cmd}:${m.info}` : m.type === "N" ? `N${m.cmd}:${m.reason}` : m.type))).toEqual([
      "K10:0", "N11:RANGE", "K12:30", "N13:RANGE", "N14:ORDER", "LM", "K15:0", "K16:0", "N17:STATE", "K18:0", "N19:STATE", "K20:0", "N21:NO_ALARM",
    ]);
    expect(of(ms, "LM")[0].interveneCc).toBe(4150);
    expect(src.events).toEqual([{ text: "CO2 injected", nowMs: 0 }]);
    h.advanceTo(1100);
    const s = of(h.tx.take(), "S")[0];
    expect(s.flags & (2 | 8)).toBe(2 | 8); // audio paused, time synced
    expect(s.pauseS).toBe(29);
  });

  it("RESEND: original seq, time and bytes from the ring, a few per tick; BUSY meanwhile; GONE when nothing is held", () => {
    const h = new RuntimeHarness(new ScriptedSource([(t) => 37 + t / 100000]));
    hello(h);
    h.advanceTo(20000); // 200 readings, ring holds the last 100 (seq 100..199)
    const originals = h.tx.lines.filter((l) => l.startsWith("$R,"));
    h.tx.take();
    h.send({ type: "RESEND", seq: 30, from: 110, count: 10 });
    h.send({ type: "RESEND", seq: 31, from: 150, count: 1 });
    expect(h.tx.take().map((m) => m.type + (m.type === "K" ? m.info : m.type === "N" ? m.reason : ""))).toEqual(["K10", "NBUSY"]);
    h.advanceTo(20100);
    let resent = h.tx.lines.filter((l) => l.startsWith("$R,"));
    expect(resent).toEqual([...originals.slice(110, 115), expect.stringMatching(/^\$R,200,20000,/)]);
    h.advanceTo(20200);
    resent = h.tx.lines.filter((l) => l.startsWith("$R,"));
    expect(resent.slice(6)).toEqual([...originals.slice(115, 120), expect.stringMatching(/^\$R,201,/)]);
    expect(h.rt.link.resending()).toBe(false);
    // the oldest held reading is resent before the next sample overwrites it; K's count is exact
    h.send({ type: "RESEND", seq: 34, from: 102, count: 20 });
    expect(of(h.tx.take(), "K")[0].info).toBe(20);
    h.advanceTo(20300);
    expect(h.tx.take().filter((m) => m.type === "R").map((m) => m.seq)).toEqual([102, 103, 104, 105, 106, 202]);
    h.advanceTo(21000);
    h.tx.take();
    h.send({ type: "RESEND", seq: 32, from: 0, count: 50 });
    h.send({ type: "RESEND", seq: 33, from: 500, count: 5 });
    expect(h.tx.take().map((m) => (m.type === "N" ? m.reason : m.type))).toEqual(["GONE", "GONE"]);
  });
});

describe("alarm lines", () => {
  it("are written before the reading of the same tick, retransmitted every 500 ms until AK, and D follows at once", () => {
    const h = new RuntimeHarness(new ScriptedSource([(t) => (t < 1000 ? 39.9 : 40.05)]));
    hello(h);
    h.advanceTo(1000);
    h.tx.take();
    h.advanceTo(1100); // the 1000 ms sample crosses 40 degC
    const tick = h.tx.take();
    expect(types(tick)).toBe("A R D S");
    expect(tick[0]).toMatchObject({ seq: 0, action: "RAISE", cond: "WARN", value: 4005, limit: 4000 });
    h.advanceTo(2600);
    const again = of(h.tx.take(), "A");
    expect(again.map((a) => a.tMs)).toEqual([1000, 1000, 1000]); // resent at 1500, 2000, 2500: same line
    h.send({ type: "AK", seq: 0 });
    h.advanceTo(5000);
    const ms = h.tx.take();
    expect(of(ms, "A")).toHaveLength(0);
    expect(of(ms, "S").at(-1)!.retx).toBe(3);
  });

  it("an unknown or repeated AK is ignored; a full queue coalesces transitions without seq gaps", () => {
    const h = new RuntimeHarness(new ScriptedSource([(t) => (Math.floor(t / 1000) % 2 ? 40.0 : 39.75)]), { alarmQueueCapacity: 2 });
    hello(h);
    h.send({ type: "AK", seq: 77 });
    h.advanceTo(6000); // WARN raise/clear every second: 6 transitions, queue holds 2
    const a = of(h.tx.take(), "A");
    expect([...new Set(a.map((x) => x.seq))]).toEqual([0, 1]);
    h.send({ type: "AK", seq: 0 });
    h.send({ type: "AK", seq: 1 });
    const next = of(h.tx.take(), "A");
    expect([...new Set(next.map((x) => x.seq))]).toEqual([1, 2]); // seq 1 retransmitted, then one restatement
    expect(next.at(-1)).toMatchObject({ seq: 2, action: "UPDATE", cond: "WARN", active: 1, value: 4000 }); // WARN is active at t = 5..6 s
    expect(h.rt.link.alarmSeq).toBe(3);
  });
});

describe("alarm retransmission to a silent host", () => {
  it("every 500 ms for 4 rounds, then backing off to 1, 2, 4 and at most 8 s; any valid host line restores 500 ms", () => {
    const h = new RuntimeHarness(new ScriptedSource([(t) => (t < 1000 ? 39.9 : 40.05)]));
    hello(h);
    const sentAt: number[] = [];
    for (let t = 100; t <= 27000; t += 100) {
      h.advanceTo(t);
      for (let n = of(h.tx.take(), "A").length; n > 0; n--) sentAt.push(t - 100); // written in the tick of the sample at t - 100
    }
    expect(sentAt).toEqual([1000, 1500, 2000, 2500, 3000, 4000, 6000, 10000, 18000, 26000]);
    h.send({ type: "PAUSE", seq: 5, seconds: 10 }); // the host is back: the overdue line goes at once, then every 500 ms
    expect(of(h.tx.take(), "A")).toHaveLength(1);
    h.advanceTo(28100);
    expect(of(h.tx.take(), "A")).toHaveLength(2); // 27500, 28000
    expect(h.rt.link.retx).toBe(12);
  });
});

describe("dose lines", () => {
  const roles = ["nerve", "nerve", "ablation", "reference", "nerve", "nerve", "nerve", "nerve"] as const;
  const channels = roles.map((role, i) => ({ label: "c" + i, role, tc: "SIM" as const, chip: "SIM" as const }));
  it("one round per second from the status instant, spread one per sample: every nerve channel exactly once a second", () => {
    const h = new RuntimeHarness(new ScriptedSource(roles.map(() => () => 37)), { channels });
    hello(h);
    h.advanceTo(1000);
    h.tx.take();
    const perSample: string[] = [];
    for (let t = 1100; t <= 3000; t += 100) {
      h.advanceTo(t);
      perSample.push(of(h.tx.take(), "D").map((d) => d.ch).join(""));
    }
    expect(perSample).toEqual(["0", "1", "4", "5", "6", "7", "", "", "", "", "0", "1", "4", "5", "6", "7", "", "", "", ""]);
  });

  it("a channel whose alarm changes gets its D line in the same tick, after the reading", () => {
    const h = new RuntimeHarness(new ScriptedSource(roles.map((r, i) => (t) => (i === 5 ? (t >= 1700 ? 40.1 : 39.5) : 37))), { channels });
    hello(h);
    h.advanceTo(1700);
    h.tx.take();
    h.advanceTo(1800); // the 1700 ms sample: WARN on channel 5; this second's round of D lines ended at 1500
    const tick = h.tx.take();
    expect(types(tick)).toBe("A R D");
    expect(of(tick, "D")[0]).toMatchObject({ ch: 5, tMs: 1700 });
  });
});

describe("D and S lines: the native join writes the protocol's bytes for small and large numbers", () => {
  it("small and 1e9-plus doses and counters are encoded exactly as protocol encode() does", () => {
    const h = new RuntimeHarness(new ScriptedSource([() => 37]));
    hello(h);
    h.advanceTo(1000);
    h.tx.lines = [];
    const check = () => {
      const lines = h.tx.lines.filter((l) => l.startsWith("$D,") || l.startsWith("$S,"));
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) {
        const r = decode(l);
        expect(r.ok ? "ok" : r.code + " " + l).toBe("ok");
        if (r.ok) expect(encode(r.msg)).toBe(l);
      }
      h.tx.lines = [];
      return lines;
    };
    h.advanceTo(2000);
    const small = check();
    expect(small.some((l) => l.startsWith("$D,") && l.split(",").length === 10)).toBe(true);
    h.rt.monitor.doses.set(0, 2000000123, 1500000007, 9123456.789);
    h.rt.monitor.samples = 2000000000;
    h.advanceTo(3000);
    const big = check();
    expect(big.find((l) => l.startsWith("$D,"))).toContain(",2000000123,");
    expect(big.find((l) => l.startsWith("$D,"))).toContain(",9123456789,");
    expect(big.find((l) => l.startsWith("$S,"))).toContain(",2000000001,");
  });
});

describe("transmit congestion", () => {
  it("drops readings (counted, flag 32) but never alarm lines; readings stay in the ring for RESEND", () => {
    const h = new RuntimeHarness(new ScriptedSource([(t) => (t < 3000 ? 37 : 42.5)]));
    hello(h);
    h.tx.take();
    h.advanceTo(2000);
    h.tx.take();
    h.tx.backlogBytes = 2000; // above the reading high water, below the hard limit
    h.advanceTo(4000);
    const ms = h.tx.take();
    expect(of(ms, "R")).toHaveLength(0);
    expect([...new Set(of(ms, "A").map((a) => a.seq + a.cond))]).toEqual(["0WARN", "1INTERVENE"]);
    const s = of(ms, "S").at(-1)!;
    expect(s.dropped).toBe(11); // the S at 3000 ms counts the readings of 2000..3000 ms
    expect(s.flags & 32).toBe(32);
    h.tx.backlogBytes = 5000; // above the hard limit: nothing is written, alarms wait
    h.advanceTo(4500);
    h.rt.monitor.acknowledge(0, 4500);
    expect(h.tx.take()).toHaveLength(0);
    h.tx.backlogBytes = 0;
    h.advanceTo(4600);
    const after = h.tx.take();
    expect(of(after, "A").map((a) => a.action)).toContain("ACK");
    expect(of(after, "R")).toHaveLength(1);
    h.send({ type: "RESEND", seq: 40, from: 20, count: 26 });
    expect(of(h.tx.take(), "K")[0].info).toBe(26);
  });
});
