// JSON Schema (draft 2020-12) of the WebSocket API, generated from the zod schemas in ws-messages.ts.
import * as z from "zod";
import * as M from "./ws-messages";

/** Every named schema, with the one-line description that goes into the JSON Schema. */
const NAMED: [string, z.ZodType, string][] = [
  ["ChannelValue", M.ChannelValue, "Temperature in centi-degC (4215 = 42.15 degC) or a fault token: OC open, SG short to GND, SV short to VCC, NC no chip, OR out of range, SP spike rejected, ND no data."],
  ["ReadingRow", M.ReadingRow, "One sample instant of every channel. seq: device reading seq; tMs: device ms since boot; atMs: wall-clock ms (bridge estimate); resent: arrived late through RESEND."],
  ["History", M.History, "Recent readings in columns (uPlot layout), oldest first; valuesCc[ch][i]."],
  ["DeviceInfo", M.DeviceInfo, "The connected device (HI line). bootId and schemaHash as 8 hex digits; session null when none runs."],
  ["Channel", M.Channel, "One channel's declaration (CH line)."],
  ["Limits", M.Limits, "Limits in force (LM line): cC = centi-degC, s, min, cem43Limit in centi-CEM43."],
  ["DoseCheck", M.DoseCheck, "The bridge's own dose recomputation from the readings; ok false while it disagrees with the device beyond tolerance."],
  ["Dose", M.Dose, "Cumulative doses of one nerve channel (D line): t42Ms/t70Ms ms at >= 42.2 / 70 degC, cem43M milli-CEM43, *Pm permille of the limit."],
  ["Alarm", M.Alarm, "One alarm, raised by the device or by the bridge (source host). key identifies it for acknowledgement."],
  ["AlarmLogEntry", M.AlarmLogEntry, "One alarm transition in the snapshot's alarmLog: when (atMs wall clock, tMs device clock or null), which alarm, what happened, its state and text after it."],
  ["Link", M.Link, "Serial link state; values older than staleAfterMs are stale."],
  ["DeviceStatus", M.DeviceStatus, "Device status heartbeat (S line) with its flag bits spelled out."],
  ["Counters", M.Counters, "Bridge counters since start."],
  ["Recording", M.Recording, "Session recording state."],
  ["ProcedureEvent", M.ProcedureEvent, "A procedure event marked by a user."],
  ["SnapshotMsg", M.SnapshotMsg, "First message on every connection and answer to resync: the whole picture, with >= 10 min of history."],
  ["ReadingsMsg", M.ReadingsMsg, "New readings."],
  ["DoseMsg", M.DoseMsg, "New doses."],
  ["AlarmMsg", M.AlarmMsg, "An alarm transition; never dropped."],
  ["LinkMsg", M.LinkMsg, "The serial link changed state."],
  ["DeviceMsg", M.DeviceMsg, "Device identity, channels or limits changed."],
  ["StatusMsg", M.StatusMsg, "Once per second: device status, counters, recording."],
  ["EventMsg", M.EventMsg, "A procedure event was marked."],
  ["AuthMsg", M.AuthMsg, "Answer to hello."],
  ["CommandResultMsg", M.CommandResultMsg, "Result of a client command, with the client's request id."],
  ["ErrorMsg", M.ErrorMsg, "The client sent something unusable; the connection stays open."],
  ["ServerMessage", M.ServerMessage, "Any server -> client message."],
  ["ServerFrame", M.ServerFrame, "One server text frame: a JSON array of ServerMessage, in order."],
  ["Command", M.Command, "A control command."],
  ["HelloMsg", M.HelloMsg, "Authenticate the connection for control (optional)."],
  ["CommandMsg", M.CommandMsg, "A control command with the client's request id."],
  ["ResyncMsg", M.ResyncMsg, "Ask for a fresh snapshot."],
  ["ClientMessage", M.ClientMessage, "Any client -> server message (one per frame)."],
];

/** The text of docs/ws-schema.json: every named schema under $defs, cross-referenced with $ref. */
export function wsJsonSchemaText(): string {
  const reg = z.registry<{ id: string; description: string }>();
  for (const [id, schema, description] of NAMED) reg.add(schema, { id: id, description: description });
  const out = z.toJSONSchema(reg, { uri: (id) => "#/$defs/" + id });
  const defs: Record<string, unknown> = {};
  for (const [id] of NAMED) {
    const s = { ...(out.schemas[id] as Record<string, unknown>) };
    delete s.$schema;
    delete s.id;
    delete s.$id;
    defs[id] = s;
  }
  const doc = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "thermoguard-ws-v" + M.WS_API_VERSION,
    title: "thermoguard bridge WebSocket API v" + M.WS_API_VERSION,
    description:
      "Generated from host/ws/ws-messages.ts by `node --import tsx host/ws/write-schema.ts`; do not edit. " +
      "Every server text frame is a JSON array of ServerMessage ($defs/ServerFrame); every client frame is one ClientMessage. See docs/WEBSOCKET.md.",
    apiVersion: M.WS_API_VERSION,
    maxClientPayloadBytes: M.WS_MAX_CLIENT_PAYLOAD_BYTES,
    $defs: defs,
  };
  return JSON.stringify(doc, null, 1) + "\n";
}
