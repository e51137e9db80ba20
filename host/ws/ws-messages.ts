// The bridge's WebSocket API: zod schemas of every server -> client and client -> server message.
//
// Framing: every text frame the server sends is a JSON **array** of one or more ServerMessage
// objects (the bridge batches what one serial chunk produced into one frame). Every frame a client
// sends is one ClientMessage object. docs/ws-schema.json is generated from this file
// (`node --import tsx host/ws/write-schema.ts`); docs/WEBSOCKET.md describes it with examples.
import * as z from "zod";
import { NAK_REASONS, LIMIT_PARAMS } from "../../protocol";
import { AlarmMsg, DeviceMsg, DoseMsg, EventMsg, LinkMsg, ReadingsMsg, SnapshotMsg, StatusMsg } from "../domain/bridge-updates";

export * from "../domain/domain-schemas";
export { WS_API_VERSION, SnapshotMsg, ReadingsMsg, DoseMsg, AlarmMsg, LinkMsg, DeviceMsg, StatusMsg, EventMsg } from "../domain/bridge-updates";

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
// Server -> client
// ---------------------------------------------------------------------------------------------

/** Answer to `hello`: whether this connection now has control. */
export const AuthMsg = z.object({
  type: z.literal("auth"),
  control: z.boolean(),
  /** Present when the token was not compared: too many wrong tokens from this connection or address; try again after this many ms. */
  retryAfterMs: z.int().nonnegative().optional(),
});

/** How a command ended: the device's ACK or NAK, no answer in time, refused by the bridge, or done by the bridge itself. */
export const COMMAND_OUTCOMES = ["ACK", "NAK", "TIMEOUT", "REFUSED", "LOCAL"] as const;
/** The result of a client command, carrying the client's request id. */
export const CommandResultMsg = z.object({
  type: z.literal("commandResult"),
  id: z.union([z.string(), z.int()]),
  ok: z.boolean(),
  outcome: z.enum(COMMAND_OUTCOMES),
  /** NAK reason (PROTOCOL.md section 5) or refusal code: UNAUTHORIZED, RANGE, ORDER, LINK_DOWN, NO_ALARM. */
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
  SnapshotMsg, ReadingsMsg, DoseMsg, AlarmMsg, LinkMsg, DeviceMsg, StatusMsg, EventMsg, AuthMsg, CommandResultMsg, ErrorMsg,
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
/** Start a session (doses reset to 0). */
export const StartSessionCommand = z.object({ name: z.literal("startSession"), session: wireText(1, 16).refine((s) => s !== "-", "'-' means no session") });
/** End the running session. */
export const EndSessionCommand = z.object({ name: z.literal("endSession") });
/** Mark a procedure event, e.g. "CO2 injected". */
export const MarkCommand = z.object({ name: z.literal("mark"), text: wireText(1, 48) });
/** Every control command. */
export const Command = z.discriminatedUnion("name", [AckCommand, PauseCommand, SetLimitCommand, StartSessionCommand, EndSessionCommand, MarkCommand]);

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
