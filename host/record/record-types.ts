// The lines of a session recording (NDJSON, one object per line), written by the recorder and read by report / export-csv.
import * as z from "zod";
import type { DeviceMessage } from "../../protocol";
import { CASE_TEXT_MAX_CHARS, CaseFields } from "../domain/case-fields";
import type { Alarm, Channel, DeviceInfo, Dose, Limits, Link, ProcedureEvent } from "../domain/domain-schemas";

/** Format version of the recording files. */
export const RECORD_FORMAT = 1;

/** First line of every file: what was known when it was opened, so each file stands alone. */
export interface StartRecord {
  k: "start";
  atMs: number;
  format: number;
  bridge: string;
  device: DeviceInfo | null;
  channels: Channel[];
  limits: Limits | null;
  alarms: Alarm[];
  doses: Dose[];
}
/** One sample instant; atMs is the sample's wall-clock time (device clock mapped). */
export interface ReadingRecord {
  k: "r";
  atMs: number;
  seq: number;
  tMs: number;
  v: (number | string)[];
  resent?: true;
}
/** Any other device message (HI CH LM D A S K N), as decoded; atMs is its arrival time. */
export interface DeviceRecord {
  k: "dev";
  atMs: number;
  m: DeviceMessage;
}
/** An alarm transition (device or host), normalised with its text. */
export interface AlarmRecord {
  k: "alarm";
  atMs: number;
  action: "RAISE" | "UPDATE" | "CLEAR" | "ACK";
  alarm: Alarm;
}
/** The serial link changed state. */
export interface LinkRecord {
  k: "link";
  atMs: number;
  link: Link;
}
/** Readings that could not be recovered (seq range). */
export interface LostRecord {
  k: "lost";
  atMs: number;
  from: number;
  count: number;
}
/** A control command from a client and its outcome. */
export interface CommandRecord {
  k: "cmd";
  atMs: number;
  id: string | number;
  command: Record<string, unknown>;
  outcome: string;
  reason: string | null;
  info: number | null;
  /** Who sent it: the client name of the connection (hello.client), when it gave one. */
  by?: string;
}
/** A procedure event ("CO2 injected"). */
export interface EventRecord {
  k: "event";
  atMs: number;
  event: ProcedureEvent;
}
export { MODALITIES, CASE_TEXT_MAX_CHARS, CaseFields, type Modality } from "../domain/case-fields";

/** A change of the case fields, recorded as it is made (before or during the procedure). */
export const CaseRecord = z.object({
  k: z.literal("case"),
  atMs: z.number(),
  fields: CaseFields,
  /** Who made the change: the client name of the connection, when it gave one. */
  by: z.string().max(CASE_TEXT_MAX_CHARS).optional(),
});
export type CaseRecord = z.infer<typeof CaseRecord>;

/** Last line of a file closed in an orderly way (absent after a crash). */
export interface EndRecord {
  k: "end";
  atMs: number;
  reason: string;
}

export type RecordLine = StartRecord | ReadingRecord | DeviceRecord | AlarmRecord | LinkRecord | LostRecord | CommandRecord | EventRecord | CaseRecord | EndRecord;

/** Where the state writes what happens (the recorder, or nothing). */
export interface RecordSink {
  write(rec: RecordLine): void;
}
