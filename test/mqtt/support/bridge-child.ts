// A bridge with MQTT in its own process (node --import tsx), so a test can kill it with SIGKILL: no clean close, the broker's Last Will speaks.
import { startBridge } from "../../../host/bridge";

const [port, url, site, room] = process.argv.slice(2);
const bridge = await startBridge({ port: port, listen: "127.0.0.1:0", recordDir: null, mqtt: { broker: { url: url }, site: site, room: room } });
const e = await bridge.mqtt!.ready();
process.stdout.write(e ? `FAILED ${e.code}\n` : `READY ${bridge.state.device?.deviceId}\n`);
process.on("SIGTERM", () => void bridge.close().then(() => process.exit(0)));
