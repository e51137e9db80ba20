// Node-RED 4 as the third relay: one flow, `serial in` -> `websocket out`, embedded in a child process that reports CPU time and RSS over IPC.
// node --import tsx bench/node-red-child.ts <serialPath> <wsPort> <nodeRedDir> <flowFile>
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { processStartMonoMs } from "./mono-clock";

const originMs = processStartMonoMs();
const [portPath, wsPortText, nodeRedDirArg, flowFile] = process.argv.slice(2);
const nodeRedDir = path.resolve(nodeRedDirArg ?? "");
if (!portPath || !wsPortText || !nodeRedDirArg || !flowFile) {
  console.error("usage: node-red-child <serialPath> <wsPort> <nodeRedDir> <flowFile>");
  process.exit(2);
}
process.on("SIGTERM", () => process.exit(0));
// The bench gone (crashed, interrupted): do not linger holding the pty.
process.on("disconnect", () => process.exit(0));
process.on("message", (m: { cmd?: string }) => {
  if (m?.cmd === "usage") process.send?.({ usage: process.cpuUsage(), rss: process.memoryUsage().rss });
});

/** The flow an integrator draws: the device's serial port, split into lines, each line to every ws client. */
const FLOW = [
  { id: "tab", type: "tab", label: "thermoguard relay" },
  {
    id: "port", type: "serial-port", name: "device", serialport: portPath, serialbaud: "115200", databits: "8", parity: "none", stopbits: "1",
    waitfor: "", dtr: "none", rts: "none", cts: "none", dsr: "none", newline: "\\n", bin: "false", out: "char", addchar: "", responsetimeout: "10000",
  },
  { id: "in", type: "serial in", z: "tab", name: "", serial: "port", x: 100, y: 100, wires: [["out"]] },
  { id: "listener", type: "websocket-listener", path: "/ws", wholemsg: "false" },
  { id: "out", type: "websocket out", z: "tab", name: "", server: "listener", client: "", x: 300, y: 100, wires: [] },
];
writeFileSync(flowFile, JSON.stringify(FLOW));

interface NodeRed {
  init(server: unknown, settings: Record<string, unknown>): void;
  start(): Promise<void>;
  events: { once(event: string, cb: () => void): void };
}
const RED = createRequire(path.join(nodeRedDir, "package.json"))("node-red") as NodeRed;
const server = createServer((_req, res) => {
  res.statusCode = 404;
  res.end();
});
RED.init(server, {
  userDir: nodeRedDir, // its node_modules holds node-red-node-serialport
  flowFile: flowFile,
  httpAdminRoot: false, // no editor: the relay only
  httpNodeRoot: "/",
  uiHost: "127.0.0.1",
  uiPort: Number(wsPortText),
  credentialSecret: false,
  logging: { console: { level: process.env.BENCH_NODE_RED_LOG ?? "warn", metrics: false, audit: false } },
  diagnostics: { enabled: false },
  telemetry: { enabled: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
});
await new Promise<void>((resolve) => server.listen(Number(wsPortText), "127.0.0.1", resolve));
// Ready once the flow runs (its websocket listener is attached): start() resolves before that.
const flowsStarted = new Promise<void>((resolve) => RED.events.once("flows:started", resolve));
await RED.start();
await flowsStarted;
process.send?.({ ready: true, marks: { originMs: originMs } });
