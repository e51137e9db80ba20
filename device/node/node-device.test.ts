// The Node target over a real pseudo-terminal pair (socat): handshake, sample rate under timeScale, alarm retransmit until AK, persistence.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ChipSource } from "../../sim/chip-source";
import { openPtyPair, type PtyPair } from "../../sim/pty-pair";
import { SimSource } from "../../sim/sim-source";
import { ScriptedSource } from "../../test/device/runtime-harness";
import { SerialHost } from "../../test/device/serial-host";
import { startNodeDevice, type NodeDevice } from "./node-device";

const channels = [
  { label: "canal", role: "nerve" as const, tc: "SIM" as const, chip: "SIM" as const },
  { label: "zone", role: "ablation" as const, tc: "SIM" as const, chip: "SIM" as const },
];

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function setup(source: ScriptedSource, timeScale: number, extra: Partial<Parameters<typeof startNodeDevice>[0]> = {}) {
  const pty: PtyPair = await openPtyPair();
  cleanup.push(() => pty.close());
  const host = await SerialHost.open(pty.hostPath);
  cleanup.push(() => host.close());
  const dev: NodeDevice = await startNodeDevice({ portPath: pty.devicePath, source, channels, rateHz: 10, deviceId: "PTY-TEST", timeScale, ...extra });
  cleanup.push(() => dev.stop());
  return { pty, host, dev };
}

