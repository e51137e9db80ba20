// Writes docs/MQTT.md from the MQTT tables and schemas (run: npm run docs:mqtt).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { mqttDocText } from "./mqtt-doc";

/** Absolute path of docs/MQTT.md. */
export const MQTT_DOC_PATH = fileURLToPath(new URL("../../docs/MQTT.md", import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(MQTT_DOC_PATH, mqttDocText());
  console.log("wrote " + MQTT_DOC_PATH);
}
