// The MQTT publisher: a RoomOutput that sends the room's data to a broker through a bounded queue, never blocking the bedside.
import { randomBytes } from "node:crypto";
import type { MqttClient } from "mqtt";
import type { Alarm, Channel, DeviceInfo, Dose, Limits, Link, LinkState, ReadingRow } from "../ws/ws-messages";
import type { AlarmTransition } from "../state/alarm-book";
import type { RoomOutput } from "./room-output";
import { brokerName, clientOptions, type BrokerOptions } from "./broker-options";
import { classifyMqttError, MqttError } from "./mqtt-errors";
import { AckRequest, MQTT_API_VERSION, type AckResult, type EventKind, type StatusPayload } from "./mqtt-messages";
import { DEFAULT_BATCH_MS, DEFAULT_MAX_KEPT, DEFAULT_MAX_ROWS, OutboundQueue } from "./outbound-queue";
import { topicOf, type PublishedKind, type RoomAddress, type TopicKind } from "./topics";
import { topicSpec } from "./topic-table";
import { Cadence } from "./cadence";

type MqttModule = typeof import("mqtt");
let mqttModule: Promise<MqttModule> | null = null;
/** MQTT.js, imported once on first use (a bridge without --mqtt never loads it). */
export const loadMqtt = (): Promise<MqttModule> => (mqttModule ??= import("mqtt"));

/** The retained status is re-published about this often (on the bridge's own output wake-ups, see flush): the central station's heartbeat (silence after 3 s). */
export const STATUS_PERIOD_MS = 1000;
/** MQTT.js's log when its debug output is not asked for (DEBUG=mqttjs*): its default costs a call and an array per line, ~20 lines a publish. */
const NO_LOG = (): void => {};
/** Delay between reconnect attempts, ms. */
export const DEFAULT_RECONNECT_MS = 1000;

export interface PublisherOptions {
  broker: BrokerOptions;
  site: string;
  room: string;
  /** Readings batch period, 100..1000 ms (default 100). */
  batchMs?: number;
  /** Reading rows held while the broker is away (default 600). */
  maxRows?: number;
  /** Alarm and event messages held (default 10 000). */
  maxKept?: number;
  reconnectMs?: number;
  /** Bridge version string, published in the status. */
  bridgeVersion: string;
  /** The connection came up (error null) or went down / was refused (with why). */
  onConnection?: (connected: boolean, error: MqttError | null) => void;
  /** A central station asked to acknowledge an alarm (already schema-checked); the answer goes to cmd/result. */
  onAck?: (req: AckRequest) => Promise<AckResult>;
  log?: (line: string) => void;
}

/**
 * Publishes one room's device under thermoguard/v1/<site>/<room>/<deviceId>/. Connects once the device is known.
 * No timers of its own: the RoomOutput calls only queue, and `flush(nowMs)` (called by the feed once per bridge
 * output, i.e. on the wake-up the serial chunk or the bridge's own tick already cost) hands what is due to MQTT.js,
 * including the status heartbeat. MQTT.js writes every publish of one flush in one socket write (mqtt-packet corks
 * the stream until the next tick).
 */
export class MqttPublisher implements RoomOutput {
  readonly broker: string;
  private readonly queue: OutboundQueue<PublishedKind>;
  private client: MqttClient | null = null;
  private address: RoomAddress | null = null;
  /** Topic strings of this address, by kind (built once per connection, not per publish). */
  private readonly topics = new Map<TopicKind, string>();
  private info: DeviceInfo | null = null;
  private channels: Channel[] = [];
  private limits: Limits | null = null;
  private linkState: LinkState = "connecting";
  private n = 0;
  /** This run's id in alarm and event messages. */
  readonly run = randomBytes(4).toString("hex");
  private reconnects = 0;
  private everConnected = false;
  private readonly pendingDoses = new Map<number, Dose>();
  private readonly statusCadence = new Cadence(STATUS_PERIOD_MS);
  private closed = false;
  private firstOutcome: Promise<MqttError | null>;
  private settleFirst: (e: MqttError | null) => void = () => {};
  /** The last connection problem (null while connected or before the first attempt). */
  lastError: MqttError | null = null;
  /** Messages the broker refused (QoS 1 PUBACK with an error reason, e.g. an ACL denial). */
  refused = 0;
  /** cmd/ack messages that were not JSON or failed the AckRequest schema. */
  badCommands = 0;

  /** Bumped by every connect(): a connect overtaken while MQTT.js was loading does nothing. */
  private connectGen = 0;

  constructor(private readonly o: PublisherOptions) {
    this.broker = brokerName(o.broker.url);
    clientOptions(o.broker, {}); // fail now on a bad URL or an unreadable TLS file
    this.queue = new OutboundQueue<PublishedKind>({ maxRows: o.maxRows ?? DEFAULT_MAX_ROWS, maxKept: o.maxKept ?? DEFAULT_MAX_KEPT, batchMs: o.batchMs ?? DEFAULT_BATCH_MS });
    this.firstOutcome = new Promise((r) => (this.settleFirst = r));
    void loadMqtt();
  }

