// Wires an MQTT publisher into a bridge: its message stream in, MQTT_DOWN on the bedside, acknowledgements relayed from a central station.
import type { ProcedureState } from "../state/procedure-state";
import type { CommandHandler } from "../ws/command-handler";
import type { BridgeListener, BridgeOutput } from "../core/bridge-output";
import { MessageFeed } from "./room-output";
import { MQTT_API_VERSION, type AckRequest, type AckResult } from "./mqtt-messages";
import { MqttPublisher, type PublisherOptions } from "./publisher";
import { nameProblem } from "./topics";

/** The bridge's MQTT settings (`--mqtt`, `--site`, `--room`, ...): the publisher's options a user sets. */
export type MqttBridgeOptions = Pick<PublisherOptions, "broker" | "site" | "room" | "batchMs" | "maxRows" | "maxKept" | "reconnectMs">;

/** A bridge's MQTT output: one listener of the bridge's output (host/core/bridge-output.ts). */
export interface MqttHook extends BridgeListener {
  publisher: MqttPublisher;
  close(): Promise<void>;
}

/** Who an acknowledgement relayed over MQTT is attributed to when the request names nobody else. */
export const CENTRAL_STATION = "central station";

/** Creates the publisher for a bridge. `pump` sends what the state produced (alarms raised here) to the clients. */
export function attachMqtt(
  o: MqttBridgeOptions,
  deps: { state: ProcedureState; commands: CommandHandler; pump: () => void; bridgeVersion: string; log?: (line: string) => void },
): MqttHook {
  for (const [what, name] of [["site", o.site], ["room", o.room]] as const) {
    const p = nameProblem(name);
    if (p) throw new Error(`${what}: ${p}`);
  }
  const { state, commands, pump } = deps;
  const publisher: MqttPublisher = new MqttPublisher({
    ...o,
    bridgeVersion: deps.bridgeVersion,
    log: deps.log,
    onConnection: (up) => {
      if (up) state.alarms.endHost("MQTT_DOWN", -1, Date.now());
      else state.alarms.raiseHost("MQTT_DOWN", -1, publisher.broker, publisher.counters.droppedRows, 0, 0, Date.now());
      pump();
    },
    onAck: async (req: AckRequest): Promise<AckResult> => {
      // The room's token is checked here; who may publish acknowledgements at all is the broker's ACL (docs/MQTT.md).
      const r = await commands.handle({ type: "command", id: "mqtt:" + req.id, command: { name: "ack", alarmKey: req.alarmKey } }, commands.authorise(req.token), req.by);
      if (r.ok) state.addEvent(`alarm ${req.alarmKey} acknowledged by ${req.by}`, "host");
      pump();
      return { v: MQTT_API_VERSION, id: req.id, ok: r.ok, reason: r.reason, message: r.message };
    },
  });
  const feed = new MessageFeed(publisher);
  return { publisher: publisher, onOutput: (out: BridgeOutput) => feed.feed(out.updates, out.atMs), close: () => publisher.close() };
}
