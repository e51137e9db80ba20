// The host's domain model as zod schemas: device, channels, limits, readings, doses, alarms, link, status, counters.
//
// The serial core, the procedure state, the recorder and the WebSocket API all speak these types; the
// WebSocket messages (host/ws/ws-messages.ts) are built over them.
import * as z from "zod";
import { CONDITIONS, FAULT_TOKENS, ROLES, ALARM_ACTIONS } from "../../protocol";

/** Technical alarms the bridge raises itself (source "host"), in addition to the device's CONDITIONS. */
export const HOST_CONDITIONS = ["LINK_LOST", "STALE", "DOSE_MISMATCH", "DEVICE_REBOOT", "READINGS_LOST", "SCHEMA_MISMATCH", "RECORDING_FAILED", "MQTT_DOWN", "ALARM_MISMATCH"] as const;
/** Every alarm condition a client may see: the device's and the bridge's own. */
export const ALL_CONDITIONS = [...CONDITIONS, ...HOST_CONDITIONS] as const;
/** Link states of the serial connection, in the order a connection normally goes through them. */
export const LINK_STATES = ["connecting", "handshaking", "up", "lost", "reconnecting", "refused", "closed"] as const;

const FAULTS = FAULT_TOKENS.filter((t) => t !== "") as Exclude<(typeof FAULT_TOKENS)[number], "">[];
const int = () => z.int();
const uint = () => z.int().nonnegative();
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
  // -- limits on what clients send (docs/WEBSOCKET.md "Limits") --
  /** Client frames and messages dropped by the per-connection rates, by what was limited: frame (any), resync, command. */
  wsRateLimited: z.record(z.string(), uint()),
  /** Wrong tokens compared (hello or command.token), and guesses refused uncompared during a lock-out. */
  wsAuthFailures: uint(),
  wsAuthLockedOut: uint(),
  /** Connections the bridge closed or refused to protect the others, by code: FLOOD, TOO_MANY_FROM_ADDRESS, TOO_MANY_CONNECTIONS, TOO_MANY_SOCKETS, HEADERS_TIMEOUT. */
  wsGuardCloses: z.record(z.string(), uint()),
  /** Replies (error messages, rate-limit notices) not sent because the client's send buffer was full. */
  wsRepliesDropped: uint(),
  /** Snapshot frames built (shared by every client asking within one state and interval) and sent. */
  wsSnapshotsBuilt: uint(),
  wsSnapshotsSent: uint(),
  /** Commands the bridge refused without sending them (not recorded), by reason: UNAUTHORIZED, LOCKED_OUT, RATE_LIMITED, RANGE, ORDER, LINK_DOWN, NO_ALARM. */
  commandsRefused: z.record(z.string(), uint()),
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
export type DeviceStatus = z.infer<typeof DeviceStatus>;
export type Counters = z.infer<typeof Counters>;
export type Recording = z.infer<typeof Recording>;
export type ProcedureEvent = z.infer<typeof ProcedureEvent>;
export type LinkState = Link["state"];
export type HostCondition = (typeof HOST_CONDITIONS)[number];
export type AlarmCondition = (typeof ALL_CONDITIONS)[number];
