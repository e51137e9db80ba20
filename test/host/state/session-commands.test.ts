// Sessions are procedures: a start zeroes doses only with a confirmation of what is lost, names are used once, the bridge starts one when nothing is lost; case fields.
import { describe, expect, it } from "vitest";
import { schemaHash, type DeviceMessage } from "../../../protocol";
import type { CommandBody, CommandOutcome } from "../../../host/serial/command-sender";
import { createCounters } from "../../../host/state/counters";
import { ProcedureState, SESSION_NAMES_MAX } from "../../../host/state/procedure-state";
import { CommandHandler, generatedSessionName } from "../../../host/ws/command-handler";
import { ClientMessage, type Command, type CommandMsg } from "../../../host/ws/ws-messages";

const HI = (session: string): DeviceMessage => ({
  type: "HI", seq: 0, major: 1, minor: 0, fw: "test", deviceId: "TG-1", bootId: 0xabc, channels: 2, rateHz: 10, session, schema: schemaHash(), restored: 0, readSeq: 0, alarmSeq: 0,
});
const CH = (ch: number, label: string, role: "nerve" | "ablation"): DeviceMessage => ({ type: "CH", seq: 1 + ch, ch, label, role, tc: "K", chip: "MAX31855" });
/** canal: 31 s at >= 42.2 degC, CEM43 0.51 (the dose a careless START used to wipe). */
const D = (t42Ms: number, cem43M: number): DeviceMessage => ({ type: "D", seq: 5, tMs: 60_000, ch: 0, t42Ms, t42Pm: Math.round(t42Ms / 3000), t70Ms: 0, t70Pm: 0, cem43M, cem43Pm: Math.round(cem43M / 16.5) });
const S = (session: string): DeviceMessage => ({ type: "S", seq: 6, tMs: 60_000, session, flags: session === "-" ? 0 : 4, pauseS: 0, alarms: 0, samples: 600, missed: 0, dropped: 0, badRx: 0, retx: 0, spikes: 0 });

/** A state fed with a device (canal nerve probe + ablation probe), a handler with control, and a device that ACKs. */
function rig(session: string, t42Ms: number, cem43M: number, autoSession: string | null = null) {
  const state = new ProcedureState(createCounters());
  const sent: CommandBody[] = [];
  const send = async (b: CommandBody): Promise<CommandOutcome> => {
    sent.push(b);
    return { outcome: "ACK", info: 0 } as CommandOutcome;
  };
  const handler = new CommandHandler(state, send, "tok", { autoSession, now: () => new Date(2026, 11, 4, 1, 35, 12) });
  state.applyBatch([HI(session), CH(0, "canal", "nerve"), CH(1, "tumour", "ablation")].map((msg) => ({ msg, atMs: 1_000 })));
  state.applyBatch([D(t42Ms, cem43M), S(session)].map((msg) => ({ msg, atMs: 2_000 })));
  let n = 0;
  const run = (command: Command) => handler.handle({ type: "command", id: ++n, command } as CommandMsg, true);
  return { state, sent, run };
}

