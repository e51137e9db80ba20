// A bridge for the MQTT cost comparison, in its own process: startBridge on a serial path, with or without --mqtt; reports CPU time and RSS over IPC.
import { startBridge } from "../host/bridge";

const [portPath, mqttUrl, batchMs] = process.argv.slice(2);
process.on("disconnect", () => process.exit(0));
const bridge = await startBridge({ port: portPath, listen: "127.0.0.1:0", recordDir: null, mqtt: mqttUrl && mqttUrl !== "-" ? { broker: { url: mqttUrl }, site: "bench", room: batchMs ? "bridge-slow" : "bridge-on", batchMs: batchMs ? Number(batchMs) : undefined } : undefined });
if (bridge.mqtt && (await bridge.mqtt.ready())) throw new Error("bridge could not reach the broker");
process.on("message", (m: { cmd?: string }) => {
  if (m?.cmd === "usage") process.send!({ usage: process.cpuUsage(), rss: process.memoryUsage().rss, atMs: performance.now() });
  else if (m?.cmd === "stop") void bridge.close().then(() => process.exit(0));
});
process.send!({ ready: true });
