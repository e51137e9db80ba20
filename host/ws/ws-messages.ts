// The bridge's WebSocket API: zod schemas of every server -> client and client -> server message.
//
// Framing: every text frame the server sends is a JSON **array** of one or more ServerMessage
// objects (the bridge batches what one serial chunk produced into one frame). Every frame a client
// sends is one ClientMessage object. docs/ws-schema.json is generated from this file
// (`node --import tsx host/ws/write-schema.ts`); docs/WEBSOCKET.md describes it with examples.
import * as z from "zod";
import { NAK_REASONS, LIMIT_PARAMS } from "../../protocol";
import { AlarmMsg, CaseMsg, DeviceMsg, DoseMsg, EventMsg, LinkMsg, ReadingsMsg, SnapshotMsg, StatusMsg } from "../domain/bridge-updates";

export * from "../domain/domain-schemas";
import { CaseFields } from "../domain/case-fields";

export { WS_API_VERSION, SnapshotMsg, ReadingsMsg, DoseMsg, AlarmMsg, LinkMsg, DeviceMsg, StatusMsg, EventMsg, CaseMsg } from "../domain/bridge-updates";

const uint = () => z.int().nonnegative();

/** Largest client -> server frame in bytes (ws maxPayload); larger frames close the connection (1009). */
export const WS_MAX_CLIENT_PAYLOAD_BYTES = 4096;

/** Printable ASCII without the protocol's framing characters "$ , * \" (what the device accepts in text fields). */
const wireText = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[\x20-\x7e]*$/, "printable ASCII only")
    .regex(/^[^$,*\\]*$/, "must not contain $ , * or \\");

// ---------------------------------------------------------------------------------------------
// Procedure sessions and case fields
// ---------------------------------------------------------------------------------------------

/** One channel's doses as a client showed them before asking for a session change (what a START zeroes). */
export const ShownDose = z.object({
  ch: uint(),
  t42Ms: uint(),
  t70Ms: uint(),
  cem43M: uint(),
});

/**
 * What the client showed its user before a session change, echoed back as proof: the session it showed
 * running (null: none) and, for a start, the doses the start will zero. A start or end without it, or with
 * a session that is not the one running, is refused (CONFIRM_REQUIRED, CONFIRM_STALE).
 */
export const SessionConfirm = z.object({
  /** The running session the user was shown (the one an end ends), null when none was shown running. */
  session: z.string().max(16).nullable(),
  /** For a start: every nerve channel's doses as shown (all of them with a dose above zero must be listed). */
  doses: z.array(ShownDose).max(64).optional(),
});

/** Refusal codes of session commands (commandResult.reason, outcome REFUSED). */
export const SESSION_REFUSALS = ["CONFIRM_REQUIRED", "CONFIRM_STALE", "NAME_USED"] as const;

// ---------------------------------------------------------------------------------------------
// Server -> client
// ---------------------------------------------------------------------------------------------

/** Answer to `hello`: whether this connection now has control. */
export const AuthMsg = z.object({
  type: z.literal("auth"),
  control: z.boolean(),
  /** Present when the token was not compared: too many wrong tokens from this connection or address; try again after this many ms. */
  retryAfterMs: uint().optional(),
});

/** How a command ended: the device's ACK or NAK, no answer in time, refused by the bridge, or done by the bridge itself. */
export const COMMAND_OUTCOMES = ["ACK", "NAK", "TIMEOUT", "REFUSED", "LOCAL"] as const;
/** The result of a client command, carrying the client's request id. */
export const CommandResultMsg = z.object({
  type: z.literal("commandResult"),
  id: z.union([z.string(), z.int()]),
  ok: z.boolean(),
  outcome: z.enum(COMMAND_OUTCOMES),
  /** NAK reason (PROTOCOL.md section 5) or refusal code: UNAUTHORIZED, LOCKED_OUT (too many wrong tokens; info = ms to wait), RATE_LIMITED, RANGE, ORDER, LINK_DOWN, NO_ALARM, CONFIRM_REQUIRED, CONFIRM_STALE, NAME_USED. */
  reason: z.union([z.enum(NAK_REASONS), z.string()]).nullable(),
  /** K.info (e.g. alarms acknowledged, seconds paused), null otherwise. */
  info: z.number().nullable(),
  message: z.string(),
});

