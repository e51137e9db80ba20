// Which payload schema, QoS and retain flag belong to each topic kind (one table for publisher, docs and consumers).
import type * as z from "zod";
import * as M from "./mqtt-messages";
import type { TopicKind } from "./topics";

/** One row of the topic tree. */
export interface TopicSpec {
  kind: TopicKind;
  schemaName: string;
  schema: z.ZodType;
  qos: 0 | 1;
  retain: boolean;
  /** Who writes it. */
  writer: "bridge" | "central";
  about: string;
}

/** The topic tree under thermoguard/v1/<site>/<room>/<deviceId>/. */
export const TOPIC_TABLE: readonly TopicSpec[] = [
  { kind: "status", schemaName: "StatusPayload", schema: M.StatusPayload, qos: 1, retain: true, writer: "bridge", about: "who publishes, online true / false (Last Will), session, firmware, link state, channels, limits" },
  { kind: "readings", schemaName: "ReadingsPayload", schema: M.ReadingsPayload, qos: 0, retain: false, writer: "bridge", about: "batched reading rows (every 100 ms - 1 s) and the count of rows dropped while the broker was away" },
  { kind: "alarms", schemaName: "AlarmPayload", schema: M.AlarmPayload, qos: 1, retain: false, writer: "bridge", about: "every alarm transition (RAISE, UPDATE, ACK, CLEAR), in order (n)" },
  { kind: "doses", schemaName: "DosesPayload", schema: M.DosesPayload, qos: 0, retain: false, writer: "bridge", about: "latest cumulative doses of the nerve channels" },
  { kind: "events", schemaName: "EventPayload", schema: M.EventPayload, qos: 1, retain: false, writer: "bridge", about: "marks, acknowledgements, session start / end, in order with the alarms (n)" },
  { kind: "link", schemaName: "LinkPayload", schema: M.LinkPayload, qos: 1, retain: true, writer: "bridge", about: "serial link between bridge and device: lost, back, stale" },
  { kind: "cmd/ack", schemaName: "AckRequest", schema: M.AckRequest, qos: 1, retain: false, writer: "central", about: "acknowledge an alarm from a central station, with the room's control token" },
  { kind: "cmd/result", schemaName: "AckResult", schema: M.AckResult, qos: 1, retain: false, writer: "bridge", about: "the bridge's answer to cmd/ack" },
];

/** The row of one kind. */
export function topicSpec(kind: TopicKind): TopicSpec {
  const s = TOPIC_TABLE.find((t) => t.kind === kind);
  if (!s) throw new Error("no topic " + kind);
  return s;
}
