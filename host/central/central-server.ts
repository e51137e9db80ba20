// startCentral(): subscribes to every room on the broker, keeps the central state, serves the wall page and its WebSocket.
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { fileURLToPath } from "node:url";
import type { MqttClient } from "mqtt";
import { WebSocketServer, type WebSocket } from "ws";
import { parseListen } from "../ws/listen-address";
import { brokerName, clientOptions, type BrokerOptions } from "../mqtt/broker-options";
import { classifyMqttError, type MqttError } from "../mqtt/mqtt-errors";
import { MQTT_API_VERSION, type AckRequest } from "../mqtt/mqtt-messages";
import { loadMqtt } from "../mqtt/publisher";
import { ALL_RESULTS_FILTER, ALL_ROOMS_FILTER, topicOf } from "../mqtt/topics";
import { staticHandler } from "../ws/static-files";
import { allowedHostNames, checkRequest, defaultOrigins } from "../ws/upgrade-guard";
import { CENTRAL_MAX_CLIENT_PAYLOAD_BYTES, CentralClientMessage, type CentralServerMessage, type CentralViewMsg } from "./central-messages";
import { CentralState } from "./central-state";

/** Default listen address: loopback only. */
export const DEFAULT_CENTRAL_LISTEN = "127.0.0.1:8430";
/** Where build-central.ts puts the page: dist/central, seen from host/central/ (sources) or from dist/ (the bundled command line). */
export const DEFAULT_CENTRAL_DIR = [new URL("../../dist/central/", import.meta.url), new URL("./central/", import.meta.url)].map((u) => fileURLToPath(u)).find((d) => existsSync(d)) ?? fileURLToPath(new URL("../../dist/central/", import.meta.url));
/** The page gets the wall this often, ms (ages and silence move even without messages). */
export const VIEW_PERIOD_MS = 250;
/** Who the bridges' dashboards name for an acknowledgement from here. */
export const CENTRAL_ACK_BY = "central station";
/** How long the broker keeps this station's session while it is away, s. */
const SESSION_EXPIRY_S = 3600;
/** How long an acknowledgement waits for its bridge's answer, ms. */
const ACK_TIMEOUT_MS = 5000;

export interface CentralOptions {
  broker: BrokerOptions;
  /** "host:port" (default 127.0.0.1:8430; port 0 picks a free one). */
  listen?: string;
  allowOrigins?: string[];
  pageDir?: string;
  /** MQTT client id: the broker keeps this station's session under it (default thermoguard-central-<host>-<pid>). */
  clientId?: string;
  log?: (line: string) => void;
}

export interface Central {
  url: string;
  state: CentralState;
  /** The broker connection. */
  client: MqttClient;
  close(): Promise<void>;
}

/**
 * Starts the central station. Resolves once the broker accepted the connection and the http server listens;
 * rejects with an MqttError (MQTT_BAD_CREDENTIALS, MQTT_NOT_AUTHORIZED, MQTT_UNREACHABLE, ...) naming the broker.
 */