  /** Whether the broker connection is up. */
  get connected(): boolean {
    return this.client?.connected === true;
  }

  /** Counters as published in the status. */
  get counters(): StatusPayload["counters"] {
    return { droppedRows: this.queue.droppedRows, droppedKept: this.queue.droppedKept, reconnects: this.reconnects };
  }

  /** Resolves with the first connection's outcome: null once connected, else why it failed (the publisher keeps retrying). */
  ready(): Promise<MqttError | null> {
    return this.firstOutcome;
  }

  device(device: DeviceInfo | null, channels: Channel[], limits: Limits | null): void {
    this.channels = channels;
    this.limits = limits;
    if (device) {
      const moved = this.info !== null && this.info.deviceId !== device.deviceId;
      this.info = device;
      if (moved) this.restart();
      else if (!this.client) this.connect();
    }
    this.queue.setLatest("status", { kind: "status", payload: this.status(true) });
  }

  link(link: Link): void {
    this.linkState = link.state;
    this.queue.setLatest("link", { kind: "link", payload: { v: MQTT_API_VERSION, link: link } });
    this.queue.setLatest("status", { kind: "status", payload: this.status(true) });
  }

  readings(rows: ReadingRow[]): void {
    this.queue.pushRows(rows);
  }

  alarm(action: AlarmTransition["action"], alarm: Alarm): void {
    this.queue.pushKept({ kind: "alarms", payload: { v: MQTT_API_VERSION, run: this.run, n: ++this.n, action: action, alarm: alarm } });
  }

  doses(doses: Dose[]): void {
    // One message with the newest dose of every channel that changed since the last one.
    for (const d of doses) this.pendingDoses.set(d.ch, d);
    // Rides the next readings batch (or status): no socket write of its own.
    this.queue.setRider("doses", { kind: "doses", payload: { v: MQTT_API_VERSION, doses: [...this.pendingDoses.values()] } });
  }

  event(kind: EventKind, text: string, atMs: number, session: string | null): void {
    this.queue.pushKept({ kind: "events", payload: { v: MQTT_API_VERSION, run: this.run, n: ++this.n, kind: kind, atMs: atMs, text: text, session: session } });
  }

  /**
   * Sends what is due at nowMs (the bridge output's atMs): alarms, events and changed latest values at once,
   * readings when the batch period is up, the retained status when its 1 s heartbeat is due. Rows not yet due wait
   * for a later flush (the next serial chunk, or the bridge's status output at least once a second).
   */
  flush(nowMs: number): void {
    if (this.connected && this.statusDue(nowMs)) {
      this.statusCadence.ran(nowMs);
      this.queue.setLatest("status", { kind: "status", payload: this.status(true, null, nowMs) });
    }
    this.send(nowMs);
  }

  /** The heartbeat is due, or half due while a readings batch goes out now (then both share one socket write). */
  private statusDue(nowMs: number): boolean {
    return this.statusCadence.due(nowMs) || (this.queue.rowsDue(nowMs) && nowMs >= this.statusCadence.nextAtMs - STATUS_PERIOD_MS / 2);
  }

