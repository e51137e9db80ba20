// Control commands from clients: authorised, checked (limits against the safe bounds), forwarded, answered with the client's id.
import { checkLimit, LIMIT_BOUNDS, LIMIT_DOCS, LIMIT_FIELD } from "../../protocol";
import type { CommandBody, CommandOutcome } from "../serial/command-sender";
import { countByCode } from "../domain/counters";
import type { ProcedureState } from "../state/procedure-state";
import { tokenEquals } from "./token";
import type { CommandMsg, CommandResultMsg } from "./ws-messages";

/** Sends a command to the device (the link's sender). */
export type SendCommand = (body: CommandBody) => Promise<CommandOutcome>;

type Id = CommandResultMsg["id"];

function result(id: Id, ok: boolean, outcome: CommandResultMsg["outcome"], reason: string | null, info: number | null, message: string): CommandResultMsg {
  return { type: "commandResult", id: id, ok: ok, outcome: outcome, reason: reason, info: info, message: message };
}

function fromOutcome(id: Id, o: CommandOutcome, what: string): CommandResultMsg {
  switch (o.outcome) {
    case "ACK":
      return result(id, true, "ACK", null, o.info, `device acknowledged ${what}`);
    case "NAK":
      return result(id, false, "NAK", o.reason, null, `device refused ${what}: ${o.reason}`);
    case "TIMEOUT":
      return result(id, false, "TIMEOUT", null, null, `no answer from the device to ${what} in time`);
    case "REFUSED":
      return result(id, false, "REFUSED", "LINK_DOWN", null, `${what} not sent: the device is not connected`);
  }
}

/** Handles client commands for one bridge. */
export class CommandHandler {
  constructor(
    private readonly state: ProcedureState,
    private readonly send: SendCommand,
    private readonly token: string,
  ) {}

  /** Whether `token` is the control token. */
  authorise(token: unknown): boolean {
    return tokenEquals(token, this.token);
  }

  /**
   * Runs one command; `authorised` is whether the connection has control or the command's token was right (the
   * relay compares tokens, under its guess lock-out). Never rejects. Only commands the bridge ran are recorded,
   * with their result (ACK, NAK, TIMEOUT, LOCAL); a refusal (UNAUTHORIZED, RANGE, ...) is counted by reason in
   * counters.commandsRefused instead, so no client can fill the recording with refused commands.
   */
  async handle(msg: CommandMsg, authorised: boolean): Promise<CommandResultMsg> {
    const id = msg.id;
    const r = authorised ? await this.run(msg) : result(id, false, "REFUSED", "UNAUTHORIZED", null, "control commands need the bridge's token (hello or command.token)");
    if (r.outcome === "REFUSED") countByCode(this.state.counters.commandsRefused, r.reason ?? "REFUSED");
    else this.state.record.write({ k: "cmd", atMs: Date.now(), id: id, command: msg.command, outcome: r.outcome, reason: r.reason, info: r.info });
    return r;
  }

  private async run(msg: CommandMsg): Promise<CommandResultMsg> {
    const id = msg.id;
    const c = msg.command;
    switch (c.name) {
      case "ack":
        return this.ack(id, c.alarmKey);
      case "pause":
        return fromOutcome(id, await this.send({ type: "PAUSE", seconds: c.seconds }), "PAUSE");
      case "setLimit": {
        const limits = this.state.limits;
        if (!limits) return result(id, false, "REFUSED", "LINK_DOWN", null, "no limits known yet: the device has not connected");
        const b = LIMIT_BOUNDS[c.param];
        const why = checkLimit(limits, c.param, c.value);
        if (why === "RANGE") return result(id, false, "REFUSED", "RANGE", null, `${c.param} ${c.value} outside its safe bounds ${b.min}..${b.max} ${LIMIT_DOCS[c.param].unit}`);
        if (why === "ORDER") return result(id, false, "REFUSED", "ORDER", null, `${c.param} ${c.value} would break warn < intervene < stop (now ${limits.warnCc} / ${limits.interveneCc} / ${limits.stopCc} cC)`);
        const lmBefore = this.state.lmCount;
        const o = await this.send({ type: "LIM", param: c.param, value: c.value });
        // The device sends the new LM before the K. Any LM since the send is authoritative (it may carry a later
        // command's value too); only when none arrived is the ACKed value applied here.
        if (o.outcome === "ACK" && this.state.lmCount === lmBefore) this.state.applyLimit(LIMIT_FIELD[c.param], c.value);
        return fromOutcome(id, o, `LIM ${c.param}=${c.value} (${LIMIT_FIELD[c.param]})`);
      }
      case "startSession": {
        const o = await this.send({ type: "START", session: c.session });
        if (o.outcome === "ACK") this.state.setSession(c.session);
        return fromOutcome(id, o, "START");
      }
      case "endSession": {
        const o = await this.send({ type: "END" });
        if (o.outcome === "ACK") this.state.setSession(null);
        return fromOutcome(id, o, "END");
      }
      case "mark": {
        const o = await this.send({ type: "MARK", text: c.text });
        // The event is a fact of the procedure: recorded by the bridge even if the device cannot hear it.
        this.state.addEvent(c.text, "client");
        if (o.outcome === "ACK") return fromOutcome(id, o, "MARK");
        return result(id, true, "LOCAL", o.outcome === "NAK" ? o.reason : o.outcome === "REFUSED" ? "LINK_DOWN" : null, null, `event recorded by the bridge; the device did not confirm it (${o.outcome})`);
      }
    }
  }

  private async ack(id: Id, key: string): Promise<CommandResultMsg> {
    const book = this.state.alarms;
    if (key === "*") {
      let local = 0;
      for (const a of book.list()) if (a.source === "host" && book.ackHost(a.key, Date.now())) local++;
      const deviceUnacked = book.list().some((a) => a.source === "device" && !a.acked);
      if (!deviceUnacked) return result(id, true, "LOCAL", null, local, `${local} bridge alarm(s) acknowledged`);
      return fromOutcome(id, await this.send({ type: "ACKAL", alarmId: 0 }), "ACKAL (all)");
    }
    const a = book.get(key);
    if (!a) return result(id, false, "REFUSED", "NO_ALARM", null, `no alarm ${key}`);
    if (a.source === "host") {
      return book.ackHost(key, Date.now()) ? result(id, true, "LOCAL", null, 1, `${a.cond} acknowledged`) : result(id, false, "REFUSED", "NO_ALARM", null, `${key} is already acknowledged`);
    }
    return fromOutcome(id, await this.send({ type: "ACKAL", alarmId: a.alarmId! }), `ACKAL ${a.alarmId}`);
  }
}
