// startBridge(): serial link -> validation -> procedure state -> WebSocket relay + recorder, in one process.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PortDescription } from "./serial/list-ports";
import type { SerialBinding } from "./serial/open-port";
import { Link, TICK_MS } from "./serial/link";
import { PushbackTicker } from "./timing/pushback-ticker";
import { SerialLinkError } from "./serial/serial-errors";
import { BridgeOutputs, type BridgeListener } from "./core/bridge-output";
import { Recorder } from "./record/recorder";
import { findResumePoint } from "./record/resume-point";
import { hex8 } from "../protocol";
import { RECORD_FORMAT, type StartRecord } from "./record/record-types";
import { createCounters } from "./domain/counters";
import { ProcedureState, STALE_AFTER_MS } from "./state/procedure-state";
import { CommandHandler } from "./ws/command-handler";
import type { FanoutLimits } from "./ws/fanout";
import { Relay, WS_PATH, type RelayLimits } from "./ws/relay";
import { handleRecordRoute, REPORT_PATH } from "./ws/report-route";
import { staticHandler } from "./ws/static-files";
import { generateToken } from "./ws/token";
import { parseListen } from "./ws/listen-address";

export { parseListen };
import { attachMqtt, type MqttBridgeOptions } from "./mqtt/bridge-hook";
import type { MqttPublisher } from "./mqtt/publisher";
import { allowedHostNames, checkRequest, defaultOrigins } from "./ws/upgrade-guard";

/** Default listen address: loopback only (a LAN display must be chosen explicitly). */
export const DEFAULT_LISTEN = "127.0.0.1:8420";
/** Where the dashboard engineer's esbuild output is served from. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL("../dist/dashboard/", import.meta.url));
/** Clients get a status message this often (ms). */
const STATUS_PERIOD_MS = 1000;
/** Version string written into recordings. */
export const BRIDGE_VERSION = "thermoguard-bridge 0.1.0";

export interface BridgeOptions {
  /** Serial port path, or "auto" (known USB ids, confirmed by HELLO). */
  port: string;
  baudRate?: number;
  /** With "auto": try every serial port, not only known USB ids. */
  anyPort?: boolean;
  /** "host:port" to listen on; port 0 picks a free one. Default 127.0.0.1:8420. */
  listen?: string;
  /** Control token; generated when absent. */
  token?: string;
  /** Recording folder; null disables recording. Default ./recordings. */
  recordDir?: string | null;
  /** Extra allowed Origins for WebSocket upgrades (the bridge's own origins are always allowed). */
  allowOrigins?: string[];
  /** Folder with the built dashboard (index.html). */
  dashboardDir?: string;
  /** Reject when the first connection fails (default true); false keeps retrying in the background. */
  waitForDevice?: boolean;
  helloTimeoutMs?: number;
  /** Watchdog and stale threshold (default 2500 ms). */
  staleAfterMs?: number;
  commandTimeoutMs?: number;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  pingIntervalMs?: number;
  fanout?: Partial<FanoutLimits>;
  /** serialport binding (default: the native one; tests pass MockBinding). */
  binding?: SerialBinding;
  /** Limits on what WebSocket clients may send and open (rates, token lock-out, connection caps); defaults in docs/WEBSOCKET.md. */
  wsLimits?: Partial<RelayLimits>;
  /** Port lister for auto-detection (tests). */
  listPorts?: () => Promise<PortDescription[]>;
  /**
   * Continue the newest recording in recordDir when the same device, boot and session answer: its readings
   * since that recording stopped are fetched from the device's ring by RESEND (default true).
   */
  resumeRecording?: boolean;
  /**
   * Start a session when the device runs none and holds no dose ("auto": named from the clock; a string: that
   * name); default none (the users start one, with the confirmation of what a start zeroes).
   */
  autoSession?: string | "auto" | null;
  /** Publish to an MQTT broker (docs/MQTT.md); absent: no MQTT. */
  mqtt?: MqttBridgeOptions;
  /** One line per notable event (link state changes, reboots, recording errors), e.g. for the console. */
  log?: (line: string) => void;
  /** Extra consumers of the bridge's output (e.g. an MQTT publisher), after the relay and the recorder. */
  listeners?: BridgeListener[];
}