export async function startCentral(o: CentralOptions): Promise<Central> {
  const { host, port: wantPort } = parseListen(o.listen ?? DEFAULT_CENTRAL_LISTEN);
  const state = new CentralState();
  const broker = brokerName(o.broker.url);
  // A persistent session (clean false, one hour): while this station or the broker restarts, the broker keeps its
  // subscriptions and queues the rooms' QoS 1 alarms and events for it, so none is missed (with a broker that persists sessions).
  const clientId = o.clientId ?? `thermoguard-central-${hostname()}-${process.pid}`;
  const { url, options } = clientOptions(o.broker, { clientId: clientId, clean: false, properties: { sessionExpiryInterval: SESSION_EXPIRY_S }, reconnectPeriod: 1000, connectTimeout: 5000 });
  const { default: mqtt } = await loadMqtt();
  const client = mqtt.connect(url, options);
  let brokerError: MqttError | null = null;
  await new Promise<void>((resolve, reject) => {
    const onErr = (e: unknown) => {
      client.off("connect", onOk);
      void client.endAsync(true).catch(() => {});
      reject(classifyMqttError(e, broker));
    };
    const onOk = () => {
      client.off("error", onErr);
      resolve();
    };
    client.once("error", onErr);
    client.once("connect", onOk);
  });
  client.on("error", (e) => {
    brokerError = classifyMqttError(e, broker);
    o.log?.(`mqtt: ${brokerError.message} [${brokerError.code}]`);
  });
  client.on("close", () => {
    brokerError ??= classifyMqttError({ code: "ECONNRESET" }, broker);
  });
  client.on("connect", () => {
    brokerError = null;
    o.log?.(`mqtt: connected to ${broker}`);
  });
  client.on("message", (topic, payload) => state.apply(topic, payload, Date.now()));
  await client.subscribeAsync([ALL_ROOMS_FILTER, ALL_RESULTS_FILTER], { qos: 1 });

  const serveStatic = staticHandler(o.pageDir ?? DEFAULT_CENTRAL_DIR);
  let hosts = new Set<string>();
  let origins = new Set<string>();
  const server = createServer((req, res) => {
    const refusal = checkRequest(req, hosts, origins);
    if (refusal) res.writeHead(refusal.status, { "content-type": "text/plain" }).end(refusal.reason + "\n");
    else serveStatic(req, res);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(wantPort, host, () => resolve((server.address() as AddressInfo).port));
  });
  hosts = new Set(allowedHostNames(host, port).map((h) => h.toLowerCase()));
  origins = new Set([...defaultOrigins([...hosts]), ...(o.allowOrigins ?? [])].map((x) => x.toLowerCase().replace(/\/$/, "")));

  const wss = new WebSocketServer({ noServer: true, maxPayload: CENTRAL_MAX_CLIENT_PAYLOAD_BYTES });
  const watching = new Map<WebSocket, string | null>();
  const connIds = new Map<WebSocket, number>();
  let nextConn = 1;
  server.on("upgrade", (req: IncomingMessage, socket, head) => {
    const refusal = checkRequest(req, hosts, origins);
    if (refusal || (req.url ?? "").split("?")[0] !== "/ws") {
      socket.end(`HTTP/1.1 ${refusal?.status ?? 404} ${refusal ? "Forbidden" : "Not Found"}\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      watching.set(ws, null);
      connIds.set(ws, nextConn++);
      ws.on("close", () => {
        watching.delete(ws);
        connIds.delete(ws);
      });
      ws.on("message", (data, binary) => {
        if (binary) return;
        let msg: CentralClientMessage;
        try {
          const p = CentralClientMessage.safeParse(JSON.parse(String(data)));
          if (!p.success) return;
          msg = p.data;
        } catch {
          return;
        }
        if (msg.type === "watch") watching.set(ws, msg.room);
        else void relayAck(ws, msg);
        sendView(ws);
      });
      sendView(ws);
    });
  });

  const send = (ws: WebSocket, m: CentralServerMessage) => {
    // A display that does not keep up gets the next view instead of a growing backlog.
    if (ws.readyState === ws.OPEN && ws.bufferedAmount < 4 * 1024 * 1024) ws.send(JSON.stringify(m));
  };
  const view = (room: string | null, nowMs: number): CentralViewMsg => ({
    type: "view",
    atMs: nowMs,
    broker: { name: broker, connected: client.connected, error: brokerError?.message ?? null },
    tiles: state.tiles(nowMs),
    alarms: state.alarms(),
    log: state.log.slice(-200),
    counters: state.counters,
    room: room ? state.detail(room, nowMs) : null,
  });
  const sendView = (ws: WebSocket) => send(ws, view(watching.get(ws) ?? null, Date.now()));

  const relayAck = async (ws: WebSocket, m: Extract<CentralClientMessage, { type: "ack" }>) => {
    const [site, roomName, deviceId] = m.room.split("/");
    if (!state.has(m.room) || !deviceId) return send(ws, { type: "ackResult", id: m.id, ok: false, message: `no room ${m.room}`, result: null });
    // Request ids are per page: prefixed with the connection, two pages' "c1" stay apart.
    const id = `${connIds.get(ws) ?? 0}-${m.id}`;
    const req: AckRequest = { v: MQTT_API_VERSION, id: id, alarmKey: m.alarmKey, token: m.token, by: CENTRAL_ACK_BY };
    await client.publishAsync(topicOf({ site: site, room: roomName, deviceId: deviceId }, "cmd/ack"), JSON.stringify(req), { qos: 1 }).catch(() => {});
    const started = Date.now();
    const poll = setInterval(() => {
      const r = state.ackResults.get(id);
      if (r || Date.now() - started > ACK_TIMEOUT_MS) {
        clearInterval(poll);
        send(ws, { type: "ackResult", id: m.id, ok: r?.ok ?? false, message: r ? r.message : "no answer from the room's bridge", result: r ?? null });
      }
    }, 50);
  };

  const timer = setInterval(() => {
    const now = Date.now();
    state.tick(now);
    for (const ws of watching.keys()) sendView(ws);
  }, VIEW_PERIOD_MS);
  o.log?.(`central station on ${host}:${port}, watching ${ALL_ROOMS_FILTER} on ${broker}`);
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? "[" + host + "]" : host;
  return {
    url: `http://${urlHost}:${port}/`,
    state: state,
    client: client,
    async close() {
      clearInterval(timer);
      for (const ws of watching.keys()) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await client.endAsync().catch(() => {});
    },
  };
}
