// The WebSocket relay: guarded upgrades on the shared http server, shared snapshots, fan-out, rate-limited client messages, ping / pong.
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { countBadWsMessage, countByCode } from "../domain/counters";
import type { ProcedureState } from "../state/procedure-state";
import { AuthGuard, DEFAULT_AUTH_GUARD_LIMITS, type AuthGuardLimits } from "./auth-guard";
import { ClientRate, DEFAULT_CLIENT_RATE_LIMITS, type Admission, type ClientRateLimits } from "./client-rate";
import { WS_CLOSE_FLOOD, WS_CLOSE_GOING_AWAY, WS_CLOSE_TRY_AGAIN_LATER } from "./close-codes";
import type { CommandHandler } from "./command-handler";
import { ConnectionCaps, DEFAULT_CONNECTION_CAPS, type ConnectionCapLimits } from "./connection-caps";
import { Fanout, FanoutClient, type FanoutLimits } from "./fanout";
import { SnapshotCache, SNAPSHOT_MIN_INTERVAL_MS } from "./snapshot-cache";
import { guardSockets, remoteAddressOf, type SocketGuardOptions } from "./socket-guard";
import { checkRequest } from "./upgrade-guard";
import { ClientMessage, WS_MAX_CLIENT_PAYLOAD_BYTES, type CommandMsg, type ErrorMsg, type ServerMessage } from "./ws-messages";

/** Path of the WebSocket endpoint. */
export const WS_PATH = "/ws";
/** Ping period; a client that has not answered the previous ping by the next one is dropped. */
export const PING_INTERVAL_MS = 10_000;

/** Every limit on what clients may ask of the relay (docs/WEBSOCKET.md "Limits"). */
export interface RelayLimits {
  rate: ClientRateLimits;
  auth: AuthGuardLimits;
  connections: ConnectionCapLimits;
  snapshotMinIntervalMs: number;
  sockets: SocketGuardOptions;
}

export interface RelayOptions {
  hosts: ReadonlySet<string>;
  origins: ReadonlySet<string>;
  pingIntervalMs?: number;
  fanout?: Partial<FanoutLimits>;
  limits?: Partial<RelayLimits>;
}

interface Conn {
  ws: WebSocket;
  client: FanoutClient;
  control: boolean;
  alive: boolean;
  /** Closed by the relay (flood): frames still in the receive buffer are ignored. */
  closing: boolean;
  address: string;
  /** Keys of this connection in the auth guard. */
  authKeys: [string, string];
  rate: ClientRate;
}

/** Owns the WebSocket side of one bridge. */
export class Relay {
  readonly fanout: Fanout;
  readonly snapshots: SnapshotCache<FanoutClient>;
  readonly limits: RelayLimits;
  private readonly wss: WebSocketServer;
  private readonly conns = new Set<Conn>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly auth: AuthGuard;
  private readonly caps: ConnectionCaps;
  private nextConnId = 1;

