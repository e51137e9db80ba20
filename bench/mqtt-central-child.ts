// The central station under the MQTT bench, in its own process: startCentral plus a cheap listener that times every readings message; reports over IPC.
import { startCentral } from "../host/central/central-server";

const url = process.argv[2];
const central = await startCentral({ broker: { url: url }, listen: "127.0.0.1:0" });
/** Per readings message: handed to the broker -> here (ms), and the first row's sample time -> here (ms, includes the batching wait). */
const transport: number[] = [];
const sample: number[] = [];
let rows = 0;
let measuring = false;
central.client.on("message", (topic, payload) => {
  if (!topic.endsWith("/readings")) return;
  const now = Date.now();
  const s = payload.toString("latin1");
  for (let i = s.indexOf('"seq":'); i >= 0; i = s.indexOf('"seq":', i + 6)) rows++;
  if (!measuring) return;
  const j = s.lastIndexOf('"sentAtMs":');
  transport.push(now - Number(s.slice(j + 11, s.length - 1)));
  const k = s.indexOf('"atMs":');
  sample.push(now - parseFloat(s.slice(k + 7, k + 30)));
});
process.on("disconnect", () => process.exit(0));
process.on("message", (m: { cmd: string }) => {
  if (m.cmd === "measure") {
    transport.length = 0;
    sample.length = 0;
    measuring = true;
  } else if (m.cmd === "usage") {
    const tiles = central.state.tiles(Date.now());
    process.send!({ usage: process.cpuUsage(), rss: process.memoryUsage().rss, rows: rows, atMs: performance.now(), rooms: tiles.length, missing: tiles.reduce((a, t) => a + t.missingRows, 0), silent: tiles.filter((t) => t.silent).length, counters: central.state.counters });
  } else if (m.cmd === "latency") {
    measuring = false;
    process.send!({ transport: transport, sample: sample });
  } else if (m.cmd === "stop") void central.close().then(() => process.exit(0));
});
process.send!({ ready: true });
