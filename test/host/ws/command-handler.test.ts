// Commands and the recording: refused ones counted by reason and never recorded; the ones the bridge ran recorded with their result.
import { describe, expect, it } from "vitest";
import type { RecordLine } from "../../../host/record/record-types";
import type { CommandBody, CommandOutcome } from "../../../host/serial/command-sender";
import { createCounters } from "../../../host/state/counters";
import { ProcedureState } from "../../../host/state/procedure-state";
import { CommandHandler } from "../../../host/ws/command-handler";
import type { CommandMsg } from "../../../host/ws/ws-messages";

function setup(answer: (b: CommandBody) => CommandOutcome = () => ({ outcome: "ACK", id: 1, tMs: 0, info: 120 })) {
  const state = new ProcedureState(createCounters());
  const drained: RecordLine[] = [];
  const sent: CommandBody[] = [];
  const handler = new CommandHandler(state, async (b) => (sent.push(b), answer(b)), "a-strong-control-token-1f9c");
  return {
    state,
    sent,
    handler,
    /** Everything the state's record outbox received so far. */
    get records(): RecordLine[] {
      drained.push(...state.drainRecords());
      return drained;
    },
  };
}

const cmd = (id: number, command: CommandMsg["command"]): CommandMsg => ({ type: "command", id, command });

describe("command handler and the recording", () => {
  it("10,000 unauthorised commands: each answered REFUSED UNAUTHORIZED, counted, none recorded, none sent", async () => {
    const rig = setup();
    const { state, sent, handler } = rig;
    for (let i = 0; i < 10_000; i++) expect(await handler.handle(cmd(i, { name: "pause", seconds: 120 }), false)).toMatchObject({ ok: false, outcome: "REFUSED", reason: "UNAUTHORIZED" });
    expect(rig.records).toEqual([]);
    expect(sent).toEqual([]);
    expect(state.counters.commandsRefused).toEqual({ UNAUTHORIZED: 10_000 });
  });

  it("authorised but refused by the bridge (no alarm, link down before limits are known): counted by reason, not recorded", async () => {
    const rig = setup();
    const { state, handler } = rig;
    expect(await handler.handle(cmd(1, { name: "ack", alarmKey: "dev:DEADBEEF:9" }), true)).toMatchObject({ outcome: "REFUSED", reason: "NO_ALARM" });
    expect(await handler.handle(cmd(2, { name: "setLimit", param: "INTERVENE", value: 4100 }), true)).toMatchObject({ outcome: "REFUSED", reason: "LINK_DOWN" });
    expect(rig.records).toEqual([]);
    expect(state.counters.commandsRefused).toEqual({ NO_ALARM: 1, LINK_DOWN: 1 });
  });

  it("a command the bridge ran is recorded once with the device's answer (ACK, NAK, TIMEOUT) or LOCAL", async () => {
    const answers: CommandOutcome[] = [
      { outcome: "ACK", id: 1, tMs: 5000, info: 120 },
      { outcome: "NAK", id: 2, reason: "BUSY" },
      { outcome: "TIMEOUT", id: 3 },
    ];
    const rig = setup(() => answers.shift()!);
    const { state, handler } = rig;
    await handler.handle(cmd(1, { name: "pause", seconds: 120 }), true);
    await handler.handle(cmd(2, { name: "pause", seconds: 60 }), true);
    await handler.handle(cmd(3, { name: "pause", seconds: 30 }), true);
    await handler.handle(cmd(4, { name: "ack", alarmKey: "*" }), true); // no alarm at all: done by the bridge
    const cmds = rig.records.filter((r) => r.k === "cmd");
    expect(cmds.map((r) => (r.k === "cmd" ? [r.id, r.outcome, r.reason, r.info] : null))).toEqual([
      [1, "ACK", null, 120],
      [2, "NAK", "BUSY", null],
      [3, "TIMEOUT", null, null],
      [4, "LOCAL", null, 0],
    ]);
    expect(state.counters.commandsRefused).toEqual({});
  });
});
