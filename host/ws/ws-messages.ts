// The bridge's WebSocket API: zod schemas of every server -> client and client -> server message.
//
// Framing: every text frame the server sends is a JSON **array** of one or more ServerMessage
// objects (the bridge batches what one serial chunk produced into one frame). Every frame a client
// sends is one ClientMessage object. docs/ws-schema.json is generated from this file
// (`node --import tsx host/ws/write-schema.ts`); docs/WEBSOCKET.md describes it with examples.
import * as z from "zod";
import { ALARM_ACTIONS, CONDITIONS, FAULT_TOKENS, LIMIT_PARAMS, NAK_REASONS, ROLES } from "../../protocol";

/** Version of this WebSocket API; bumped on any incompatible change. */
export const WS_API_VERSION = 1;
/** Largest client -> server frame in bytes (ws maxPayload); larger frames close the connection (1009). */
export const WS_MAX_CLIENT_PAYLOAD_BYTES = 4096;

/** Technical alarms the bridge raises itself (source "host"), in addition to the device's CONDITIONS. */
export const HOST_CONDITIONS = ["LINK_LOST", "STALE", "DOSE_MISMATCH", "DEVICE_REBOOT", "READINGS_LOST", "SCHEMA_MISMATCH", "RECORDING_FAILED", "MQTT_DOWN"] as const;
/** Every alarm condition a client may see: the device's and the bridge's own. */
export const ALL_CONDITIONS = [...CONDITIONS, ...HOST_CONDITIONS] as const;
/** Link states of the serial connection, in the order a connection normally goes through them. */
export const LINK_STATES = ["connecting", "handshaking", "up", "lost", "reconnecting", "refused", "closed"] as const;

const FAULTS = FAULT_TOKENS.filter((t) => t !== "") as Exclude<(typeof FAULT_TOKENS)[number], "">[];
const int = () => z.int();
const uint = () => z.int().nonnegative();
/** Printable ASCII without the protocol's framing characters "$ , * \" (what the device accepts in text fields). */
const wireText = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[\x20-\x7e]*$/, "printable ASCII only")
    .regex(/^[^$,*\\]*$/, "must not contain $ , * or \\");

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

/** One channel's value: temperature in centi-degC (4215 = 42.15 degC), or a two-letter fault token (PROTOCOL.md section 4). */
export const ChannelValue = z.union([int(), z.enum(FAULTS)]).describe("centi-degC integer, or fault token OC SG SV NC OR SP ND");

/** One sample instant of every channel. */
export const ReadingRow = z.object({
  /** Device reading sequence number (per boot). */
  seq: uint(),
  /** Device monotonic time of the sample, ms since boot. */
  tMs: uint(),
  /** Wall-clock time of the sample, ms since the Unix epoch, estimated by the bridge (device clock offset). */
  atMs: z.number(),
  /** One value per channel, in channel order. */
  valuesCc: z.array(ChannelValue),
  /** True when this row arrived late through a RESEND (it fills a gap; insert it by seq / atMs). */
  resent: z.boolean().optional(),
});

/** Recent history in columns (uPlot's layout): index i of every array is one sample instant, oldest first. */
export const History = z.object({
  seq: z.array(uint()),
  tMs: z.array(uint()),
  atMs: z.array(z.number()),
  /** valuesCc[ch][i]: channel ch at instant i. */
  valuesCc: z.array(z.array(ChannelValue)),
});

/** The connected device, from its HI line (null fields until one has been seen). */
export const DeviceInfo = z.object({
  deviceId: z.string(),
  fw: z.string(),
  /** Random id of the device's current boot, 8 upper-case hex digits. */
  bootId: z.string(),
  major: uint(),
  minor: uint(),
  channels: uint(),
  rateHz: uint(),
  /** Running session name, or null when none is running. */
  session: z.string().nullable(),
  /** Device's schema hash (8 hex digits) and whether it equals the bridge's. */
  schemaHash: z.string(),
  schemaMatches: z.boolean(),
  /** Doses were restored from the device's storage at boot. */
  restored: z.boolean(),
  /** Serial port path the device is on. */
  port: z.string().nullable(),
});

