// What the link core takes from and gives to its shell and the procedure state: items, losses, state changes, command outcomes.
import type { DeviceMessage } from "../../protocol";
import type { LinkState } from "../domain/domain-schemas";
import type { SerialLinkError } from "../domain/link-error";
import type { CommandOutcome } from "./command-table";
import type { SeqRange } from "./reading-tracker";

/** How an HI relates to what the link knew: first device, same boot again (reconnect), reboot, another device. */
export type HelloKind = "first" | "same" | "reboot" | "new-device";

/** One validated device message, in processing order (alarms in seq order). */
export interface LinkItem {
  msg: DeviceMessage;
  /** Wall-clock ms the line arrived (a held alarm keeps its own arrival, not its release). */
  atMs: number;
  /** Host monotonic ms the line arrived. */
  monoMs?: number;
  /** R only: the line fills an earlier gap (RESEND). */
  resent?: boolean;
  /** HI only. */
  hello?: HelloKind;
  /** HI only: the reading seq from which readings now arrive in order (live or resent); absent: unchanged. */
  trackFromSeq?: number;
  /** K only: the answer to a HELLO, which ends the handshake's alarm restatement (PROTOCOL.md section 3). */
  restated?: boolean;
}

/** Everything one input to the link core produced, in order of kind; the shell drains it after each input. */
export interface LinkOutbox {
  /** Lines to write to the port, in order. */
  writes: string[];
  /** Validated messages for the procedure state. */
  items: LinkItem[];
  /** Reading seqs now known lost, with the wall-clock ms it was decided. */
  lost: { ranges: SeqRange[]; atMs: number }[];
  /** Link state changes, in order; error says why it is not up. */
  states: { state: LinkState; error: SerialLinkError | null }[];
  /** Outcomes of callers' commands. */
  answers: CommandOutcome[];
  /** Set when the shell must close the port: the error that ends the connection (it then calls connectionEnded). */
  dropPort: SerialLinkError | null;
}

/** An empty outbox. */
export function emptyOutbox(): LinkOutbox {
  return { writes: [], items: [], lost: [], states: [], answers: [], dropPort: null };
}
