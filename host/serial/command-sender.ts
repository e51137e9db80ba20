// Host -> device commands: ids, ACK / NAK matching, timeouts.
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

/** A command without its id: the sender assigns one. */
export type CommandBody = { [T in HostMessage["type"]]: Omit<Extract<HostMessage, { type: T }>, "seq"> }[HostMessage["type"]];

interface Pending {
  resolve: (o: CommandOutcome) => void;
  timer: NodeJS.Timeout;
}

/**
 * Sends commands with fresh ids (1 ... 2^32 - 1, wrapping) through `write` and resolves each with the
 * device's ACK / NAK, a timeout, or a refusal when the link cannot take it. Never rejects.
 */
export class CommandSender {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private write: ((line: string) => boolean) | null,
    private readonly counters: Counters,
    private readonly timeoutMs = COMMAND_TIMEOUT_MS,
  ) {}

  /** Sets (or clears, with null) the function that writes a line to the port. Clearing refuses every pending command. */
  setWriter(write: ((line: string) => boolean) | null): void {
    this.write = write;
    if (!write) this.cancelAll();
  }

  /** Sends a command; resolves when answered, timed out, or refused. `timeoutMs` overrides the default. */
  send(body: CommandBody, timeoutMs = this.timeoutMs): Promise<CommandOutcome> {
    const id = this.nextId;
    this.nextId = this.nextId >= SEQ_MAX ? 1 : this.nextId + 1;
    const line = encode({ ...body, seq: id } as HostMessage);
    if (!this.write || !this.write(line)) return Promise.resolve({ outcome: "REFUSED", id: id, reason: "LINK_DOWN" });
    this.counters.commandsSent++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.counters.commandsTimedOut++;
        resolve({ outcome: "TIMEOUT", id: id });
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve, timer: timer });
    });
  }

  /** Matches a K or N line to its command. Returns false when no command with that id is waiting. */
  answer(msg: Ack | Nak): boolean {
    const p = this.pending.get(msg.cmd);
    if (!p) return false;
    this.pending.delete(msg.cmd);
    clearTimeout(p.timer);
    if (msg.type === "K") {
      this.counters.commandsAcked++;
      p.resolve({ outcome: "ACK", id: msg.cmd, tMs: msg.tMs, info: msg.info });
    } else {
      this.counters.commandsNaked++;
      p.resolve({ outcome: "NAK", id: msg.cmd, reason: msg.reason });
    }
    return true;
  }

  /** Resolves every waiting command as REFUSED / LINK_DOWN (the port went away). */
  cancelAll(): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ outcome: "REFUSED", id: id, reason: "LINK_DOWN" });
    }
    this.pending.clear();
  }

  /** Commands waiting for an answer. */
  get waiting(): number {
    return this.pending.size;
  }
}
