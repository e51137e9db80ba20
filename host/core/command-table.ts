// Host -> device commands as pure data: ids, the encoded line, ACK / NAK matching, deadlines decided by the time passed in.
import { encode, SEQ_MAX, type Ack, type HostMessage, type Nak } from "../../protocol";
import type { Counters } from "../domain/domain-schemas";

/** Default time a command waits for its K / N. */
export const COMMAND_TIMEOUT_MS = 2000;

/** How a command ended. */
export type CommandOutcome =
  | { outcome: "ACK"; id: number; tMs: number; info: number }
  | { outcome: "NAK"; id: number; reason: string }
  | { outcome: "TIMEOUT"; id: number }
  | { outcome: "REFUSED"; id: number; reason: "LINK_DOWN" };

/** A command without its id: the table assigns one. */
export type CommandBody = { [T in HostMessage["type"]]: Omit<Extract<HostMessage, { type: T }>, "seq"> }[HostMessage["type"]];

interface Pending {
  deadlineMs: number;
  /** Set for the link's own commands (HELLO, TIME, RESEND): their outcome goes back to the link, not to a caller. */
  own: ((o: CommandOutcome) => void) | null;
}

/**
 * Assigns command ids (1 ... 2^32 - 1, wrapping), keeps what waits for an answer and when it times
 * out. Pure: `nowMs` is passed in; `tick` returns the commands whose time ran out.
 */
export class CommandTable {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly counters: Counters) {}

  /** Registers a command sent now; returns its id and the line to write. */
  open(body: CommandBody, nowMs: number, timeoutMs: number, own: Pending["own"] = null): { id: number; line: string } {
    const id = this.nextId;
    this.nextId = this.nextId >= SEQ_MAX ? 1 : this.nextId + 1;
    this.pending.set(id, { deadlineMs: nowMs + timeoutMs, own: own });
    this.counters.commandsSent++;
    return { id: id, line: encode({ ...body, seq: id } as HostMessage) };
  }

  /** A fresh id for a command refused before it was written (the link is down). */
  refuse(): CommandOutcome {
    const id = this.nextId;
    this.nextId = this.nextId >= SEQ_MAX ? 1 : this.nextId + 1;
    return { outcome: "REFUSED", id: id, reason: "LINK_DOWN" };
  }

  /** Matches a K or N line; returns a caller's outcome (null when none waits or the command was the link's own). */
  answer(msg: Ack | Nak): CommandOutcome | null {
    const p = this.pending.get(msg.cmd);
    if (!p) return null;
    this.pending.delete(msg.cmd);
    let o: CommandOutcome;
    if (msg.type === "K") {
      this.counters.commandsAcked++;
      o = { outcome: "ACK", id: msg.cmd, tMs: msg.tMs, info: msg.info };
    } else {
      this.counters.commandsNaked++;
      o = { outcome: "NAK", id: msg.cmd, reason: msg.reason };
    }
    return this.settle(p, o);
  }

  /** Commands whose deadline has passed: TIMEOUT outcomes for callers (the link's own are settled inside). */
  tick(nowMs: number): CommandOutcome[] {
    const out: CommandOutcome[] = [];
    for (const [id, p] of this.pending) {
      if (nowMs < p.deadlineMs) continue;
      this.pending.delete(id);
      this.counters.commandsTimedOut++;
      const o = this.settle(p, { outcome: "TIMEOUT", id: id });
      if (o) out.push(o);
    }
    return out;
  }

  /** The port went away: every waiting command is REFUSED / LINK_DOWN. */
  cancelAll(): CommandOutcome[] {
    const out: CommandOutcome[] = [];
    const all = [...this.pending];
    this.pending.clear();
    for (const [id, p] of all) {
      const o = this.settle(p, { outcome: "REFUSED", id: id, reason: "LINK_DOWN" });
      if (o) out.push(o);
    }
    return out;
  }

  /** Commands waiting for an answer. */
  get waiting(): number {
    return this.pending.size;
  }

  private settle(p: Pending, o: CommandOutcome): CommandOutcome | null {
    if (!p.own) return o;
    p.own(o);
    return null;
  }
}