/** Stable error codes of `error` messages. */
export const WS_ERROR_CODES = ["BAD_JSON", "BAD_MESSAGE", "UNAUTHORIZED", "BINARY_NOT_SUPPORTED", "RATE_LIMITED"] as const;
/** The client sent something the bridge cannot use; the connection stays open. */
export const ErrorMsg = z.object({
  type: z.literal("error"),
  code: z.enum(WS_ERROR_CODES),
  message: z.string(),
  /** The request id, when the bad message had a readable one. */
  id: z.union([z.string(), z.int()]).nullable(),
  /** zod issues: where (path) and what (code) was wrong. */
  issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), code: z.string(), message: z.string() })),
});

/** Every message the server sends (inside a frame's array). */
export const ServerMessage = z.discriminatedUnion("type", [
  SnapshotMsg, ReadingsMsg, DoseMsg, AlarmMsg, LinkMsg, DeviceMsg, StatusMsg, EventMsg, AuthMsg, CommandResultMsg, ErrorMsg, CaseMsg,
]);
/** One server text frame: a JSON array of messages, in order. */
export const ServerFrame = z.array(ServerMessage).min(1);

// ---------------------------------------------------------------------------------------------
// Client -> server
// ---------------------------------------------------------------------------------------------

/** A request id chosen by the client, echoed in commandResult / error. */
export const RequestId = z.union([z.string().min(1).max(64), z.int()]);

/** Acknowledge one alarm by its key, or "*" for every alarm (device: ACKAL; host alarms: acknowledged by the bridge). */
export const AckCommand = z.object({ name: z.literal("ack"), alarmKey: z.string().min(1).max(64) });
/** Pause the device's local audio, 1-120 s (the visual signal is never hidden). */
export const PauseCommand = z.object({ name: z.literal("pause"), seconds: z.int().min(1).max(120) });
/** Set one limit; checked against protocol/limits.ts safe bounds before it is sent (LIM). */
export const SetLimitCommand = z.object({ name: z.literal("setLimit"), param: z.enum(LIMIT_PARAMS), value: z.int() });
/** Start a session (the device zeroes every dose): needs `confirm` with the doses shown; a name used before is refused (NAME_USED). */
export const StartSessionCommand = z.object({ name: z.literal("startSession"), session: wireText(1, 16).refine((s) => s !== "-", "'-' means no session"), confirm: SessionConfirm.optional() });
/** End the running session (doses kept until the next start): needs `confirm.session`, the session being ended. */
export const EndSessionCommand = z.object({ name: z.literal("endSession"), confirm: SessionConfirm.optional() });
/** Set case fields (only those named; null clears one); recorded as a case record and sent to every client as `case`. */
export const SetCaseCommand = z.object({ name: z.literal("setCase"), fields: CaseFields });
/** Mark a procedure event, e.g. "CO2 injected". */
export const MarkCommand = z.object({ name: z.literal("mark"), text: wireText(1, 48) });
/** Every control command. */
export const Command = z.discriminatedUnion("name", [AckCommand, PauseCommand, SetLimitCommand, StartSessionCommand, EndSessionCommand, MarkCommand, SetCaseCommand]);

/** Authenticate the connection for control (optional; viewers need no token). Answered by `auth`. */
export const HelloMsg = z.object({ type: z.literal("hello"), token: z.string().max(128).optional(), client: z.string().max(64).optional() });
/** A control command; needs control (a `hello` with the token earlier, or `token` here). Answered by `commandResult` with `id`. */
export const CommandMsg = z.object({ type: z.literal("command"), id: RequestId, token: z.string().max(128).optional(), command: Command });
/** Ask for a fresh snapshot (e.g. after the client noticed it missed messages). */
export const ResyncMsg = z.object({ type: z.literal("resync") });

/** Every message a client may send (one per frame). */
export const ClientMessage = z.discriminatedUnion("type", [HelloMsg, CommandMsg, ResyncMsg]);

export type ServerMessage = z.infer<typeof ServerMessage>;
export type CommandResultMsg = z.infer<typeof CommandResultMsg>;
export type CommandMsg = z.infer<typeof CommandMsg>;
export type ErrorMsg = z.infer<typeof ErrorMsg>;
export type Command = z.infer<typeof Command>;
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ShownDose = z.infer<typeof ShownDose>;
export type SessionConfirm = z.infer<typeof SessionConfirm>;