/** One channel's declaration (CH line). */
export const Channel = z.object({
  ch: uint(),
  label: z.string(),
  role: z.enum(ROLES),
  tc: z.enum(["K", "T", "SIM"]),
  chip: z.enum(["MAX31855", "MAX31856", "SIM"]),
});

/** Limits in force on the device (LM line); units in the names. */
export const Limits = z.object({
  warnCc: int(),
  interveneCc: int(),
  stopCc: int(),
  predictS: int(),
  dose42Min: int(),
  dose70Min: int(),
  /** CEM43 limit in centi-CEM43 (1650 = 16.5 CEM43). */
  cem43Limit: int(),
});

/** The bridge's own recomputation of a channel's doses from the readings it received. */
export const DoseCheck = z.object({
  t42Ms: z.number(),
  t70Ms: z.number(),
  cem43M: z.number(),
  /** False while the device's dose and this one differ beyond tolerance (DOSE_MISMATCH alarm). */
  ok: z.boolean(),
});

/** Cumulative doses of one nerve channel (D line) plus the bridge's check. */
export const Dose = z.object({
  ch: uint(),
  tMs: uint(),
  atMs: z.number(),
  /** Time at >= 42.2 degC, ms, and its fraction of the limit in permille. */
  t42Ms: uint(),
  t42Pm: uint(),
  /** Time at >= 70 degC, ms, and permille of its limit. */
  t70Ms: uint(),
  t70Pm: uint(),
  /** CEM43 in milli-CEM43, and permille of its limit. */
  cem43M: uint(),
  cem43Pm: uint(),
  check: DoseCheck.nullable(),
});

/** One alarm, device or bridge ("host") raised. */
export const Alarm = z.object({
  /** Stable key for this alarm's life: "dev:<bootId>:<alarmId>" or "host:<cond>[:<ch>]". Use it to acknowledge. */
  key: z.string(),
  source: z.enum(["device", "host"]),
  /** Device alarm id (A line), null for host alarms. */
  alarmId: uint().nullable(),
  cond: z.enum(ALL_CONDITIONS),
  /** Channel index, -1 when the alarm is not about one channel. */
  ch: int(),
  prio: z.enum(["H", "M", "L"]),
  /** P physiological, T technical. */
  kind: z.enum(["P", "T"]),
  active: z.boolean(),
  acked: z.boolean(),
  latching: z.boolean(),
  /** Meaning by condition: PROTOCOL.md section 4 table (device); host: see docs/WEBSOCKET.md. */
  value: z.number(),
  limit: z.number(),
  info: z.number(),
  /** Wall-clock ms when raised and when last changed. */
  raisedAtMs: z.number(),
  changedAtMs: z.number(),
  /**
   * Device monotonic ms (since its boot) of the A line that raised or last changed this alarm: for a
   * limit alarm, the tMs of the reading that crossed. Null for the bridge's own alarms.
   */
  tMs: uint().nullable(),
  /** One-line human description, e.g. "canal 42.31 degC >= intervene 42.00 degC". */
  text: z.string(),
});

/** One alarm transition as kept in the snapshot's alarmLog (a RAISE ... CLEAR that happened before a client connected). */
export const AlarmLogEntry = z.object({
  /** Wall-clock ms of the transition (the alarm's changedAtMs then). */
  atMs: z.number(),
  /** Device ms of the A line (the alarm's tMs then); null for the bridge's own alarms. */
  tMs: uint().nullable(),
  key: z.string(),
  source: z.enum(["device", "host"]),
  action: z.enum(ALARM_ACTIONS),
  cond: z.enum(ALL_CONDITIONS),
  ch: int(),
  prio: z.enum(["H", "M", "L"]),
  /** The alarm's state after the transition. */
  active: z.boolean(),
  acked: z.boolean(),
  /** The alarm's text after the transition. */
  text: z.string(),
});

