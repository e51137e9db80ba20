// `thermoguard demo`: virtual device playing a scenario on a pty + bridge + dashboard, no hardware (what `npm start` runs).
import type { Command } from "commander";
import { DEFAULT_LISTEN, parseListen } from "../../host/bridge";
import { DEFAULT_DEMO_SCENARIO, startDemo } from "../demo-wiring";
import { runUntilSignal } from "../run-until-signal";
import { parseToken } from "../token-option";
import { UserError } from "../user-error";
import { parseSpeed } from "../sim-options";
import { addBrokerOptions, addPublisherOptions, publisherFrom, type BrokerFlags } from "../mqtt-options";
import { reportMqttStart } from "../mqtt-start";
import { MAX_DEMO_ROOMS, startRoomsDemo } from "../rooms-demo";

function parseRooms(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > MAX_DEMO_ROOMS) throw new UserError(`--rooms: expected 1 to ${MAX_DEMO_ROOMS} rooms, got "${v}"`);
  return n;
}

export function register(program: Command): void {
  const cmd = program
    .command("demo")
    .description("simulated device + bridge + dashboard (no hardware); prints the dashboard URL")
    .option("-s, --scenario <name|file>", "scenario name (thermoguard sim --list), scenario .json or trace .csv", DEFAULT_DEMO_SCENARIO)
    .option("-x, --speed <factor>", "simulated seconds per wall second, 1..1000", parseSpeed, 1)
    .option("--seed <n>", "sensor noise seed")
    .option("-l, --listen <host:port>", "http / WebSocket address (loopback by default)", DEFAULT_LISTEN)
    .option("-t, --token <token>", "control token, at least 16 characters (default: a random one, printed at start)", parseToken)
    .option("-r, --record-dir <dir>", "folder for session recordings", "./recordings")
    .option("--no-record", "do not record")
    .option("--rooms <n>", `several simulated rooms (1-${MAX_DEMO_ROOMS}, different scenarios) publishing to a Mosquitto started for the demo, and the central station (--listen is then the central station's address, default 127.0.0.1:8430)`, parseRooms);
  addPublisherOptions(addBrokerOptions(cmd, "also publish to this MQTT broker (docs/MQTT.md)"))
    .action(async (o: BrokerFlags & { site: string; room: string; mqttBatchMs: number; rooms?: number } & { scenario: string; speed: number; seed?: string; listen: string; token?: string; recordDir: string; record: boolean }) => {
      try {
        parseListen(o.listen);
      } catch (e) {
        throw new UserError("--listen: " + (e as Error).message.replace(/^listen: /, ""));
      }
      const seed = o.seed === undefined ? undefined : Number(o.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw new UserError(`--seed: expected an integer, got "${o.seed}"`);
      if (o.rooms !== undefined) return runRooms(o.rooms, o, seed);
      const mqtt = publisherFrom(o);
      const demo = await startDemo({ scenario: o.scenario, timeScale: o.speed, seed, listen: o.listen, token: o.token, recordDir: o.record ? o.recordDir : null, mqtt: mqtt }).catch((e: NodeJS.ErrnoException) => {
        if (e.code === "EADDRINUSE") throw new UserError(`${o.listen} is already in use (another bridge or demo running?): choose another address with --listen`, "EADDRINUSE");
        throw e;
      });
      await reportMqttStart(demo.bridge, () => demo.close());
      const d = demo.bridge.state.device;
      process.stdout.write(
        `thermoguard demo — SIMULATED patient and device, scenario "${o.scenario}" at x${o.speed}\n` +
          `  virtual device ${d?.deviceId ?? "?"} (${d?.channels ?? "?"} ch at ${d?.rateHz ?? "?"} Hz) on ${demo.device.hostPath}\n` +
          `  dashboard: ${demo.url}\n  control token: ${demo.token}\n  control URL: ${demo.url}?token=${demo.token}\n` +
          (o.record ? `  recording to: ${o.recordDir}\n` : "  not recording\n") +
          (demo.bridge.mqtt ? `  publishing to: ${demo.bridge.mqtt.broker} as ${o.site}/${o.room}\n` : "") +
          `  Ctrl-C to stop. Research tool, not a certified medical device.\n`,
      );
      await runUntilSignal(() => demo.close());
    });
}

/** `demo --rooms N`: the broker, N rooms, the central station; prints every URL. */
async function runRooms(n: number, o: { speed: number; listen: string; recordDir: string; record: boolean }, seed: number | undefined): Promise<void> {
  const central = o.listen === DEFAULT_LISTEN ? undefined : o.listen;
  const demo = await startRoomsDemo({ rooms: n, timeScale: o.speed, seed: seed, centralListen: central, recordDir: o.record ? o.recordDir : null }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "EADDRINUSE") throw new UserError(`${central ?? "127.0.0.1:8430"} is already in use (another central station running?): choose another address with --listen`, "EADDRINUSE");
    throw e;
  });
  let text = `thermoguard demo — ${n} SIMULATED rooms at x${o.speed}, Mosquitto on 127.0.0.1:${demo.broker.port} (started for the demo)\n  central station: ${demo.central.url}\n`;
  for (const r of demo.rooms) text += `  ${r.name} (${r.scenario}): ${r.demo.url}?token=${r.demo.token}  (control token ${r.demo.token})\n`;
  process.stdout.write(text + `  Ctrl-C to stop. Research tool, not a certified medical device.\n`);
  await runUntilSignal(() => demo.close());
}
