// Simulated rooms for the MQTT bench: N lightweight publishers (host/mqtt's MqttPublisher, no device or bridge), 8 ch x 10 Hz each; reports over IPC.
import { MqttPublisher } from "../host/mqtt/publisher";
import type { Channel, DeviceInfo, Limits, Link } from "../host/ws/ws-messages";
import { BENCH_CHANNELS, BENCH_RATE_HZ } from "./bench-device";

const channels: Channel[] = Array.from({ length: BENCH_CHANNELS }, (_, ch) => ({ ch: ch, label: "nerve" + ch, role: "nerve", tc: "SIM", chip: "SIM" }));
const limits: Limits = { warnCc: 4000, interveneCc: 4200, stopCc: 4500, predictS: 15, dose42Min: 50, dose70Min: 5, cem43Limit: 1650 };
const link: Link = { state: "up", port: "/dev/bench", sinceMs: Date.now(), lastLineAtMs: null, lastReadingAtMs: null, readingsStale: false, staleAfterMs: 2500, error: null, reconnects: 0 };

let sent = 0;
const rooms: { pub: MqttPublisher; timer: NodeJS.Timeout }[] = [];
process.on("disconnect", () => process.exit(0));
process.on("message", (m: { cmd: string; urls?: Record<string, string> }) => {
  if (m.cmd === "start") void start(m.urls!);
  else if (m.cmd === "usage") process.send!({ usage: process.cpuUsage(), rss: process.memoryUsage().rss, sent: sent, atMs: performance.now() });
  else if (m.cmd === "stop") {
    for (const r of rooms) clearInterval(r.timer);
    void Promise.all(rooms.map((r) => r.pub.close())).then(() => process.send!({ stopped: true, sent: sent }));
  }
});

async function start(urls: Record<string, string>): Promise<void> {
  for (const [room, url] of Object.entries(urls)) {
    const pub = new MqttPublisher({ broker: { url: url }, site: "bench", room: room, bridgeVersion: "bench" });
    const info: DeviceInfo = { deviceId: "SIM-" + room, fw: "bench", bootId: "0BEC0001", major: 1, minor: 0, channels: BENCH_CHANNELS, rateHz: BENCH_RATE_HZ, session: "bench", schemaHash: "00000000", schemaMatches: true, restored: false, port: null };
    pub.device(info, channels, limits);
    pub.link(link);
    pub.flush(Date.now());
    if (await pub.ready()) throw new Error("room " + room + " could not connect");
    let seq = 0;
    const t0 = performance.now();
    // Spread the rooms over the 100 ms period like independent devices.
    await new Promise((r) => setTimeout(r, Math.random() * (1000 / BENCH_RATE_HZ)));
    const timer = setInterval(() => {
      seq++;
      const tMs = Math.round(performance.now() - t0);
      pub.readings([{ seq: seq, tMs: tMs, atMs: Date.now(), valuesCc: channels.map((c) => 3700 + ((seq + c.ch * 7) % 50)) }]);
      sent++;
      if (seq % BENCH_RATE_HZ === 0) pub.doses(channels.map((c) => ({ ch: c.ch, tMs: tMs, atMs: Date.now(), t42Ms: 0, t42Pm: 0, t70Ms: 0, t70Pm: 0, cem43M: seq, cem43Pm: 1, check: null })));
      pub.flush(Date.now());
    }, 1000 / BENCH_RATE_HZ);
    rooms.push({ pub: pub, timer: timer });
  }
  process.send!({ started: rooms.length });
}
