// Control commands from clients: authorised, checked (limits against the safe bounds), forwarded, answered with the client's id.
import { checkLimit, LIMIT_BOUNDS, LIMIT_DOCS, LIMIT_FIELD } from "../../protocol";
import type { CommandBody, CommandOutcome } from "../serial/command-sender";
import { countByCode } from "../domain/counters";
import type { ProcedureState } from "../state/procedure-state";
import { tokenEquals } from "./token";
import type { CommandMsg, CommandResultMsg, SessionConfirm } from "./ws-messages";

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

/** How the bridge handles sessions. */
export interface SessionOptions {
  /**
   * Start a session by itself when the device runs none and holds no dose: "auto" names it from the
   * clock (case-MMDD-HHMMSS), a string names it; undefined or null leaves it to the users.
   */
  autoSession?: string | "auto" | null;
  /** The bridge's clock (tests). */
  now?: () => Date;
}

/** Session name the bridge makes up when none was given: "case-1204-013512" (local time, 16 characters). */
export function generatedSessionName(at: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `case-${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
}

/** "canal 0 min 31 s at >= 42.2 degC, CEM43 0.51": a dose in words, for events and refusals. */
export function doseWords(label: string, d: { t42Ms: number; t70Ms: number; cem43M: number }): string {
  const dur = (ms: number) => `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
  return `${label} ${dur(d.t42Ms)} at >= 42.2 degC${d.t70Ms > 0 ? `, ${dur(d.t70Ms)} at >= 70 degC` : ""}, CEM43 ${(d.cem43M / 1000).toFixed(2)}`;
}

/** Handles client commands for one bridge. */
export class CommandHandler {
  constructor(
    private readonly state: ProcedureState,
    private readonly send: SendCommand,
    private readonly token: string,
    private readonly sessions: SessionOptions = {},
  ) {
    if (sessions.autoSession != null) state.onSessionless = () => void this.autoStart();
  }

  /** Whether `token` is the control token. */
  authorise(token: unknown): boolean {
    return tokenEquals(token, this.token);
  }

  /**
   * Runs one command; `authorised` is whether the connection has control or the command's token was right (the
   * relay compares tokens, under its guess lock-out); `by` names the client. Never rejects. Only commands the
   * bridge ran are recorded, with their result (ACK, NAK, TIMEOUT, LOCAL); a refusal (UNAUTHORIZED, RANGE, ...)
   * is counted by reason in counters.commandsRefused instead, so no client can fill the recording with refused commands.
   */
  async handle(msg: CommandMsg, authorised: boolean, by: string | null = null): Promise<CommandResultMsg> {
    const id = msg.id;
    const r = authorised ? await this.run(msg, by) : result(id, false, "REFUSED", "UNAUTHORIZED", null, "control commands need the bridge's token (hello or command.token)");
    if (r.outcome === "REFUSED") countByCode(this.state.counters.commandsRefused, r.reason ?? "REFUSED");
    else this.state.record.write({ k: "cmd", atMs: Date.now(), id: id, command: msg.command, outcome: r.outcome, reason: r.reason, info: r.info });
    return r;
  }

  private async run(msg: CommandMsg, by: string | null): Promise<CommandResultMsg> {
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
      case "startSession":
        return this.startSession(id, c.session, c.confirm);
      case "endSession":
        return this.endSession(id, c.confirm);
      case "setCase":
        this.state.setCase(c.fields, by);
        return result(id, true, "LOCAL", null, null, "case fields recorded");
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

  // ---------------------------------------------------------------------------------------------
  // Procedure sessions: a start zeroes every dose on the device, so it needs the user's confirmation
  // of what is lost (the doses shown), an end the session shown; a name is used once.
  // ---------------------------------------------------------------------------------------------

  /** Why a confirmation does not cover the session change, or null when it does. */
  private confirmProblem(id: Id, confirm: SessionConfirm | undefined, what: string, zeroes: boolean): CommandResultMsg | null {
    const running = this.state.device?.session ?? null;
    if (!confirm) return result(id, false, "REFUSED", "CONFIRM_REQUIRED", null, `${what} needs confirm: the session shown running${zeroes ? " and the doses shown, which a start zeroes" : ""}`);
    if (confirm.session !== running) return result(id, false, "REFUSED", "CONFIRM_STALE", null, `${what}: the user was shown session ${confirm.session ?? "none"}, the device runs ${running ?? "none"}`);
    if (!zeroes) return null;
    const shown = new Set((confirm.doses ?? []).map((d) => d.ch));
    const unseen = this.state.dosesAboveZero().filter((d) => !shown.has(d.ch));
    if (unseen.length === 0) return null;
    const words = unseen.map((d) => doseWords(this.state.channels[d.ch]?.label ?? "ch" + d.ch, d)).join("; ");
    return result(id, false, "REFUSED", "CONFIRM_STALE", null, `${what} would zero doses the user was not shown: ${words}`);
  }

  private async startSession(id: Id, name: string, confirm: SessionConfirm | undefined): Promise<CommandResultMsg> {
    const problem = this.confirmProblem(id, confirm, `starting session ${name}`, true);
    if (problem) return problem;
    if (this.state.sessionUsed(name)) return result(id, false, "REFUSED", "NAME_USED", null, `session name ${name} was used before on this bridge: choose another`);
    const zeroed = this.state.dosesAboveZero().map((d) => doseWords(this.state.channels[d.ch]?.label ?? "ch" + d.ch, d));
    const running = this.state.device?.session ?? null;
    if (running !== null) {
      // The user confirmed ending the running session too: the device refuses a START while one runs.
      const e = await this.send({ type: "END" });
      if (e.outcome !== "ACK") return fromOutcome(id, e, `END (before starting ${name})`);
      this.state.setSession(null);
    }
    return this.start(id, name, zeroed);
  }

  private async start(id: Id, name: string, zeroed: string[]): Promise<CommandResultMsg> {
    const o = await this.send({ type: "START", session: name });
    if (o.outcome === "ACK") {
      this.state.setSession(name);
      this.state.addEvent(`Session ${name} started${zeroed.length ? "; doses zeroed: " + zeroed.join("; ") : ""}`, "host");
    }
    return fromOutcome(id, o, "START");
  }

  private async endSession(id: Id, confirm: SessionConfirm | undefined): Promise<CommandResultMsg> {
    const problem = this.confirmProblem(id, confirm, "ending the session", false);
    if (problem) return problem;
    const running = this.state.device?.session ?? null;
    const o = await this.send({ type: "END" });
    if (o.outcome === "ACK") {
      this.state.setSession(null);
      this.state.addEvent(`Session ${running ?? "-"} ended (doses kept until the next start)`, "host");
    }
    return fromOutcome(id, o, "END");
  }

  /** The device runs no session and holds no dose: starts one named by the options (nothing is zeroed). */
  private async autoStart(): Promise<void> {
    const want = this.sessions.autoSession;
    if (want == null) return;
    let name = want === "auto" ? generatedSessionName(this.sessions.now?.() ?? new Date()) : want;
    if (this.state.sessionUsed(name)) {
      if (want !== "auto") return; // a given name used before: the users choose another
      name = generatedSessionName(new Date((this.sessions.now?.() ?? new Date()).getTime() + 1000));
      if (this.state.sessionUsed(name)) return;
    }
    const r = await this.start("auto-session", name, []);
    this.state.record?.write({ k: "cmd", atMs: Date.now(), id: "auto-session", command: { name: "startSession", session: name }, outcome: r.outcome, reason: r.reason, info: r.info });
  }
}