describe("startNodeDevice over a pty", () => {
  it("answers HELLO and streams readings at the configured rate in scaled time", async () => {
    const { host, dev } = await setup(new ScriptedSource([() => 37, () => 60]), 20);
    await host.waitFor((m) => m.type === "LM"); // the unsolicited boot announcement
    const from = host.received.length;
    host.send({ type: "HELLO", seq: 1, major: 1, minor: 0 });
    const k = await host.waitFor((m) => m.type === "K" && m.cmd === 1, 5000, from);
    const answer = host.received.slice(from, host.received.indexOf(k) + 1).filter((m) => m.type !== "R" && m.type !== "S" && m.type !== "D");
    expect(answer.map((m) => m.type).join(" ")).toBe("HI CH CH LM K");
    expect(answer[0]).toMatchObject({ deviceId: "PTY-TEST", channels: 2, rateHz: 10 });
    const first = host.of("R").length;
    await host.waitFor((m) => m.type === "R" && m.seq >= 120, 10000);
    const rs = host.of("R");
    expect(rs.length).toBeGreaterThan(first);
    // seqs contiguous from 0, every sample exactly 100 ms of device time apart (no jitter in scaled time);
    // the boot sample has nothing to be judged by and is held (SP) until the next one agrees
    rs.forEach((r, i) => {
      expect(r.seq).toBe(i);
      expect(r.tMs).toBe(i * 100);
      expect(r.values).toEqual(i === 0 ? ["SP", "SP"] : [3700, 6000]);
    });
    expect(dev.stats.missed).toBe(0);
    expect(dev.nowMs()).toBeGreaterThanOrEqual(12000);
  });

  it("retransmits an alarm line every 500 ms of device time until AK", async () => {
    const { host, dev } = await setup(new ScriptedSource([(t) => (t < 500 ? 39.9 : 40.1), () => 37]), 10, { retransmitMs: 500 });
    const warn = await host.waitFor<Extract<import("../../protocol").DeviceMessage, { type: "A" }>>((m) => m.type === "A" && m.cond === "WARN");
    expect(warn).toMatchObject({ action: "RAISE", tMs: 500, value: 4010, limit: 4000 });
    await host.waitFor((m) => m.type === "S" && m.tMs >= 2500 && m.retx >= 3, 5000);
    const copies = host.of("A").filter((a) => a.seq === warn.seq);
    expect(copies.length).toBeGreaterThanOrEqual(4);
    expect(new Set(copies.map((c) => JSON.stringify(c))).size).toBe(1); // identical line each time
    host.send({ type: "AK", seq: warn.seq });
    const akAt = dev.nowMs();
    await host.waitFor((m) => m.type === "S" && m.tMs >= akAt + 2000, 5000);
    const after = host.received.filter((m) => m.type === "S" && m.tMs > akAt + 1000);
    const retxAfter = (after.at(-1) as { retx: number }).retx;
    const retxAt = (after[0] as { retx: number }).retx;
    expect(retxAfter).toBe(retxAt);
  });

  it("persists doses to the state file and a restarted device restores them (HI.restored = 1)", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "tg-node-"));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const statePath = path.join(dir, "state.json");
    const a = await setup(new ScriptedSource([() => 43, () => 37]), 100, { statePath });
    await a.host.waitFor((m) => m.type === "S" && m.tMs >= 20000, 5000);
    await a.dev.stop();
    const saved = JSON.parse(await readFile(statePath, "utf8"));
    expect(saved.d[0]).toBeGreaterThanOrEqual(19000); // t42Ms of the nerve channel
    const b = await setup(new ScriptedSource([() => 43, () => 37]), 100, { statePath });
    const hi = await b.host.waitFor<Extract<import("../../protocol").DeviceMessage, { type: "HI" }>>((m) => m.type === "HI");
    expect(hi.restored).toBe(1);
    const d = await b.host.waitFor<Extract<import("../../protocol").DeviceMessage, { type: "D" }>>((m) => m.type === "D");
    expect(d.t42Ms).toBeGreaterThanOrEqual(saved.d[0]);
  });

  it("keeps sampling when the host stops reading: readings dropped and counted, alarm lines kept", async () => {
    // 37 degC, a 1 degC/s approach from 55 s to 41.9 degC at 59.9 s, 42.05 degC from 60 s: INTERVENE at 60 s
    const { host, dev } = await setup(new ScriptedSource([(t) => (t < 60000 ? Math.min(41.9, 37 + Math.max(0, t - 55000) / 1000) : 42.05), () => 37]), 1000);
    await host.waitFor((m) => m.type === "LM");
    host.port.pause(); // the host keeps the port open but stops reading
    const t0 = Date.now();
    while (dev.stats.dropped === 0 && Date.now() - t0 < 8000) await new Promise((r) => setTimeout(r, 20));
    const s1 = dev.stats;
    expect(s1.dropped).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 150));
    const s2 = dev.stats;
    expect(s2.samples).toBeGreaterThan(s1.samples + 100); // the loop did not block on transmit
    expect(s2.missed).toBe(0);
    host.port.resume();
    const stop = await host.waitFor<Extract<import("../../protocol").DeviceMessage, { type: "A" }>>((m) => m.type === "A" && m.cond === "INTERVENE", 8000);
    expect(stop.tMs).toBe(60000); // the alarm line survived the congestion, with its own time
  });

  for (const timeScale of [5, 20]) {
    it(`stamps every limit alarm with its crossing sample and sends it in that sample's tick at timeScale ${timeScale}`, async () => {
      // the dashboard engineer's case: synthetic-step through the chip decoders, scaled device time
      const sim = SimSource.fromName("synthetic-step", { timeScale: 1 });
      const chs = sim.channels.map((c) => ({ label: c.label, role: c.role, tc: c.thermocouple, chip: c.chip }));
      const pty = await openPtyPair();
      cleanup.push(() => pty.close());
      const host = await SerialHost.open(pty.hostPath);
      cleanup.push(() => host.close());
      const dev = await startNodeDevice({ portPath: pty.devicePath, source: new ChipSource(sim), channels: chs, rateHz: 10, timeScale });
      cleanup.push(() => dev.stop());
      host.send({ type: "HELLO", seq: 1, major: 1, minor: 0 });
      await host.waitFor((m) => m.type === "S" && m.tMs >= 15000, 10000); // STOP ch 0 at 14.0 s
      const lines = host.received.slice();
      const rs = lines.filter((m) => m.type === "R") as Extract<import("../../protocol").DeviceMessage, { type: "R" }>[];
      const limit: Record<string, number> = { WARN: 4000, INTERVENE: 4200, STOP: 4500 };
      const raises = lines.filter((m) => m.type === "A" && m.action === "RAISE" && m.cond in limit) as Extract<import("../../protocol").DeviceMessage, { type: "A" }>[];
      const seen = new Set<number>();
      const firsts = raises.filter((a) => !seen.has(a.seq) && seen.add(a.seq)); // first copy of each (retransmits follow)
      expect(firsts.map((a) => a.cond + a.ch).sort()).toEqual(["INTERVENE0", "INTERVENE1", "STOP0", "WARN0", "WARN1"]);
      const at = (r: (typeof rs)[number] | undefined, a: (typeof firsts)[number]) => r !== undefined && typeof r.values[a.ch] === "number" && (r.values[a.ch] as number) >= limit[a.cond];
      for (const a of firsts) {
        // WARN and INTERVENE on the crossing sample; STOP on the second of two consecutive samples at or above 45 degC
        const crossing = a.cond === "STOP" ? rs.find((r, i) => at(r, a) && at(rs[i - 1], a))! : rs.find((r) => at(r, a))!;
        expect(a.tMs, `${a.cond} ch ${a.ch}`).toBe(crossing.tMs);
        expect(a.value).toBe(crossing.values[a.ch]);
        // same tick: written just before that R line, with only other A lines of the tick in between
        const between = lines.slice(lines.indexOf(a) + 1, lines.indexOf(crossing));
        expect(between.every((m) => m.type === "A" && m.tMs === a.tMs), `${a.cond} ch ${a.ch}`).toBe(true);
      }
      expect(firsts.find((a) => a.cond === "INTERVENE" && a.ch === 0)!.tMs).toBe(10500);
    });
  }

  it("rejects a port that cannot be opened with PORT_OPEN_FAILED and a bad option with BAD_OPTION", async () => {
    const src = new ScriptedSource([() => 37, () => 37]);
    await expect(startNodeDevice({ portPath: "/nonexistent/tty", source: src, channels })).rejects.toMatchObject({ code: "PORT_OPEN_FAILED" });
    await expect(startNodeDevice({ portPath: "/x", source: src, channels, rateHz: 50 })).rejects.toMatchObject({ code: "BAD_OPTION", message: expect.stringContaining("rateHz") });
  });
});
