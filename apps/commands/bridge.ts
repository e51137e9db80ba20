// `thermoguard bridge`: serial device -> WebSocket relay + dashboard + recording, until Ctrl-C.
import type { Command } from "commander";
import { DEFAULT_LISTEN, parseListen, startBridge } from "../../host/bridge";
import { StartSessionCommand } from "../../host/ws/ws-messages";
import { runUntilSignal } from "../run-until-signal";
import { parseToken } from "../token-option";
import { UserError } from "../user-error";
import { addBrokerOptions, addPublisherOptions, publisherFrom, type BrokerFlags } from "../mqtt-options";
import { reportMqttStart } from "../mqtt-start";

function parseBaud(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 300 || n > 4_000_000) throw new UserError(`--baud: expected a baud rate such as 115200, got "${v}"`);
  return n;
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

export function register(program: Command): void {
  const cmd = program
    .command("bridge")
    .description("connect to the device and serve the live dashboard and WebSocket API")
    .option("-p, --port <path|auto>", "serial port path, or auto (known USB ids, confirmed by HELLO)", "auto")
    .option("--any-port", "with --port auto: try every serial port, not only known boards", false)
    .option("-b, --baud <rate>", "baud rate (USB CDC ignores it)", parseBaud, 115200)
    .option("-l, --listen <host:port>", "http / WebSocket address (loopback by default)", DEFAULT_LISTEN)
    .option("-t, --token <token>", "control token, at least 16 characters (default: a random one, printed at start)", parseToken)
    .option("-r, --record-dir <dir>", "folder for session recordings", "./recordings")
    .option("--no-record", "do not record")
    .option("--allow-origin <origin>", "extra allowed browser Origin for the WebSocket (repeatable)", collect, [] as string[])
    .option("-c, --case <id>", "session name (case id, 1-16 characters) started when the device runs no session and holds no dose; default: case-MMDD-HHMMSS")
    .option("--no-auto-session", "start no session: the users start one from the dashboard")
    .option("--wait", "keep retrying when the device is not there yet instead of exiting", false);
  addPublisherOptions(addBrokerOptions(cmd, "also publish to this MQTT broker, e.g. mqtt://room-1:secret@broker.local:1883 (docs/MQTT.md)"))
    .action(async (o: BrokerFlags & { site: string; room: string; mqttBatchMs: number } & { port: string; anyPort: boolean; baud: number; listen: string; token?: string; recordDir: string; record: boolean; allowOrigin: string[]; wait: boolean; case?: string; autoSession: boolean }) => {
      try {
        parseListen(o.listen);
      } catch (e) {
        throw new UserError("--listen: " + (e as Error).message.replace(/^listen: /, ""));
      }
      const mqtt = publisherFrom(o);
      if (o.case !== undefined && !StartSessionCommand.shape.session.safeParse(o.case).success) throw new UserError(`--case: expected 1-16 printable characters without $ , * \\ (not "-"), got "${o.case}"`);
      for (const origin of o.allowOrigin) if (!/^https?:\/\/[^/]+$/.test(origin)) throw new UserError(`--allow-origin: expected an origin such as http://display.local:8420, got "${origin}"`);
      const bridge = await startBridge({
        port: o.port,
        anyPort: o.anyPort,
        baudRate: o.baud,
        listen: o.listen,
        token: o.token,
        recordDir: o.record ? o.recordDir : null,
        allowOrigins: o.allowOrigin,
        waitForDevice: !o.wait,
        mqtt: mqtt,
        autoSession: o.autoSession ? (o.case ?? "auto") : null,
        log: (line) => process.stdout.write(new Date().toISOString() + " " + line + "\n"),
      }).catch((e: NodeJS.ErrnoException) => {
        if (e.code === "EADDRINUSE") throw new UserError(`${o.listen} is already in use (another bridge running?): choose another address with --listen`, "EADDRINUSE");
        if (e.code === "EACCES" && !("port" in e && typeof (e as { port?: unknown }).port === "string")) throw new UserError(`not allowed to listen on ${o.listen}: use a port above 1024`, "EACCES");
        throw e;
      });
      await reportMqttStart(bridge, () => bridge.close());
      const d = bridge.state.device;
      process.stdout.write(
        `thermoguard bridge: ${d ? `device ${d.deviceId} (fw ${d.fw}, ${d.channels} ch at ${d.rateHz} Hz) on ${bridge.link.portPath}` : "waiting for the device"}\n` +
          `  dashboard: ${bridge.url}\n  websocket: ${bridge.wsUrl}\n  control token: ${bridge.token}\n` +
          `  control URL: ${bridge.url}?token=${bridge.token}\n` +
          (bridge.recorder ? `  recording to: ${o.recordDir}\n` : "  not recording\n") +
          (bridge.mqtt ? `  publishing to: ${bridge.mqtt.broker} as ${o.site}/${o.room}\n` : ""),
      );
      await runUntilSignal(() => bridge.close());
    });
}