export interface Bridge {
  /** http URL of the dashboard, e.g. http://127.0.0.1:8420/ */
  url: string;
  /** WebSocket URL, e.g. ws://127.0.0.1:8420/ws */
  wsUrl: string;
  token: string;
  state: ProcedureState;
  link: Link;
  relay: Relay;
  recorder: Recorder | null;
  /** Every step's output goes to these listeners (the relay and the recorder are two of them); add() more. */
  outputs: BridgeOutputs;
  /** The MQTT publisher (null without the mqtt option). */
  mqtt: MqttPublisher | null;
  /** Stops everything: serial port, clients, http server, recorder (flushed). */
  close(): Promise<void>;
}

function listenOn(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Starts a bridge: http server (dashboard + /ws), serial link, recorder. Resolves once listening and
 * (unless waitForDevice is false) the device has answered the handshake; rejects with a
 * SerialLinkError (code NO_PORT, PORT_NOT_FOUND, PERMISSION_DENIED, PORT_BUSY, WRONG_DEVICE,
 * VERSION_MISMATCH, ...) or a listen error (EADDRINUSE, ...), after cleaning up.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { host, port: wantPort } = parseListen(options.listen ?? DEFAULT_LISTEN);
  if (options.token !== undefined && options.token.trim() === "") throw new Error("token: an empty control token would give every client control; leave it out to have one generated");
  const token = options.token ?? generateToken();
  const counters = createCounters();
  const state = new ProcedureState(counters, options.staleAfterMs ?? STALE_AFTER_MS);

  let hosts = new Set<string>();
  let origins = new Set<string>();
  const serveStatic = staticHandler(options.dashboardDir ?? DEFAULT_DASHBOARD_DIR);
  let recorder: Recorder | null = null;
  const server = createServer((req, res) => {
    const refusal = checkRequest(req, hosts, origins);
    if (refusal) res.writeHead(refusal.status, { "content-type": "text/plain" }).end(refusal.reason + "\n");
    else if (!handleRecordRoute(recorder, req, res)) serveStatic(req, res);
  });
  const port = await listenOn(server, host, wantPort);
  hosts = new Set(allowedHostNames(host, port).map((h) => h.toLowerCase()));
  origins = new Set([...defaultOrigins([...hosts]), ...(options.allowOrigins ?? [])].map((o) => o.toLowerCase().replace(/\/$/, "")));
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? "[" + host + "]" : host;

  const outputs = new BridgeOutputs();
  let statusDue = false;
  // One step's output, handed to every listener the same way (relay, recorder, MQTT, ...).
  const pump = () => {
    if (state.takeResyncRequest()) link.resync();
    const updates = state.drain();
    if (statusDue) {
      statusDue = false;
      updates.push(state.statusMessage());
    }
    const records = state.drainRecords();
    if (updates.length > 0 || records.length > 0) outputs.emit({ atMs: Date.now(), device: state.device, updates: updates, records: records });
  };
  const link = new Link(
    {
      port: options.port,
      baudRate: options.baudRate,
      anyPort: options.anyPort,
      helloTimeoutMs: options.helloTimeoutMs,
      watchdogMs: options.staleAfterMs,
      commandTimeoutMs: options.commandTimeoutMs,
      reconnectInitialMs: options.reconnectInitialMs,
      reconnectMaxMs: options.reconnectMaxMs,
      listPorts: options.listPorts,
      binding: options.binding,
    },
    {
      onState: (s, err, p) => {
        state.applyLinkState(s, err, p);
        options.log?.(`link ${s}${p ? " (" + p + ")" : ""}${err ? ": " + err.message + " [" + err.code + "]" : ""}`);
        pump();
      },
      onBatch: (items) => {
        for (const it of items) if (it.hello && it.hello !== "same") options.log?.(`device ${it.msg.type === "HI" ? it.msg.deviceId : "?"}: ${it.hello === "reboot" ? "rebooted" : it.hello === "new-device" ? "another device on the port" : "connected"}`);
        state.applyBatch(items);
        // The chunk's readings go out first; the periodic work runs after them, off the latency path.
        pump();
        ticker.runInlineIfDue();
      },
      onLost: (ranges, atMs) => {
        state.applyLost(ranges, atMs);
        pump();
      },
    },
    counters,
  );
  const commands = new CommandHandler(state, (body) => link.send(body), token, { autoSession: options.autoSession });
  const relay = new Relay(server, state, commands, pump, { hosts: hosts, origins: origins, pingIntervalMs: options.pingIntervalMs, fanout: options.fanout, limits: options.wsLimits });
  outputs.add({ onOutput: (o) => o.updates.length > 0 && relay.broadcast(o.updates) });
  const mqtt = options.mqtt ? attachMqtt(options.mqtt, { state: state, commands: commands, pump: pump, bridgeVersion: BRIDGE_VERSION, log: options.log }) : null;
  if (mqtt) outputs.add(mqtt);

  const recordDir = options.recordDir === undefined ? path.resolve("recordings") : options.recordDir;
  const makeStart = (): StartRecord => ({
    k: "start",
    atMs: Date.now(),
    format: RECORD_FORMAT,
    bridge: BRIDGE_VERSION,
    device: state.device,
    channels: state.channels.filter(Boolean),
    limits: state.limits,
    alarms: state.alarms.list(),
    doses: [...state.doses.values()],
  });
  recorder = recordDir === null ? null : new Recorder(recordDir, makeStart);
  const rec = recorder;
  if (rec) {
    state.recording = rec.status;
    state.reportUrl = REPORT_PATH;
    outputs.add({
      onOutput: (o) => {
        // A new session (START / END, or seen in HI / S) starts a new recording file.
        if (o.device) rec.sync(o.atMs, o.device.deviceId, o.device.session);
        for (const r of o.records) rec.write(r);
      },
      close: () => rec.close(),
    });
  }
  for (const l of options.listeners ?? []) outputs.add(l);
  if (recorder) {
    // A failing disk is an alarm, never a silent hole in the record (the records wait in memory meanwhile).
    recorder.onHealth = (error) => {
      if (error) state.alarms.raiseHost("RECORDING_FAILED", -1, "", recorder!.status.droppedRecords, 0, 0, Date.now());
      else state.alarms.endHost("RECORDING_FAILED", -1, Date.now());
      options.log?.(error ? `recording failing: ${error}` : "recording works again");
      pump();
    };
  }

  // The bridge's periodic work: stale check, fan-out lag, status once a second. A timer runs it every TICK_MS, but
  // while lines arrive it runs with them (onBatch) and the timer is pushed back (PushbackTicker): a streaming
  // bridge then wakes once per serial chunk, not once more per tick, and the status rides in the next chunk's frame.
  let lastStatusMono = performance.now();
  const periodic = () => {
    const mono = performance.now();
    link.tick();
    state.tick(Date.now());
    relay.tick();
    if (mono - lastStatusMono >= STATUS_PERIOD_MS) {
      lastStatusMono = mono;
      statusDue = true;
    }
  };
  // After an inline tick only what it raised goes out at once; a due status waits for the next chunk's frame.
  const ticker = new PushbackTicker((inline) => {
    periodic();
    if (!inline || state.pending) pump();
  }, TICK_MS);

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    ticker.stop();
    await link.close();
    pump();
    relay.close();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await outputs.close();
  };

  if (recorder && options.resumeRecording !== false) {
    const r = await findResumePoint(recorder.dir);
    if (r) {
      link.resume = { deviceId: r.deviceId, bootId: r.bootId, session: r.session, nextSeq: r.nextSeq };
      recorder.appendTo = { file: r.file, deviceId: r.deviceId, session: r.session };
      options.log?.(`recording ${path.basename(r.file)}: continued if device ${r.deviceId} (boot ${hex8(r.bootId)}, session ${r.session ?? "-"}) answers, readings from seq ${r.nextSeq} fetched by RESEND`);
    }
  }
  const first = link.start();
  if (options.waitForDevice === false) first.catch(() => {});
  else {
    try {
      await first;
    } catch (e) {
      await close();
      throw e instanceof SerialLinkError ? e : new SerialLinkError("OPEN_FAILED", String(e));
    }
  }
  return {
    url: `http://${urlHost}:${port}/`,
    wsUrl: `ws://${urlHost}:${port}${WS_PATH}`,
    token: token,
    state: state,
    link: link,
    relay: relay,
    recorder: rec,
    outputs: outputs,
    mqtt: mqtt?.publisher ?? null,
    close: close,
  };
}
