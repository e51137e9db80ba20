// MQTT at site scale: 10 and 100 simulated rooms x 8 ch x 10 Hz through one Mosquitto to one central station (latency, loss, CPU, RSS), and a real bridge's CPU with MQTT on vs off.
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startPrivateBroker, type PrivateBroker } from "../apps/rooms-demo-broker";
import { BENCH_CHANNELS, BENCH_RATE_HZ, startBenchDevice, type BenchDevice } from "./bench-device";
import { WaveSource } from "./bench-sources";
import { MAX_BATCH_MS, MIN_BATCH_MS } from "../host/mqtt/outbound-queue";
import type { BenchSection, TargetResult } from "./section";
import { median, percentile, sleep } from "./stats";

const ROOM_COUNTS = [10, 100];
const WARMUP_MS = 8000;
const MEASURE_MS = 15_000;
/** After the rooms stop: what is still in flight arrives before loss is counted. */
const DRAIN_MS = 1500;
const BRIDGE_WARMUP_MS = 15_000;
const BRIDGE_WINDOWS = 10;
const BRIDGE_WINDOW_MS = 3000;
const CLK_TCK = 100;

interface Msg {
  [k: string]: unknown;
}

function child(file: string, args: string[]): ChildProcess {
  return fork(fileURLToPath(new URL(file, import.meta.url)), args, { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
}

function ask(c: ChildProcess, cmd: Msg, key: string): Promise<Msg> {
  return new Promise((resolve, reject) => {
    const on = (m: Msg) => {
      if (key in m) {
        c.off("message", on);
        c.off("exit", onExit);
        resolve(m);
      }
    };
    const onExit = (code: number) => reject(new Error(`child exited (${code}) before answering ${key}`));
    c.on("message", on);
    c.once("exit", onExit);
    if (Object.keys(cmd).length) c.send(cmd);
  });
}

async function stopChild(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise<void>((r) => c.once("exit", () => r()));
  c.send({ cmd: "stop" });
  const t = setTimeout(() => c.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(t);
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
function procCpuS(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

const cpuUs = (m: Msg) => (m.usage as { user: number; system: number }).user + (m.usage as { user: number; system: number }).system;

interface ScalePhase {
  rooms: number;
  transportP50: number;
  transportP99: number;
  sampleP50: number;
  sampleP99: number;
  messages: number;
  centralCpuPct: number;
  centralRssMiB: number;
  brokerCpuPct: number;
  roomsCpuPctPerRoom: number;
  sent: number;
  received: number;
  missing: number;
  silent: number;
}

async function scalePhase(broker: PrivateBroker, rooms: number): Promise<ScalePhase> {
  const central = child("./mqtt-central-child.ts", [broker.urlFor("central")]);
  const roomsProc = child("./mqtt-rooms-child.ts", []);
  try {
    await ask(central, {}, "ready");
    const urls: Record<string, string> = {};
    for (let i = 1; i <= rooms; i++) urls[`room-${i}`] = broker.urlFor(`room-${i}`);
    await ask(roomsProc, { cmd: "start", urls: urls }, "started");
    await sleep(WARMUP_MS);
    central.send({ cmd: "measure" });
    const c0 = await ask(central, { cmd: "usage" }, "usage");
    const r0 = await ask(roomsProc, { cmd: "usage" }, "usage");
    const b0 = procCpuS(broker.pid()!);
    const t0 = performance.now();
    await sleep(MEASURE_MS);
    const c1 = await ask(central, { cmd: "usage" }, "usage");
    const r1 = await ask(roomsProc, { cmd: "usage" }, "usage");
    const b1 = procCpuS(broker.pid()!);
    const secs = (performance.now() - t0) / 1000;
    const lat = await ask(central, { cmd: "latency" }, "transport");
    const stopped = await ask(roomsProc, { cmd: "stop" }, "stopped");
    await sleep(DRAIN_MS);
    const c2 = await ask(central, { cmd: "usage" }, "usage");
    const transport = lat.transport as number[];
    const sample = lat.sample as number[];
    return {
      rooms: rooms,
      transportP50: percentile(transport, 50),
      transportP99: percentile(transport, 99),
      sampleP50: percentile(sample, 50),
      sampleP99: percentile(sample, 99),
      messages: transport.length / secs,
      centralCpuPct: ((cpuUs(c1) - cpuUs(c0)) / 1000 / ((c1.atMs as number) - (c0.atMs as number))) * 100,
      centralRssMiB: (c1.rss as number) / 2 ** 20,
      brokerCpuPct: ((b1 - b0) / secs) * 100,
      roomsCpuPctPerRoom: ((cpuUs(r1) - cpuUs(r0)) / 1000 / ((r1.atMs as number) - (r0.atMs as number))) * 100 / rooms,
      sent: stopped.sent as number,
      received: c2.rows as number,
      missing: c2.missing as number,
      silent: c2.silent as number,
    };
  } finally {
    await stopChild(roomsProc);
    await stopChild(central);
  }
}

/** Two real bridges on two bench devices (8 ch x 10 Hz) at the same time, one publishing to the broker: CPU % of one core per window. */
async function bridgeCost(broker: PrivateBroker): Promise<{ on: number[]; off: number[]; slow: number[]; rssOn: number; rssOff: number }> {
  const devices: BenchDevice[] = [];
  const kids: ChildProcess[] = [];
  try {
    for (let i = 0; i < 3; i++) devices.push(await startBenchDevice(new WaveSource(BENCH_CHANNELS)));
    const on = child("./mqtt-bridge-child.ts", [devices[0].hostPath, broker.urlFor("bridge-on")]);
    const off = child("./mqtt-bridge-child.ts", [devices[1].hostPath, "-"]);
    const slow = child("./mqtt-bridge-child.ts", [devices[2].hostPath, broker.urlFor("bridge-slow"), String(MAX_BATCH_MS)]);
    kids.push(on, off, slow);
    await Promise.all(kids.map((k) => ask(k, {}, "ready")));
    await sleep(BRIDGE_WARMUP_MS);
    const res = { on: [] as number[], off: [] as number[], slow: [] as number[], rssOn: 0, rssOff: 0 };
    let prev = await Promise.all(kids.map((k) => ask(k, { cmd: "usage" }, "usage")));
    for (let w = 0; w < BRIDGE_WINDOWS; w++) {
      await sleep(BRIDGE_WINDOW_MS);
      const now = await Promise.all(kids.map((k) => ask(k, { cmd: "usage" }, "usage")));
      const pct = (i: number) => ((cpuUs(now[i]) - cpuUs(prev[i])) / 1000 / ((now[i].atMs as number) - (prev[i].atMs as number))) * 100;
      res.on.push(pct(0));
      res.off.push(pct(1));
      res.slow.push(pct(2));
      res.rssOn = (now[0].rss as number) / 2 ** 20;
      res.rssOff = (now[1].rss as number) / 2 ** 20;
      prev = now;
    }
    return res;
  } finally {
    for (const k of kids) await stopChild(k);
    for (const d of devices) await d.close();
  }
}

export async function run(): Promise<BenchSection> {
  const maxRooms = Math.max(...ROOM_COUNTS);
  const accounts = Array.from({ length: maxRooms }, (_, i) => ({ site: "bench", room: `room-${i + 1}`, user: `room-${i + 1}` }));
  accounts.push({ site: "bench", room: "bridge-on", user: "bridge-on" }, { site: "bench", room: "bridge-slow", user: "bridge-slow" });
  const broker = await startPrivateBroker(accounts);
  const phases: ScalePhase[] = [];
  let cost: Awaited<ReturnType<typeof bridgeCost>>;
  try {
    for (const n of ROOM_COUNTS) phases.push(await scalePhase(broker, n));
    cost = await bridgeCost(broker);
  } finally {
    await broker.close();
  }
  const targets: TargetResult[] = [];
  let body =
    `| rooms | readings msgs/s at the central | handed to broker -> central p50 / p99 (ms) | sample -> central p50 / p99 (ms, including any wait for the batch period) | rows lost (sent − received) | central CPU % of one core | central RSS MiB | Mosquitto CPU % | publisher CPU % per room |\n` +
    `|---|---|---|---|---|---|---|---|---|\n`;
  for (const p of phases) {
    body += `| ${p.rooms} | ${p.messages.toFixed(0)} | ${p.transportP50.toFixed(1)} / ${p.transportP99.toFixed(1)} | ${p.sampleP50.toFixed(1)} / ${p.sampleP99.toFixed(1)} | ${p.sent - p.received} of ${p.sent} (seq gaps ${p.missing}) | ${p.centralCpuPct.toFixed(1)} | ${p.centralRssMiB.toFixed(0)} | ${p.brokerCpuPct.toFixed(1)} | ${p.roomsCpuPctPerRoom.toFixed(2)} |\n`;
  }
  const big = phases.find((p) => p.rooms === maxRooms)!;
  const small = phases[0];
  targets.push({ target: `MQTT: p99 bedside -> central latency <= 50 ms, ${maxRooms} rooms x 8 ch x 10 Hz`, figure: `${big.transportP99.toFixed(1)} ms handed to broker -> central (${big.sampleP99.toFixed(1)} ms from the sample, including any batching wait)`, met: big.transportP99 <= 50 });
  targets.push({ target: `MQTT: no reading lost, ${maxRooms} rooms`, figure: `${big.sent - big.received} of ${big.sent} rows, ${big.missing} seq gaps`, met: big.sent === big.received && big.missing === 0 });
  targets.push({ target: `MQTT: central station CPU <= 25 % of one core, ${maxRooms} rooms`, figure: `${big.centralCpuPct.toFixed(1)} % (RSS ${big.centralRssMiB.toFixed(0)} MiB; Mosquitto ${big.brokerCpuPct.toFixed(1)} %)`, met: big.centralCpuPct <= 25 });
  const ratios = cost.on.map((x, i) => x / cost.off[i]);
  const ratio = median(ratios);
  body +=
    `\n| bridge (real, 8 ch x 10 Hz, no ws client) | CPU % of one core: median (min–max of ${BRIDGE_WINDOWS} windows) | RSS MiB |\n|---|---|---|\n` +
    `| MQTT off | ${median(cost.off).toFixed(2)} (${Math.min(...cost.off).toFixed(2)}–${Math.max(...cost.off).toFixed(2)}) | ${cost.rssOff.toFixed(0)} |\n` +
    `| MQTT on | ${median(cost.on).toFixed(2)} (${Math.min(...cost.on).toFixed(2)}–${Math.max(...cost.on).toFixed(2)}) | ${cost.rssOn.toFixed(0)} |\n` +
    `| on / off, median of per-window ratios | **${ratio.toFixed(2)}** (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ${(cost.rssOn / cost.rssOff).toFixed(2)} |\n` +
    `| MQTT on, readings batched every ${MAX_BATCH_MS} ms | ${median(cost.slow).toFixed(2)} (${Math.min(...cost.slow).toFixed(2)}–${Math.max(...cost.slow).toFixed(2)}); on / off ${median(cost.slow.map((x, i) => x / cost.off[i])).toFixed(2)} | |\n`;
  body +=
    `\n**Where the bridge's MQTT cost goes.** The publisher has no timer of its own: it sends from the bridge's output callback, on the wake-up the ` +
    `serial chunk already cost, and MQTT.js corks the socket until the next tick, so a readings batch, the doses riding it and a due status leave in ` +
    `one write. What remains is one loopback TCP write per batch (10 a second at ${MIN_BATCH_MS} ms batches, one at ${MAX_BATCH_MS} ms): on loopback the ` +
    `receiving side's kernel work runs inside the writer's system call and is charged to the bridge, plus one QoS 1 PUBACK read a second for the ` +
    `retained status. Fewer writes means longer batches (the readings' latency), which is why the ${MAX_BATCH_MS} ms row is the cheaper one.\n`;
  targets.push({ target: "MQTT: bridge CPU with MQTT on at most +10 % of MQTT off", figure: `${median(cost.on).toFixed(2)} % vs ${median(cost.off).toFixed(2)} % of one core; ratio ${ratio.toFixed(2)}`, met: ratio <= 1.1 });
  const growCentral = big.centralCpuPct / small.centralCpuPct;
  const perRoomCentral = big.centralCpuPct / big.rooms;
  const perRoomBroker = big.brokerCpuPct / big.rooms;
  body +=
    `\n**${small.rooms} -> ${big.rooms} rooms:** the central station's CPU grows ${growCentral.toFixed(1)}x for ${(big.rooms / small.rooms).toFixed(0)}x the rooms ` +
    `(${perRoomCentral.toFixed(2)} % of a core per room at ${big.rooms}), Mosquitto's ${(big.brokerCpuPct / small.brokerCpuPct).toFixed(1)}x (${perRoomBroker.toFixed(2)} % per room); ` +
    `p99 handed-to-broker latency ${small.transportP99.toFixed(1)} -> ${big.transportP99.toFixed(1)} ms. Growth is linear in messages (${(big.messages / big.rooms).toFixed(1)} readings messages/s per room).\n\n` +
    `**A bigger site, on paper, from these figures.** At ${perRoomCentral.toFixed(2)} % of a core per room, one central process reaches its 25 % budget near ` +
    `${Math.floor(25 / Math.max(perRoomCentral, 1e-6))} rooms and a whole core near ${Math.floor(100 / Math.max(perRoomCentral, 1e-6))}; Mosquitto (single-threaded) ` +
    `saturates one core near ${Math.floor(100 / Math.max(perRoomBroker, 1e-6))} rooms. Beyond that: (1) the broker becomes a cluster (EMQX, HiveMQ or VerneMQ; or one Mosquitto per ` +
    `building bridged to a core broker with \`connection\` / \`topic thermoguard/v1/# in\`), rooms spread over the nodes by site; (2) several central-station processes share ` +
    `the load with an MQTT 5 shared subscription (\`$share/central/thermoguard/v1/+/+/+/+\`): the broker hands each message to one member. Shared subscriptions balance per ` +
    `message, so each member would see only part of a room: split instead by site (each central subscribes to \`thermoguard/v1/<site>/#\`) and keep \`$share\` for ` +
    `stateless consumers (Telegraf writers, Node-RED alerting). A room's tile then needs one process that sees all of that room, which the per-site split keeps; ` +
    `a wall showing every site reads the per-site centrals' summaries (a few KB/s) instead of every reading.\n`;
  return {
    title: "MQTT: rooms -> Mosquitto -> central station",
    method:
      `Debian Mosquitto started by the bench on a loopback port (password file, ACL, as in docs/MQTT.md). Rooms are **lightweight simulated publishers**, not full bridges: ` +
      `the real MqttPublisher (host/mqtt/publisher.ts: bounded queue, 100 ms batches, status every 1 s, QoS 0 readings, no timers of its own) fed 8 channels at 10 Hz by a timer and flushed after each row, all rooms in one ` +
      `process, one MQTT connection per room, one broker user per room. The central station is the real \`startCentral\` in its own process (its CPU and RSS measured ` +
      `alone), subscribed to every room; a listener there times each readings message from its sentAtMs (handed to the broker) and from its first row's sample time. ` +
      `Warm-up ${WARMUP_MS / 1000} s, then ${MEASURE_MS / 1000} s measured per room count; rows lost = rows the rooms sent minus rows the central received after a ${DRAIN_MS} ms drain. ` +
      `Mosquitto's CPU from /proc. The bridge cost runs two real bridges at once (each on its own bench device, 8 ch x 10 Hz through a pty), one with --mqtt (and a third with --mqtt and 1 s batches), so machine load ` +
      `hits them alike; the publisher sends from the bridge's output callback (the serial chunk's wake-up), with no timer of its own; ${BRIDGE_WARMUP_MS / 1000} s warm-up, ${BRIDGE_WINDOWS} windows of ${BRIDGE_WINDOW_MS / 1000} s. Rate ${BENCH_RATE_HZ} Hz.`,
    body: body,
    targets: targets,
  };
}
