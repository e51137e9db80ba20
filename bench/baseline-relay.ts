// The baseline of the bridge benchmarks: a bare serialport + readline + ws relay (no validation, no state, no recording).
// Run as a child process: node --import tsx bench/baseline-relay.ts <serialPath> <wsPort>
import { ReadlineParser } from "@serialport/parser-readline";
import { SerialPort } from "serialport";
import { WebSocketServer } from "ws";
import { processStartMonoMs } from "./mono-clock";

const originMs = processStartMonoMs();
const [portPath, wsPortText] = process.argv.slice(2);
if (!portPath || !wsPortText) {
  console.error("usage: baseline-relay <serialPath> <wsPort>");
  process.exit(2);
}
const wss = new WebSocketServer({ host: "127.0.0.1", port: Number(wsPortText) });
const port = new SerialPort({ path: portPath, baudRate: 115200 });
const lines = port.pipe(new ReadlineParser({ delimiter: "\n" }));
lines.on("data", (line: string) => {
  for (const c of wss.clients) c.send(line);
});
port.on("error", (e) => console.error("baseline-relay:", e.message));
wss.on("listening", () => process.send?.({ ready: true, marks: { originMs: originMs } }));
process.on("message", (m: { cmd?: string }) => {
  if (m?.cmd === "usage") process.send?.({ usage: process.cpuUsage(), rss: process.memoryUsage().rss });
});
process.on("SIGTERM", () => process.exit(0));
// The bench gone (crashed, interrupted): do not linger holding the pty.
process.on("disconnect", () => process.exit(0));