describe("session commands", () => {
  it("a start without confirm is refused with CONFIRM_REQUIRED and nothing reaches the device", async () => {
    const r = rig("-", 31_000, 510);
    expect(await r.run({ name: "startSession", session: "case-8" })).toMatchObject({ ok: false, outcome: "REFUSED", reason: "CONFIRM_REQUIRED" });
    expect(await r.run({ name: "endSession" })).toMatchObject({ ok: false, outcome: "REFUSED", reason: "CONFIRM_REQUIRED" });
    expect(r.sent).toEqual([]);
    expect(r.state.doses.get(0)!.t42Ms).toBe(31_000);
  });

  it("a start whose confirmation does not list the canal's 31 s / CEM43 0.51 is refused, naming the dose in words", async () => {
    const r = rig("-", 31_000, 510);
    const res = await r.run({ name: "startSession", session: "case-8", confirm: { session: null, doses: [] } });
    expect(res).toMatchObject({ ok: false, reason: "CONFIRM_STALE" });
    expect(res.message).toContain("canal 0 min 31 s at >= 42.2 degC, CEM43 0.51");
    expect(r.sent).toEqual([]);
  });

  it("a confirmation naming another running session than the device's is refused (CONFIRM_STALE)", async () => {
    const r = rig("case-7", 31_000, 510);
    expect(await r.run({ name: "endSession", confirm: { session: "case-6" } })).toMatchObject({ ok: false, reason: "CONFIRM_STALE" });
    expect(r.sent).toEqual([]);
  });

  it("a confirmed start over a running session ends it, starts the new one, and records what was zeroed", async () => {
    const r = rig("case-7", 31_000, 510);
    const res = await r.run({ name: "startSession", session: "case-8", confirm: { session: "case-7", doses: [{ ch: 0, t42Ms: 31_000, t70Ms: 0, cem43M: 510 }] } });
    expect(res).toMatchObject({ ok: true, outcome: "ACK" });
    expect(r.sent).toEqual([{ type: "END" }, { type: "START", session: "case-8" }]);
    expect(r.state.device!.session).toBe("case-8");
    expect(r.state.events.at(-1)!.text).toBe("Session case-8 started; doses zeroed: canal 0 min 31 s at >= 42.2 degC, CEM43 0.51");
  });

  it("a session name is used once: the running one, and one ended before, are refused (NAME_USED)", async () => {
    const r = rig("case-7", 0, 0);
    const confirm = { session: "case-7", doses: [] };
    expect(await r.run({ name: "startSession", session: "case-7", confirm })).toMatchObject({ ok: false, reason: "NAME_USED" });
    expect(await r.run({ name: "endSession", confirm: { session: "case-7" } })).toMatchObject({ ok: true, outcome: "ACK" });
    expect(await r.run({ name: "startSession", session: "case-7", confirm: { session: null, doses: [] } })).toMatchObject({ ok: false, reason: "NAME_USED" });
    expect(r.sent).toEqual([{ type: "END" }]);
  });

  it("the bridge starts a session named from its clock once the device shows no session and zero doses", async () => {
    const r = rig("-", 0, 0, "auto");
    await expect.poll(() => r.state.device?.session).toBe("case-1204-013512");
    expect(r.sent).toEqual([{ type: "START", session: "case-1204-013512" }]);
    expect(generatedSessionName(new Date(2026, 0, 2, 3, 4, 5))).toBe("case-0102-030405");
  });

  it("the bridge never starts one by itself over a dose the device still holds (31 s at >= 42.2 degC)", async () => {
    const r = rig("-", 31_000, 510, "auto");
    // a further status line: the check ran once for this hello and stays quiet
    r.state.applyBatch([{ msg: S("-"), atMs: 3_000 }]);
    await Promise.resolve();
    expect(r.sent).toEqual([]);
    expect(r.state.device!.session).toBeNull();
  });

  it("the names remembered are capped: a device reporting ever new sessions cannot grow the set", () => {
    const r = rig("-", 0, 0);
    for (let i = 0; i <= SESSION_NAMES_MAX; i++) r.state.setSession("s" + i);
    expect(r.state.sessionNames.size).toBe(SESSION_NAMES_MAX);
    expect(r.state.sessionUsed("s" + SESSION_NAMES_MAX)).toBe(true);
  });

  it("the schema keeps a start without confirm parseable, so the refusal is a commandResult, not BAD_MESSAGE", () => {
    expect(ClientMessage.safeParse({ type: "command", id: 1, command: { name: "startSession", session: "case-9" } }).success).toBe(true);
  });
});

describe("case fields", () => {
  it("merge per field and per probe, reach the clients and the snapshot, and are recorded as case records", async () => {
    const r = rig("case-7", 0, 0);
    r.state.drain();
    r.state.drainRecords();
    await r.run({ name: "setCase", fields: { caseId: "P-0142", modality: "MWA", placements: [{ ch: 0, placement: "left L4 foramen" }] } });
    await r.run({ name: "setCase", fields: { operator: "Dr A", placements: [{ ch: 1, placement: "tumour centre" }] } });
    const msgs = r.state.drain().filter((m) => m.type === "case");
    expect(msgs.at(-1)).toMatchObject({ fields: { caseId: "P-0142", modality: "MWA", operator: "Dr A", placements: [{ ch: 0, placement: "left L4 foramen" }, { ch: 1, placement: "tumour centre" }] } });
    expect(r.state.snapshot(false).case).toMatchObject({ caseId: "P-0142", operator: "Dr A" });
    const records = r.state.drainRecords();
    expect(records.filter((x) => (x as { k: string }).k === "case")).toEqual([
      { k: "case", atMs: expect.any(Number), fields: { caseId: "P-0142", modality: "MWA", placements: [{ ch: 0, placement: "left L4 foramen" }] } },
      { k: "case", atMs: expect.any(Number), fields: { operator: "Dr A", placements: [{ ch: 1, placement: "tumour centre" }] } },
    ]);
  });
});