/** The serial link. */
export const Link = z.object({
  state: z.enum(LINK_STATES),
  port: z.string().nullable(),
  /** Wall-clock ms of the last state change and of the last valid line (null: none yet). */
  sinceMs: z.number(),
  lastLineAtMs: z.number().nullable(),
  /** Wall-clock ms when the last reading row arrived (null: none yet). */
  lastReadingAtMs: z.number().nullable(),
  /** True when the newest reading is older than staleAfterMs: every shown value is stale (STALE or LINK_LOST alarm). */
  readingsStale: z.boolean(),
  /** Values older than this are stale and must not be shown as live (2500 ms, PROTOCOL.md section 6). */
  staleAfterMs: z.number(),
  /** Why the link is not up, with a stable code (NO_PORT, PERMISSION_DENIED, PORT_BUSY, WRONG_DEVICE, VERSION_MISMATCH, ...). */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  reconnects: uint(),
});

/** The device's status heartbeat (S line) with its flag bits spelled out. */
export const DeviceStatus = z.object({
  tMs: uint(),
  atMs: z.number(),
  session: z.string().nullable(),
  flags: uint(),
  interlock: z.boolean(),
  audioPaused: z.boolean(),
  sessionActive: z.boolean(),
  timeSynced: z.boolean(),
  storageOk: z.boolean(),
  txCongested: z.boolean(),
  pauseS: uint(),
  alarms: uint(),
  samples: uint(),
  missed: uint(),
  dropped: uint(),
  badRx: uint(),
  retx: uint(),
  spikes: uint(),
});

/** The bridge's counters since it started (serial side and WebSocket side). */
export const Counters = z.object({
  /** Valid lines received. */
  lines: uint(),
  /** Rejected lines by reason: decode codes (BAD_CRC, TOO_LONG, ...) and SCHEMA (failed the zod stage). */
  badLines: z.record(z.string(), uint()),
  /** Bytes dropped by the line splitter (over-long lines, junk before "$"). */
  droppedBytes: uint(),
  /** Reading gaps detected, readings missing in them, RESEND commands sent, readings recovered, readings lost (GONE). */
  readGaps: uint(),
  readMissing: uint(),
  resendRequests: uint(),
  readRecovered: uint(),
  readLost: uint(),
  /** Reading lines seen twice. */
  readDuplicates: uint(),
  /** Alarm lines processed, duplicates (device retransmits whose first copy was processed), alarm lines held back out of order. */
  alarmLines: uint(),
  alarmRetransmits: uint(),
  alarmHeld: uint(),
  /** Gaps in the shared seq of HI CH LM D S K N lines (counted, never resent). */
  otherGaps: uint(),
  commandsSent: uint(),
  commandsAcked: uint(),
  commandsNaked: uint(),
  commandsTimedOut: uint(),
  reconnects: uint(),
  reboots: uint(),
  wsClients: uint(),
  /** Reading rows dropped for slow clients, and clients disconnected for not keeping up with alarms. */
  wsDroppedRows: uint(),
  wsSlowDisconnects: uint(),
  /** Rejected client messages by error code (BAD_JSON, BAD_MESSAGE, BINARY_NOT_SUPPORTED; ws protocol errors such as an oversize frame by the ws library's code). */
  wsBadMessages: z.record(z.string(), uint()),
});

/** Session recording state. */
export const Recording = z.object({
  active: z.boolean(),
  /** Path of the NDJSON file being written (null when not recording). */
  file: z.string().nullable(),
  bytes: uint(),
  lastFlushAtMs: z.number().nullable(),
  /** Why writing to disk fails right now (records are held in memory and retried every second); null when it works. */
  error: z.string().nullable(),
  /** Records dropped because the disk refused them for longer than the memory cap holds (16 MB). */
  droppedRecords: uint(),
  /** Where the bridge serves this recording's live report (HTML; HEAD to check): "/report", relative to its http origin. Null when not recording. */
  reportUrl: z.string().nullable(),
});

/** A procedure event ("CO2 injected", ...) marked by a user. */
export const ProcedureEvent = z.object({
  atMs: z.number(),
  text: z.string(),
  /** Who marked it: a WebSocket client (through the MARK command). */
  source: z.enum(["client", "host"]),
});

// ---------------------------------------------------------------------------------------------
// Server -> client
// ---------------------------------------------------------------------------------------------