  /** Stops: publishes the retained status offline (reason "stopped") when connected, then disconnects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.settleFirst(this.lastError);
    const c = this.client;
    if (!c) return;
    if (c.connected) {
      this.send(Date.now(), true);
      await new Promise<void>((r) => c.publish(this.topic("status"), JSON.stringify(this.status(false, "stopped")), { qos: 1, retain: true }, () => r()));
    }
    await c.endAsync(!c.connected).catch(() => {});
  }

  private status(online: boolean, reason: StatusPayload["reason"] = null, atMs = Date.now()): StatusPayload {
    const d = this.info;
    return {
      v: MQTT_API_VERSION,
      online: online,
      reason: online ? null : reason,
      site: this.o.site,
      room: this.o.room,
      deviceId: d?.deviceId ?? "",
      session: d?.session ?? null,
      firmware: d?.fw ?? null,
      bootId: d?.bootId ?? null,
      link: this.linkState,
      channels: this.channels,
      limits: this.limits,
      rateHz: d?.rateHz ?? null,
      readingsPeriodMs: this.queue.limits.batchMs,
      counters: this.counters,
      atMs: atMs,
      bridge: this.o.bridgeVersion,
    };
  }

  private topic(kind: TopicKind): string {
    let t = this.topics.get(kind);
    if (t === undefined) this.topics.set(kind, (t = topicOf(this.address!, kind)));
    return t;
  }

  private connect(): void {
    if (this.closed || !this.info) return;
    // MQTT.js loads on first use (a bridge without --mqtt never pays its ~90 ms at start); only the newest call opens.
    const gen = ++this.connectGen;
    void loadMqtt().then((m) => gen === this.connectGen && this.open(m.default));
  }

  private open(mqtt: MqttModule["default"]): void {
    if (this.closed || !this.info) return;
    this.address = { site: this.o.site, room: this.o.room, deviceId: this.info.deviceId };
    this.topics.clear();
    const will = this.status(false, "last-will");
    const { url, options } = clientOptions(this.o.broker, {
      clientId: `thermoguard-${this.o.site}-${this.o.room}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
      reconnectPeriod: this.o.reconnectMs ?? DEFAULT_RECONNECT_MS,
      connectTimeout: 5000,
      // Keep-alive pings only when the link is idle for the whole keep-alive: MQTT.js's default re-arms its ping timer on every packet sent.
      reschedulePings: false,
      ...(process.env.DEBUG?.includes("mqttjs") ? {} : { log: NO_LOG }),
      will: { topic: this.topic("status"), payload: Buffer.from(JSON.stringify(will)), qos: 1, retain: true },
    });
    const c = mqtt.connect(url, options);
    this.client = c;
    c.on("connect", () => {
      if (this.client !== c) return;
      if (this.everConnected) this.reconnects++;
      this.everConnected = true;
      this.lastError = null;
      this.settleFirst(null);
      this.o.log?.(`mqtt: connected to ${this.broker} as ${this.o.site}/${this.o.room}`);
      this.o.onConnection?.(true, null);
      this.statusCadence.ran(Date.now());
      this.queue.setLatest("status", { kind: "status", payload: this.status(true) });
      this.send(Date.now());
    });
    c.on("error", (e) => this.down(c, classifyMqttError(e, this.broker)));
    c.on("close", () => this.down(c, this.lastError ?? new MqttError("MQTT_UNREACHABLE", `MQTT broker ${this.broker} not reachable: connection closed`)));
    c.on("message", (topic, payload) => void this.onCommand(topic, payload));
    c.subscribe(this.topic("cmd/ack"), { qos: 1 });
  }

  private down(c: MqttClient, e: MqttError): void {
    if (this.client !== c || this.closed) return;
    const was = this.lastError;
    this.lastError = e;
    this.settleFirst(e);
    if (was?.message !== e.message) {
      this.o.log?.(`mqtt: ${e.message} [${e.code}]`);
      this.o.onConnection?.(false, e);
    }
  }

  /** A new device took the port: its data goes under its own device id (the old one's status goes offline). */
  private restart(): void {
    const old = this.client;
    this.client = null;
    if (old) {
      if (old.connected) old.publish(this.topic("status"), JSON.stringify(this.status(false, "stopped")), { qos: 1, retain: true });
      void old.endAsync().catch(() => {});
    }
    this.connect();
  }

  /** Hands what is due to MQTT.js (which writes to the socket without waiting); nothing while disconnected. */
  private send(nowMs: number, allRows = false): void {
    const c = this.client;
    if (!c || !c.connected || !this.address) return;
    const { latest, kept, rowBatches } = this.queue.take(nowMs, allRows);
    if (latest.some((m) => m.kind === "doses")) this.pendingDoses.clear();
    for (const m of latest) this.publish(c, m.kind, m.payload);
    for (const m of kept) this.publish(c, m.kind, m.payload);
    for (const rows of rowBatches) this.publish(c, "readings", { v: MQTT_API_VERSION, rows: rows, droppedRows: this.queue.droppedRows, sentAtMs: nowMs });
  }

  private publish(c: MqttClient, kind: PublishedKind, payload: unknown): void {
    const spec = topicSpec(kind);
    // QoS 0 has no broker answer to count: no callback (MQTT.js would call it after the write).
    if (spec.qos === 0) c.publish(this.topic(kind), JSON.stringify(payload), { qos: 0, retain: spec.retain });
    else
      c.publish(this.topic(kind), JSON.stringify(payload), { qos: spec.qos, retain: spec.retain }, (err) => {
        if (err && typeof (err as { code?: unknown }).code === "number") this.refused++;
      });
  }

  private async onCommand(topic: string, payload: Buffer): Promise<void> {
    if (!this.address || topic !== this.topic("cmd/ack") || !this.o.onAck) return;
    let parsed: ReturnType<typeof AckRequest.safeParse>;
    try {
      parsed = AckRequest.safeParse(JSON.parse(payload.toString("utf8")));
    } catch {
      this.badCommands++;
      return;
    }
    if (!parsed.success) {
      this.badCommands++;
      return;
    }
    const result = await this.o.onAck(parsed.data);
    this.client?.publish(this.topic("cmd/result"), JSON.stringify(result), { qos: 1 });
  }
}
