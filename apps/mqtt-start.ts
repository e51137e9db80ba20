// At start: a broker that refuses this bridge's credentials is a clear error; one that is merely away is a warning (the bedside goes on).
import type { Bridge } from "../host/bridge";
import { UserError } from "./user-error";

/** Waits for the publisher's first connection outcome; throws UserError (after `close`) when the broker refused us. */
export async function reportMqttStart(bridge: Pick<Bridge, "mqtt" | "state">, close: () => Promise<void>): Promise<void> {
  const p = bridge.mqtt;
  // The publisher connects once the device is known (its id is in the topics); a bridge still waiting for it does not wait for the broker either.
  if (!p || !bridge.state.device) return;
  const e = await p.ready();
  if (!e) return;
  if (e.isRefusal) {
    await close();
    throw new UserError(e.message, e.code);
  }
  process.stderr.write(`thermoguard: ${e.message} [${e.code}]: the bedside goes on, MQTT_DOWN is shown and publishing resumes when the broker is back\n`);
}
