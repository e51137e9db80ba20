// The MQTT payloads: zod schemas of every message a bridge publishes and of the central station's commands.
//
// Every payload is one JSON object with "v" (MQTT_API_VERSION). docs/MQTT.md, with a JSON Schema per payload,
// is generated from this file (`npm run docs:mqtt`) and a test keeps it current.
import * as z from "zod";
import { ALARM_ACTIONS } from "../../protocol";
import { Alarm, Channel, Dose, LINK_STATES, Limits, Link, ReadingRow } from "../ws/ws-messages";

/** Version of the payloads (the "v1" of the topic root); bumped on any incompatible change. */
export const MQTT_API_VERSION = 1;

const v = z.literal(MQTT_API_VERSION);
const uint = () => z.int().nonnegative();

/** The broker connection as the bridge sees it, counted since the bridge started. */
export const PublisherCounters = z.object({
  /** Reading rows dropped because the outbound queue was full while the broker was away. */
  droppedRows: uint(),
  /** Alarm and event messages dropped beyond the (large) held-message cap; 0 in any sane outage. */
  droppedKept: uint(),
  /** Times the connection to the broker came back after it was lost. */
  reconnects: uint(),
});

/**
 * Retained: who is publishing and whether it is alive. Published on every connect and change; the connection's
 * Last Will publishes the same object with online false (and reason "last-will") when the bridge dies.
 */
export const StatusPayload = z.object({
  v: v,
  online: z.boolean(),
  /** Why online is false: the bridge stopped cleanly, or the broker published the Last Will. Null while online. */
  reason: z.enum(["stopped", "last-will"]).nullable(),
  site: z.string(),
  room: z.string(),
  deviceId: z.string(),
  /** Running session name, null when none runs (or not known). */
  session: z.string().nullable(),
  firmware: z.string().nullable(),
  /** Device boot id, 8 hex digits. */
  bootId: z.string().nullable(),
  /** Serial link state between bridge and device. */
  link: z.enum(LINK_STATES),
  channels: z.array(Channel),
  limits: Limits.nullable(),
  /** Nominal sample rate of the device, Hz. */
  rateHz: uint().nullable(),
  /** How often readings are batched, ms. */
  readingsPeriodMs: uint(),
  counters: PublisherCounters,
  /** Wall-clock ms when this status was published (for the Last Will: when the connection was made). */
  atMs: z.number(),
  bridge: z.string(),
});

/** A batch of readings (every readingsPeriodMs while connected; held rows in batches after a reconnect). */
export const ReadingsPayload = z.object({
  v: v,
  rows: z.array(ReadingRow).min(1),
  /** Rows dropped by the outbound queue since the bridge started: a jump tells a consumer the gap was counted. */
  droppedRows: uint(),
  /** Wall-clock ms when the batch was handed to the broker. */
  sentAtMs: z.number(),
});

/** Random id of one bridge run (8 hex digits): n counts from 1 again under a new run. */
const Run = z.string().regex(/^[0-9a-f]{8}$/);

/** One alarm transition (QoS 1, in order): n counts every alarm and event message of this bridge run, from 1. */
export const AlarmPayload = z.object({
  v: v,
  run: Run,
  /** Order of this message among the run's alarms and events (1, 2, ...). Duplicates (QoS 1) repeat n. */
  n: z.int().positive(),
  action: z.enum(ALARM_ACTIONS),
  alarm: Alarm,
});

/** Latest doses of the nerve channels that got a D line. */
export const DosesPayload = z.object({
  v: v,
  doses: z.array(Dose).min(1),
});

/** Kinds of procedure event. */
export const EVENT_KINDS = ["mark", "ack", "session-start", "session-end"] as const;

/** A procedure event (QoS 1, in order with the alarms: same n counter). */
export const EventPayload = z.object({
  v: v,
  run: Run,
  n: z.int().positive(),
  kind: z.enum(EVENT_KINDS),
  /** Wall-clock ms of the event. */
  atMs: z.number(),
  /** Mark text, acknowledged alarm key, or session name. */
  text: z.string(),
  /** Session in force after the event. */
  session: z.string().nullable(),
});

/** The serial link between bridge and device changed (lost, back, stale). */
export const LinkPayload = z.object({
  v: v,
  link: Link,
});

/** Written by a central station to a room's cmd/ack: acknowledge one alarm. The bridge checks the token. */
export const AckRequest = z.object({
  v: v,
  /** Request id echoed in cmd/result. */
  id: z.string().min(1).max(64),
  /** Alarm key (AlarmPayload.alarm.key), or "*" for every alarm. */
  alarmKey: z.string().min(1).max(64),
  /** That room's bridge control token. */
  token: z.string().max(128),
  /** Who acknowledges, shown on the room's dashboard ("central station"). */
  by: z.string().min(1).max(48),
});

/** The bridge's answer on cmd/result. */
export const AckResult = z.object({
  v: v,
  id: z.string(),
  ok: z.boolean(),
  /** UNAUTHORIZED, NO_ALARM, LINK_DOWN, NAK reason ..., null when ok. */
  reason: z.string().nullable(),
  message: z.string(),
});

export type PublisherCounters = z.infer<typeof PublisherCounters>;
export type StatusPayload = z.infer<typeof StatusPayload>;
export type ReadingsPayload = z.infer<typeof ReadingsPayload>;
export type AlarmPayload = z.infer<typeof AlarmPayload>;
export type DosesPayload = z.infer<typeof DosesPayload>;
export type EventPayload = z.infer<typeof EventPayload>;
export type LinkPayload = z.infer<typeof LinkPayload>;
export type AckRequest = z.infer<typeof AckRequest>;
export type AckResult = z.infer<typeof AckResult>;
export type EventKind = (typeof EVENT_KINDS)[number];
