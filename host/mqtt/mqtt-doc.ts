// The text of docs/MQTT.md: topic tree, behaviour, Mosquitto set-up and a JSON Schema per payload, all from the code's own tables.
import * as z from "zod";
import { ROOM_SILENT_AFTER_MS as CENTRAL_SILENT_AFTER_MS } from "./topics";
import { CENTRAL_USER, mosquittoAcl } from "./acl";
import { MQTT_API_VERSION } from "./mqtt-messages";
import { DEFAULT_BATCH_MS, DEFAULT_MAX_KEPT, DEFAULT_MAX_ROWS, MAX_BATCH_MS, MAX_ROWS_PER_BATCH, MIN_BATCH_MS } from "./outbound-queue";
import { STATUS_PERIOD_MS } from "./publisher";
import { TOPIC_TABLE } from "./topic-table";
import { TOPIC_ROOT } from "./topics";


/** One payload's JSON Schema (draft 2020-12), self-contained. */
export function payloadJsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema) as Record<string, unknown>;
}

/** The whole of docs/MQTT.md. */
export function mqttDocText(): string {
  const L: string[] = [];
  L.push(
    "# thermoguard over MQTT",
    "",
    "<!-- Generated from host/mqtt/ (topic-table.ts, mqtt-messages.ts, acl.ts) by `npm run docs:mqtt`; do not edit. -->",
    "",
    "A bridge started with `--mqtt URL` publishes its room to a standard MQTT broker (MQTT 5, e.g. Mosquitto or EMQX);",
    "`thermoguard central --mqtt URL` watches every room on one page, and any MQTT consumer (Node-RED, Telegraf + Grafana,",
    "`mosquitto_sub`) can read the same topics (docs/examples/). The bedside never waits for the broker.",
    "",
    "## Topic tree",
    "",
    `Every topic is \`${TOPIC_ROOT}/<site>/<room>/<deviceId>/<kind>\`. \`<site>\` and \`<room>\` come from \`--site\` and \`--room\`, \`<deviceId>\``,
    "from the device's HI line; each is 1-64 of `A-Z a-z 0-9 _ . -`. Payloads are UTF-8 JSON objects with `\"v\": " + MQTT_API_VERSION + "`.",
    "",
    "| kind | payload | QoS | retained | written by | what |",
    "|---|---|---|---|---|---|",
  );
  for (const t of TOPIC_TABLE) L.push(`| \`${t.kind}\` | [${t.schemaName}](#${t.schemaName.toLowerCase()}) | ${t.qos} | ${t.retain ? "yes" : "no"} | ${t.writer} | ${t.about} |`);
  L.push(
    "",
    "Subscriptions: every room of every site `" + TOPIC_ROOT + "/+/+/+/+`; one room `" + TOPIC_ROOT + "/<site>/<room>/#`; every alarm `" + TOPIC_ROOT + "/+/+/+/alarms`.",
    "",
    "## Behaviour",
    "",
    `- **status** is retained and re-published about every ${STATUS_PERIOD_MS} ms while connected (the central station's heartbeat), on the bridge's`,
    "  own wake-ups (a serial chunk, or its once-a-second status), not a timer of its own: a bridge whose event loop stalls falls silent. The connection's",
    "  Last Will is the same object with `\"online\": false, \"reason\": \"last-will\"`: the broker publishes it when the bridge dies or its",
    "  network goes; a clean stop publishes `\"online\": false, \"reason\": \"stopped\"`.",
    `- **readings** are batched every ${DEFAULT_BATCH_MS} ms by default (\`--mqtt-batch-ms\`, ${MIN_BATCH_MS}-${MAX_BATCH_MS}), at most ${MAX_ROWS_PER_BATCH} rows a message, sent with the`,
    `  serial chunk that brings the rows once the period is up (on a grid: a chunk up to a quarter period early takes the batch; at most one batch a period on average).`,
    "  Each row is the bridge's ReadingRow (device seq and tMs, wall-clock atMs, centi-degC or fault token per channel).",
    `- **The outbound queue is bounded.** While the broker is away the bridge holds up to ${DEFAULT_MAX_ROWS} reading rows (60 s of 10 Hz); beyond that the`,
    "  oldest are dropped and counted (`droppedRows` in every readings and status message: a consumer that sees a seq gap knows it was",
    `  counted). Alarm and event messages are kept (up to ${DEFAULT_MAX_KEPT}, beyond which the oldest are dropped and counted in \`droppedKept\`) and sent`,
    "  in order after the reconnect. Nothing on the serial path waits for the broker.",
    "- **alarms** and **events** share one counter `n` (1, 2, ...) per bridge run (`run`, 8 hex digits): QoS 1 may deliver a message twice",
    "  (same `n`: ignore it); a jump in `n` means messages were lost; a new `run` means the bridge restarted and counts from 1 again.",
    "- **Broker down** is `MQTT_DOWN`, a low-priority technical alarm on the bedside dashboard (docs/WEBSOCKET.md), never a stall. A broker that",
    "  refuses the credentials stops `thermoguard bridge` at start with an error naming the broker (`MQTT_BAD_CREDENTIALS`, `MQTT_NOT_AUTHORIZED`);",
    "  one that is merely away is a warning and the bridge keeps trying every second.",
    `- **Central station**: a room whose status says Last Will, or that sent nothing for ${CENTRAL_SILENT_AFTER_MS} ms, is \`ROOM_SILENT\`, a high-priority`,
    "  technical alarm there (IEC 60601-1-8 distributed alarm system: a lost link is an alarm itself). A clean stop is shown as offline, without alarm.",
    "- **Acknowledging from the central station** needs that room's control token: the central station writes an AckRequest to the room's `cmd/ack`,",
    "  the bridge checks the token like a dashboard command, records the event \"alarm <key> acknowledged by central station\" (shown on the",
    "  room's dashboard) and answers on `cmd/result`. Send tokens over `mqtts://` on anything but loopback.",
    "",
    "## Connecting",
    "",
    "```sh",
    "thermoguard bridge --mqtt mqtt://room-1:secret@broker.local:1883 --site north --room room-1",
    "thermoguard bridge --mqtt mqtts://broker.local:8883 --mqtt-user room-1 --mqtt-password secret --mqtt-ca ca.pem --site north --room room-1",
    "thermoguard bridge --mqtt mqtts://broker.local:8883 --mqtt-cert room-1.crt --mqtt-key room-1.key --mqtt-ca ca.pem --site north --room room-1",
    "thermoguard central --mqtt mqtt://central:secret@broker.local:1883",
    "```",
    "",
    "The password may also come from `THERMOGUARD_MQTT_PASSWORD`. Errors carry stable codes: MQTT_BAD_URL, MQTT_TLS_FILE, MQTT_BAD_CREDENTIALS,",
    "MQTT_NOT_AUTHORIZED, MQTT_REFUSED, MQTT_UNREACHABLE, MQTT_TLS.",
    "",
    "## Mosquitto: passwords and ACL",
    "",
    "One user per room and one for the central station; anonymous access off. Each room may write only its own subtree; the central station reads",
    "everything and writes only the rooms' `cmd/ack`. (`thermoguard demo --rooms N` and the tests start Mosquitto exactly like this.)",
    "",
    "```sh",
    "mosquitto_passwd -c -b /etc/mosquitto/thermoguard.passwd " + CENTRAL_USER + " 'central-secret'",
    "mosquitto_passwd -b /etc/mosquitto/thermoguard.passwd room-1 'room-1-secret'",
    "mosquitto_passwd -b /etc/mosquitto/thermoguard.passwd room-2 'room-2-secret'",
    "```",
    "",
    "`/etc/mosquitto/conf.d/thermoguard.conf`:",
    "",
    "```",
    "listener 1883 127.0.0.1",
    "allow_anonymous false",
    "password_file /etc/mosquitto/thermoguard.passwd",
    "acl_file /etc/mosquitto/thermoguard.acl",
    "```",
    "",
    "`/etc/mosquitto/thermoguard.acl` (site `north`):",
    "",
    "```",
    mosquittoAcl([
      { site: "north", room: "room-1", user: "room-1" },
      { site: "north", room: "room-2", user: "room-2" },
    ]).trimEnd(),
    "```",
    "",
    "With the user name equal to the room name, one pattern line serves every room of a site: `pattern readwrite " + TOPIC_ROOT + "/north/%u/#`.",
    "",
    "## Payload schemas",
    "",
    "JSON Schema (draft 2020-12) of each payload, generated from the zod schemas in host/mqtt/mqtt-messages.ts.",
    "",
  );
  for (const t of TOPIC_TABLE) {
    L.push(`### ${t.schemaName}`, "", `Topic \`${t.kind}\`: ${t.about}.`, "", "```json", JSON.stringify(payloadJsonSchema(t.schema), null, 1), "```", "");
  }
  return L.join("\n");
}