  constructor(
    server: Server,
    private readonly state: ProcedureState,
    private readonly commands: CommandHandler,
    /** Drains the state's outbox to every client (called after a command changed something). */
    private readonly pump: () => void,
    private readonly opts: RelayOptions,
  ) {
    this.limits = { rate: DEFAULT_CLIENT_RATE_LIMITS, auth: DEFAULT_AUTH_GUARD_LIMITS, connections: DEFAULT_CONNECTION_CAPS, snapshotMinIntervalMs: SNAPSHOT_MIN_INTERVAL_MS, sockets: {}, ...opts.limits };
    this.fanout = new Fanout(state.counters, opts.fanout);
    this.auth = new AuthGuard(this.limits.auth);
    this.caps = new ConnectionCaps(this.limits.connections);
    this.snapshots = new SnapshotCache((control) => {
      this.state.counters.wsSnapshotsBuilt++;
      return Buffer.from(JSON.stringify([this.state.snapshot(control)]));
    }, this.limits.snapshotMinIntervalMs);
    // One message per event-loop turn (allowSynchronousEvents off): a client's burst of frames interleaves with
    // the serial port's reads instead of running as one long synchronous loop.
    this.wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_CLIENT_PAYLOAD_BYTES, perMessageDeflate: false, allowSynchronousEvents: false });
    guardSockets(server, state.counters, this.limits.sockets);
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    this.timers.push(setInterval(() => this.ping(), opts.pingIntervalMs ?? PING_INTERVAL_MS));
  }

  /** Periodic work (the bridge calls it every ~100 ms): lagging clients catch up or are dropped; waiting snapshots go out. */
  tick(monoMs = performance.now()): void {
    this.fanout.tick(monoMs);
    this.serveSnapshots(monoMs);
  }

  /** Sends a batch of messages to every client. */
  broadcast(msgs: ServerMessage[]): void {
    if (msgs.length === 0) return;
    // A snapshot built before these messages would miss them.
    this.snapshots.invalidate();
    this.fanout.broadcast(msgs);
  }

  /** Connected clients. */
  get clientCount(): number {
    return this.conns.size;
  }

  /** Closes every connection (1001) and stops the timers. */
  close(): void {
    for (const t of this.timers) clearInterval(t);
    for (const c of this.conns) c.ws.close(WS_CLOSE_GOING_AWAY, "bridge shutting down");
    for (const c of this.conns) setTimeout(() => c.ws.terminate(), 500).unref();
    this.wss.close();
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://x");
    const refusal = url.pathname !== WS_PATH ? { status: 404, reason: "WebSocket endpoint is " + WS_PATH } : checkRequest(req, this.opts.hosts, this.opts.origins);
    if (refusal) {
      const text = refusal.reason + "\n";
      socket.end(`HTTP/1.1 ${refusal.status} ${refusal.status === 404 ? "Not Found" : "Forbidden"}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
      return;
    }
    const address = remoteAddressOf(req.socket);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // The slot is taken once the handshake succeeded (a malformed upgrade never reaches here, so takes none).
      const full = this.caps.acquire(address);
      if (!full) return this.onConnection(ws, address);
      // Completed, then closed at once: a browser sees the code and reason (a refused upgrade shows it nothing).
      countByCode(this.state.counters.wsGuardCloses, full);
      const cap = full === "TOO_MANY_FROM_ADDRESS" ? this.limits.connections.perAddress + " from one address" : this.limits.connections.total + " in total";
      ws.close(WS_CLOSE_TRY_AGAIN_LATER, `${full}: at most ${cap}`);
      setTimeout(() => ws.terminate(), 1000).unref();
    });
  }

  private onConnection(ws: WebSocket, address: string): void {
    const socket = {
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      send: (data: Buffer) => ws.send(data, { binary: false }),
      close: (code: number, reason: string) => {
        ws.close(code, reason);
        setTimeout(() => ws.terminate(), 1000).unref(); // a client that does not read never completes the close handshake
      },
    };
    const id = this.nextConnId++;
    const conn: Conn = { ws: ws, client: new FanoutClient(socket), control: false, alive: true, closing: false, address: address, authKeys: ["conn:" + id, "addr:" + address], rate: new ClientRate(this.limits.rate, performance.now()) };
    this.conns.add(conn);
    this.state.counters.wsClients = this.conns.size;
    // The client joins the fan-out with its first snapshot (served from the shared frame), not before.
    this.snapshots.request(conn.client, false);
    this.serveSnapshots(performance.now());
    ws.on("pong", () => (conn.alive = true));
    ws.on("message", (data: RawData, isBinary: boolean) => this.onMessage(conn, data, isBinary));
    ws.on("error", (e: Error & { code?: string }) => {
      // e.g. a payload over maxPayload (WS_ERR_UNSUPPORTED_MESSAGE_LENGTH, ws closes with 1009)
      countBadWsMessage(this.state.counters, typeof e?.code === "string" ? e.code : "WS_ERROR");
      ws.terminate();
    });
    ws.on("close", () => {
      this.conns.delete(conn);
      this.fanout.clients.delete(conn.client);
      this.snapshots.cancel(conn.client);
      this.auth.forget(conn.authKeys[0]);
      this.caps.release(address);
      conn.client.closed = true;
      this.state.counters.wsClients = this.conns.size;
    });
  }

  private serveSnapshots(nowMs: number): void {
    if (this.snapshots.pending === 0) return;
    this.snapshots.serve(
      nowMs,
      (c) => this.fanout.hasRoom(c),
      (c, frame) => {
        if (!this.fanout.sendFrame(c, frame)) return;
        this.state.counters.wsSnapshotsSent++;
        this.fanout.clients.add(c);
      },
    );
  }

  private onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
    if (conn.closing) return;
    const nowMs = performance.now();
    // The rate is checked before anything is parsed: a flood costs one bucket check per frame.
    const admitted = conn.rate.admitFrame(nowMs);
    if (admitted !== "ok") return this.limited(conn, "frame", admitted, null);
    if (isBinary) return this.error(conn, "BINARY_NOT_SUPPORTED", "send JSON text frames", null, []);
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch (e) {
      return this.error(conn, "BAD_JSON", "not JSON: " + (e as Error).message, null, []);
    }
    const parsed = ClientMessage.safeParse(json);
    if (!parsed.success) {
      const rawId = (json as { id?: unknown } | null)?.id;
      const id = typeof rawId === "string" || (typeof rawId === "number" && Number.isInteger(rawId)) ? (rawId as string | number) : null;
      const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.slice(0, 16).map((p) => (typeof p === "symbol" ? String(p) : p)), code: i.code, message: i.message }));
      const first = issues[0];
      return this.error(conn, "BAD_MESSAGE", `invalid message: ${first ? first.path.join(".") + ": " + first.message : "?"}`, id, issues);
    }
    const msg = parsed.data;
    const byType = conn.rate.admitMessage(msg.type, nowMs);
    if (byType !== "ok") return this.limited(conn, msg.type, byType, msg.type === "command" ? msg : null);
    switch (msg.type) {
      case "hello": {
        if (msg.token === undefined) {
          conn.control = false;
          return this.fanout.sendTo(conn.client, [{ type: "auth", control: false }]);
        }
        const verdict = this.checkToken(conn, msg.token, Date.now());
        conn.control = verdict === true;
        this.fanout.sendTo(conn.client, [verdict === true || verdict === false ? { type: "auth", control: conn.control } : { type: "auth", control: false, retryAfterMs: verdict.retryAfterMs }]);
        return;
      }
      case "resync":
        this.snapshots.request(conn.client, conn.control);
        this.serveSnapshots(nowMs);
        return;
      case "command": {
        const verdict = conn.control || msg.token === undefined ? conn.control : this.checkToken(conn, msg.token, Date.now());
        if (verdict !== true && verdict !== false) {
          countByCode(this.state.counters.commandsRefused, "LOCKED_OUT");
          const s = Math.ceil(verdict.retryAfterMs / 1000);
          return this.fanout.sendTo(conn.client, [{ type: "commandResult", id: msg.id, ok: false, outcome: "REFUSED", reason: "LOCKED_OUT", info: verdict.retryAfterMs, message: `too many wrong tokens: token not checked, try again in ${s} s` }]);
        }
        void this.commands.handle(msg, verdict).then((r) => {
          this.pump();
          this.fanout.sendTo(conn.client, [r]);
        });
        return;
      }
    }
  }

  /** Compares a token under the guess lock-out: true / false, or the wait when this connection or address is locked. */
  private checkToken(conn: Conn, token: string, nowMs: number): boolean | { retryAfterMs: number } {
    const v = this.auth.check(conn.authKeys, nowMs);
    if (!v.allowed) {
      this.state.counters.wsAuthLockedOut++;
      return { retryAfterMs: v.retryAfterMs };
    }
    if (this.commands.authorise(token)) {
      this.auth.forget(conn.authKeys[0]);
      return true;
    }
    this.state.counters.wsAuthFailures++;
    this.auth.fail(conn.authKeys, nowMs);
    return false;
  }

  /** A frame or message over its rate: counted; the client is told once per run; a long run closes it. */
  private limited(conn: Conn, what: string, admission: Exclude<Admission, "ok">, command: CommandMsg | null): void {
    countByCode(this.state.counters.wsRateLimited, what);
    if (admission === "flood") {
      conn.closing = true;
      countByCode(this.state.counters.wsGuardCloses, "FLOOD");
      conn.client.closed = true;
      this.fanout.clients.delete(conn.client);
      conn.ws.close(WS_CLOSE_FLOOD, `rate limit: ${conn.rate.framesDroppedInRow} frames dropped in a row`);
      setTimeout(() => conn.ws.terminate(), 1000).unref();
      return;
    }
    if (command) {
      // A command always gets its one answer (the client waits for its id), if the client has room for it.
      countByCode(this.state.counters.commandsRefused, "RATE_LIMITED");
      const r: ServerMessage = { type: "commandResult", id: command.id, ok: false, outcome: "REFUSED", reason: "RATE_LIMITED", info: null, message: `command not run: more than ${conn.rate.limits.command.perSecond} commands per second` };
      if (!this.fanout.sendIfRoom(conn.client, [r])) this.state.counters.wsRepliesDropped++;
      return;
    }
    if (admission !== "drop-notify") return;
    const rate = what === "resync" ? conn.rate.limits.resync : conn.rate.limits.frames;
    const notice: ServerMessage = { type: "error", code: "RATE_LIMITED", message: `${what} dropped: more than ${rate.burst} at once or ${rate.perSecond} per second (later ones dropped silently)`, id: null, issues: [] };
    if (!this.fanout.sendIfRoom(conn.client, [notice])) this.state.counters.wsRepliesDropped++;
  }

  private error(conn: Conn, code: ErrorMsg["code"], message: string, id: ErrorMsg["id"], issues: ErrorMsg["issues"]): void {
    countBadWsMessage(this.state.counters, code);
    if (!this.fanout.sendIfRoom(conn.client, [{ type: "error", code: code, message: message, id: id, issues: issues }])) this.state.counters.wsRepliesDropped++;
  }

  private ping(): void {
    for (const c of this.conns) {
      if (!c.alive) {
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      c.ws.ping();
    }
  }
}
