// The bridge under test as a child process: startBridge on a serial path, recording to a folder; reports start marks, CPU time and RSS over IPC.
// node --import tsx bench/bridge-child.ts <serialPath> <wsPort> <recordDir | "-" for no recording> <token>
import { startBridge } from "../host/bridge";
import { monoMs, processStartMonoMs } from "./mono-clock";

const originMs = processStartMonoMs();
const [portPath, wsPortText, recordDir, token] = process.argv.slice(2);
if (!portPath || !wsPortText || !recordDir || !token) {
  console.error("usage: bridge-child <serialPath> <wsPort> <recordDir> <token>");
  process.exit(2);
}
process.on("SIGTERM", () => process.exit(0));
// The bench gone (crashed, interrupted): do not linger holding the pty.
process.on("disconnect", () => process.exit(0));
const callMs = monoMs();
// The bench's clients (up to 50) all come from loopback: the per-address cap (16) is raised to the total for it.
const bridge = await startBridge({ port: portPath, listen: "127.0.0.1:" + wsPortText, recordDir: recordDir === "-" ? null : recordDir, token: token, wsLimits: { connections: { perAddress: 64, total: 64 } } });
process.send?.({ ready: true, marks: { originMs: originMs, callMs: callMs, readyMs: monoMs() } });
process.on("message", (m: { cmd?: string }) => {
  if (m?.cmd === "usage") process.send?.({ usage: process.cpuUsage(), rss: process.memoryUsage().rss, counters: bridge.state.counters });
  else if (m?.cmd === "stop") void bridge.close().then(() => process.exit(0));
});
