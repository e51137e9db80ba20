// What the bridge tells its consumers after each step: the whole picture (snapshot) and the updates (readings, doses, alarms, link, device, status, events).
import * as z from "zod";
import { ALARM_ACTIONS } from "../../protocol";
import { CaseFields } from "./case-fields";
import { Alarm, AlarmLogEntry, Channel, Counters, DeviceInfo, DeviceStatus, Dose, History, Limits, Link, ProcedureEvent, ReadingRow, Recording } from "./domain-schemas";

/** Version of this WebSocket API; bumped on any incompatible change. */
export const WS_API_VERSION = 1;
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
  /** The case fields set so far (absent from bridges older than this field). */
  case: CaseFields.optional(),
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
/** Every update the bridge produces (the server messages that are not answers to one client). */
/** The case fields changed (setCase command): the whole current set, who changed it and when. */
export const CaseMsg = z.object({ type: z.literal("case"), atMs: z.number(), fields: CaseFields, by: z.string().nullable() });

export const BridgeUpdate = z.discriminatedUnion("type", [ReadingsMsg, DoseMsg, AlarmMsg, LinkMsg, DeviceMsg, StatusMsg, EventMsg, CaseMsg]);

export type SnapshotMsg = z.infer<typeof SnapshotMsg>;
export type CaseMsg = z.infer<typeof CaseMsg>;
export type BridgeUpdate = z.infer<typeof BridgeUpdate>;
