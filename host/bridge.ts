// startBridge(): the composition of serial link, procedure state and the output's consumers (WebSocket relay, MQTT, recorder), one ticker.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PortDescription } from "./serial/list-ports";
import type { SerialBinding } from "./serial/open-port";
import { Link, TICK_MS } from "./serial/link";
import { PushbackTicker } from "./timing/pushback-ticker";
import { SerialLinkError } from "./serial/serial-errors";
import { BridgeOutputs, type BridgeListener } from "./core/bridge-output";
import { createCounters } from "./domain/counters";
import { ProcedureState, STALE_AFTER_MS } from "./state/procedure-state";
import { CommandHandler } from "./ws/command-handler";
import type { FanoutLimits } from "./ws/fanout";
import { Relay, WS_PATH, type RelayLimits } from "./ws/relay";
import { checkTokenStrength, generateToken } from "./ws/token";
import { parseListen } from "./ws/listen-address";
import type { Recorder } from "./record/recorder";
import { startHttp } from "./bridge-http";
import { attachRecording } from "./bridge-recording";
import { linkSink } from "./bridge-link-sink";

export { parseListen };
import { attachMqtt, type MqttBridgeOptions } from "./mqtt/bridge-hook";
import type { MqttPublisher } from "./mqtt/publisher";

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
  /** Control token; generated when absent. A configured one must pass checkTokenStrength (host/ws/token.ts), or startBridge throws. */
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

/**
 * Starts a bridge: http server (dashboard + /ws), serial link, recorder. Resolves once listening and
 * (unless waitForDevice is false) the device has answered the handshake; rejects with a
 * SerialLinkError (code NO_PORT, PORT_NOT_FOUND, PERMISSION_DENIED, PORT_BUSY, WRONG_DEVICE,
 * VERSION_MISMATCH, ...) or a listen error (EADDRINUSE, ...), after cleaning up.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  if (options.token !== undefined && options.token.trim() === "") throw new Error("token: an empty control token would give every client control; leave it out to have one generated");
  const weak = options.token === undefined ? null : checkTokenStrength(options.token);
  if (weak) throw new Error(`token: too weak to guard control of the device (${weak}); leave it out to have a strong one generated`);
  const token = options.token ?? generateToken();
  const state = new ProcedureState(createCounters(), options.staleAfterMs ?? STALE_AFTER_MS);
  const http = await startHttp(options.listen ?? DEFAULT_LISTEN, options.dashboardDir ?? DEFAULT_DASHBOARD_DIR, options.allowOrigins ?? []);

  // One step's output (after a serial chunk, a tick, a command), handed to every listener the same way.
  const outputs = new BridgeOutputs();
  let statusDue = false;
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
  const { port, baudRate, anyPort, helloTimeoutMs, commandTimeoutMs, reconnectInitialMs, reconnectMaxMs, listPorts, binding } = options;
  const linkOptions = { port, baudRate, anyPort, helloTimeoutMs, watchdogMs: options.staleAfterMs, commandTimeoutMs, reconnectInitialMs, reconnectMaxMs, listPorts, binding };
  const link = new Link(linkOptions, linkSink(state, pump, () => ticker.runInlineIfDue(), options.log), state.counters);
  const commands = new CommandHandler(state, (body) => link.send(body), token, { autoSession: options.autoSession });
  const relay = new Relay(http.server, state, commands, pump, { hosts: http.hosts, origins: http.origins, pingIntervalMs: options.pingIntervalMs, fanout: options.fanout, limits: options.wsLimits });
  outputs.add({ onOutput: (o) => o.updates.length > 0 && relay.broadcast(o.updates) });
  const mqtt = options.mqtt ? attachMqtt(options.mqtt, { state: state, commands: commands, pump: pump, bridgeVersion: BRIDGE_VERSION, log: options.log }) : null;
  if (mqtt) outputs.add(mqtt);
  const recordDir = options.recordDir === undefined ? path.resolve("recordings") : options.recordDir;
  const recording = recordDir === null ? null : await attachRecording(recordDir, state, outputs, pump, { bridgeVersion: BRIDGE_VERSION, resume: options.resumeRecording !== false, log: options.log });
  const recorder = recording?.recorder ?? null;
  http.setRecorder(recorder);
  link.resume = recording?.resume ?? null;
  for (const l of options.listeners ?? []) outputs.add(l);

  // The one ticker: link housekeeping, stale check, fan-out lag, status once a second. While lines arrive it runs
  // with them (after each batch's step) and its timer is pushed back, so a streaming bridge wakes once per chunk.
  let lastStatusMono = performance.now();
  const ticker = new PushbackTicker((inline) => {
    const mono = performance.now();
    link.tick();
    state.tick(Date.now());
    relay.tick();
    if (mono - lastStatusMono >= STATUS_PERIOD_MS) {
      lastStatusMono = mono;
      statusDue = true;
    }
    // After an inline tick only what it raised goes out at once; a due status waits for the next chunk's frame.
    if (!inline || state.pending) pump();
  }, TICK_MS);

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    ticker.stop();
    await link.close(); // readings still missing are recorded lost here
    pump();
    relay.close();
    http.server.closeAllConnections();
    await new Promise<void>((r) => http.server.close(() => r()));
    await outputs.close();
  };

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
    url: `http://${http.urlHost}:${http.port}/`,
    wsUrl: `ws://${http.urlHost}:${http.port}${WS_PATH}`,
    token: token,
    state: state,
    link: link,
    relay: relay,
    recorder: recorder,
    outputs: outputs,
    mqtt: mqtt?.publisher ?? null,
    close: close,
  };
}