/** First message on every connection, and the answer to `resync`: the whole picture. */
export const SnapshotMsg = z.object({
  type: z.literal("snapshot"),
  apiVersion: z.literal(WS_API_VERSION),
  /** Bridge wall-clock ms when the snapshot was taken. */
  atMs: z.number(),
  /** Whether this connection may send control commands without a token in each command. */
  control: z.boolean(),
  device: DeviceInfo.nullable(),
  channels: z.array(Channel),
  limits: Limits.nullable(),
  /** Active, latched and unacknowledged alarms. */
  alarms: z.array(Alarm),
  /** The last 200 alarm transitions, oldest first: also alarms raised and cleared before this client connected. */
  alarmLog: z.array(AlarmLogEntry),
  /** Latest dose per nerve channel. */
  doses: z.array(Dose),
  link: Link,
  status: DeviceStatus.nullable(),
  counters: Counters,
  recording: Recording,
  /** Procedure events of the current recording. */
  events: z.array(ProcedureEvent),
  /** At least the last 10 minutes of readings. */
  history: History,
});

/** New readings (normally one serial chunk's worth; more after a slow client caught up). */
export const ReadingsMsg = z.object({ type: z.literal("readings"), rows: z.array(ReadingRow) });
/** New doses, one entry per nerve channel that got a D line. */
export const DoseMsg = z.object({ type: z.literal("dose"), doses: z.array(Dose) });
/** An alarm transition. Never dropped: a client that cannot take alarms is disconnected instead. */
export const AlarmMsg = z.object({ type: z.literal("alarm"), action: z.enum(ALARM_ACTIONS), alarm: Alarm });
/** The serial link changed state. */
export const LinkMsg = z.object({ type: z.literal("link"), link: Link });
/** Device identity, channels or limits changed (handshake, reboot, LIM accepted). */
export const DeviceMsg = z.object({ type: z.literal("device"), device: DeviceInfo.nullable(), channels: z.array(Channel), limits: Limits.nullable() });
/** Once per second: device status, bridge counters, recording state. */
export const StatusMsg = z.object({ type: z.literal("status"), atMs: z.number(), status: DeviceStatus.nullable(), counters: Counters, recording: Recording });
/** A procedure event was marked. */
export const EventMsg = z.object({ type: z.literal("event"), event: ProcedureEvent });
/** Answer to `hello`: whether this connection now has control. */
export const AuthMsg = z.object({ type: z.literal("auth"), control: z.boolean() });

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
export const WS_ERROR_CODES = ["BAD_JSON", "BAD_MESSAGE", "UNAUTHORIZED", "BINARY_NOT_SUPPORTED"] as const;
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

export type ChannelValue = z.infer<typeof ChannelValue>;
export type ReadingRow = z.infer<typeof ReadingRow>;
export type History = z.infer<typeof History>;
export type DeviceInfo = z.infer<typeof DeviceInfo>;
export type Channel = z.infer<typeof Channel>;
export type Limits = z.infer<typeof Limits>;
export type Dose = z.infer<typeof Dose>;
export type DoseCheck = z.infer<typeof DoseCheck>;
export type Alarm = z.infer<typeof Alarm>;
export type AlarmLogEntry = z.infer<typeof AlarmLogEntry>;
export type Link = z.infer<typeof Link>;
export type LinkState = Link["state"];
export type DeviceStatus = z.infer<typeof DeviceStatus>;
export type Counters = z.infer<typeof Counters>;
export type Recording = z.infer<typeof Recording>;
export type ProcedureEvent = z.infer<typeof ProcedureEvent>;
export type ServerMessage = z.infer<typeof ServerMessage>;
export type SnapshotMsg = z.infer<typeof SnapshotMsg>;
export type CommandResultMsg = z.infer<typeof CommandResultMsg>;
export type CommandMsg = z.infer<typeof CommandMsg>;
export type ErrorMsg = z.infer<typeof ErrorMsg>;
export type Command = z.infer<typeof Command>;
export type ClientMessage = z.infer<typeof ClientMessage>;
export type HostCondition = (typeof HOST_CONDITIONS)[number];
export type AlarmCondition = (typeof ALL_CONDITIONS)[number];
