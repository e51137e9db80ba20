// The WebSocket relay: guarded upgrades on the shared http server, snapshot on connect, fan-out, client messages, ping / pong.
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { countBadWsMessage } from "../state/counters";
import type { ProcedureState } from "../state/procedure-state";
import type { CommandHandler } from "./command-handler";
import { Fanout, FanoutClient, type FanoutLimits } from "./fanout";
import { checkRequest } from "./upgrade-guard";
import { ClientMessage, WS_MAX_CLIENT_PAYLOAD_BYTES, type ErrorMsg, type ServerMessage } from "./ws-messages";

/** Path of the WebSocket endpoint. */
export const WS_PATH = "/ws";
/** Ping period; a client that has not answered the previous ping by the next one is dropped. */
export const PING_INTERVAL_MS = 10_000;

export interface RelayOptions {
  hosts: ReadonlySet<string>;
  origins: ReadonlySet<string>;
  pingIntervalMs?: number;
  fanout?: Partial<FanoutLimits>;
}

interface Conn {
  ws: WebSocket;
  client: FanoutClient;
  control: boolean;
  alive: boolean;
}

/** Owns the WebSocket side of one bridge. */
export class Relay {
  readonly fanout: Fanout;
  private readonly wss: WebSocketServer;
  private readonly conns = new Set<Conn>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    server: Server,
    private readonly state: ProcedureState,
    private readonly commands: CommandHandler,
    /** Drains the state's outbox to every client (called after a command changed something). */
    private readonly pump: () => void,
    private readonly opts: RelayOptions,
  ) {
    this.fanout = new Fanout(state.counters, opts.fanout);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_CLIENT_PAYLOAD_BYTES, perMessageDeflate: false });
    server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    this.timers.push(setInterval(() => this.ping(), opts.pingIntervalMs ?? PING_INTERVAL_MS));
  }

  /** Periodic work (the bridge calls it every ~100 ms): lagging clients catch up or are dropped. */
  tick(monoMs = performance.now()): void {
    this.fanout.tick(monoMs);
  }

  /** Sends a batch of messages to every client. */
  broadcast(msgs: ServerMessage[]): void {
    this.fanout.broadcast(msgs);
  }

  /** Connected clients. */
  get clientCount(): number {
    return this.conns.size;
  }

  /** Closes every connection (1001) and stops the timers. */
  close(): void {
    for (const t of this.timers) clearInterval(t);
    for (const c of this.conns) c.ws.close(1001, "bridge shutting down");
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
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws));
  }

  private onConnection(ws: WebSocket): void {
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
    const conn: Conn = { ws: ws, client: new FanoutClient(socket), control: false, alive: true };
    this.conns.add(conn);
    this.state.counters.wsClients = this.conns.size;
    this.fanout.sendTo(conn.client, [this.state.snapshot(false)]);
    this.fanout.clients.add(conn.client);
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
      conn.client.closed = true;
      this.state.counters.wsClients = this.conns.size;
    });
  }

  private onMessage(conn: Conn, data: RawData, isBinary: boolean): void {
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
      const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), code: i.code, message: i.message }));
      const first = issues[0];
      return this.error(conn, "BAD_MESSAGE", `invalid message: ${first ? first.path.join(".") + ": " + first.message : "?"}`, id, issues);
    }
    const msg = parsed.data;
    switch (msg.type) {
      case "hello":
        conn.control = msg.token !== undefined && this.commands.authorise(msg.token);
        this.fanout.sendTo(conn.client, [{ type: "auth", control: conn.control }]);
        return;
      case "resync":
        this.fanout.sendTo(conn.client, [this.state.snapshot(conn.control)]);
        return;
      case "command":
        void this.commands.handle(msg, conn.control).then((r) => {
          this.pump();
          this.fanout.sendTo(conn.client, [r]);
        });
        return;
    }
  }

  private error(conn: Conn, code: ErrorMsg["code"], message: string, id: ErrorMsg["id"], issues: ErrorMsg["issues"]): void {
    countBadWsMessage(this.state.counters, code);
    this.fanout.sendTo(conn.client, [{ type: "error", code: code, message: message, id: id, issues: issues }]);
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
