// Runs the minified (property-mangled) Espruino sim bundle in a Node vm with fake Espruino globals and checks it speaks the protocol.
import { beforeAll, describe, expect, it } from "vitest";
import type { DeviceMessage } from "../../protocol/message-types";
import { FakeEspruino } from "../../test/device/fake-espruino";
import { bundleForEspruino } from "./build-espruino";

let simCode = "";
let chipCode = "";
beforeAll(async () => {
  simCode = await bundleForEspruino("device/espruino/main-sim.ts");
  chipCode = await bundleForEspruino("device/espruino/main.ts");
});

const of = <T extends DeviceMessage["type"]>(ms: DeviceMessage[], t: T) => ms.filter((m) => m.type === t) as Extract<DeviceMessage, { type: T }>[];

describe("Espruino sim bundle in a fake Espruino", () => {
  it("boots, moves the console, answers HELLO, samples at 10 Hz, alarms, persists, and restores after a reboot", () => {
    const dev = new FakeEspruino();
    dev.load(simCode);
    expect(dev.consoleMoved).toBe(true);
    expect(dev.watchdogS).toBe(5);
    const boot = dev.take();
    expect(boot.map((m) => m.type).join(" ")).toBe("HI CH CH CH CH LM R"); // and the first sample, at once
    dev.send({ type: "HELLO", seq: 5, major: 1, minor: 0 });
    expect(of(dev.take(), "K")[0]).toMatchObject({ cmd: 5, info: 0 });
    dev.send({ type: "START", seq: 6, session: "demo-1" });
    dev.run(150000); // synthetic cycle: energy on at 60 s, channel 0 heads for 44 degC
    const ms = dev.take();
    const rs = of(ms, "R");
    expect(rs.length).toBe(1500);
    rs.forEach((r, i) => expect([r.seq, r.tMs]).toEqual([i + 1, (i + 1) * 100]));
    const conds = of(ms, "A").map((a) => a.cond + ":" + a.ch);
    expect(conds).toContain("WARN:0");
    expect(conds).toContain("INTERVENE:0");
    const d = of(ms, "D").filter((x) => x.ch === 0).at(-1)!;
    expect(d.t42Ms).toBeGreaterThan(0);
    expect(dev.pins["B14"]?.at(-1)).toBe(1); // interlock permit HIGH: no STOP
    expect(dev.pins["LED1"]).toContain(1);
    const saved = JSON.parse(dev.storage.get("tg.state")!);
    expect(saved.s).toBe("demo-1");

    const reboot = new FakeEspruino();
    reboot.storage = dev.storage;
    reboot.load(simCode);
    const hi = of(reboot.take(), "HI")[0];
    expect(hi).toMatchObject({ restored: 1, session: "demo-1" });
    reboot.run(1000);
    const d2 = of(reboot.take(), "D").find((x) => x.ch === 0)!;
    expect(d2.t42Ms).toBeGreaterThanOrEqual(saved.d[0]);
  });

  it("runs 8 channels (TG_SIM_CHANNELS) and serves RESEND from its 128-reading ring", () => {
    const dev = new FakeEspruino({ TG_SIM_CHANNELS: 8 });
    dev.load(simCode);
    dev.send({ type: "HELLO", seq: 1, major: 1, minor: 0 });
    dev.run(30000);
    const first = of(dev.take(), "R");
    expect(first[0].values).toHaveLength(8);
    const held = first.slice(-128);
    dev.send({ type: "RESEND", seq: 2, from: 0, count: 1000 });
    dev.send({ type: "RESEND", seq: 3, from: 250, count: 10 });
    const replies = dev.take();
    expect(replies.map((m) => (m.type === "K" ? "K" + m.info : m.type === "N" ? m.reason : m.type))).toEqual(["K128", "BUSY"]);
    dev.run(34000);
    const resent = of(dev.take(), "R").filter((r) => r.seq <= first.at(-1)!.seq);
    expect(resent.map((r) => JSON.stringify(r))).toEqual(held.map((r) => JSON.stringify(r)));
  });
});

describe("Espruino chip bundle in a fake Espruino", () => {
  it("reports no-chip faults (SPI reads all zeros) as NC and raises FAULT_NO_CHIP after 3 samples", () => {
    const dev = new FakeEspruino();
    dev.load(chipCode);
    dev.run(1000);
    const ms = dev.take();
    expect(of(ms, "R")[0].values).toEqual(["NC", "NC", "NC"]);
    const a = of(ms, "A").filter((x, i, all) => x.action === "RAISE" && all.findIndex((y) => y.seq === x.seq) === i);
    expect(a.map((x) => x.cond + ":" + x.ch + "@" + x.tMs)).toEqual(["FAULT_NO_CHIP:0@200", "FAULT_NO_CHIP:1@200"]);
  });
});
