// A WebSocket test client that collects server messages (frames are arrays) and awaits the ones a test expects.
import { WebSocket } from "ws";
import type { ServerMessage } from "../../../host/ws/ws-messages";

type Pred<T extends ServerMessage> = (m: ServerMessage) => m is T;

/** A connected client; every message received is kept in `messages`, in order. */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  readonly frames: string[] = [];
  closeCode: number | null = null;
  closeReason = "";
  private waiters: { pred: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  private closeWaiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const text = data.toString();
      this.frames.push(text);
      for (const m of JSON.parse(text) as ServerMessage[]) {
        this.messages.push(m);
        this.waiters = this.waiters.filter((w) => {
          if (!w.pred(m)) return true;
          w.resolve(m);
          return false;
        });
      }
    });
    ws.on("close", (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
      for (const w of this.closeWaiters) w();
    });
  }

  /** Connects; rejects with the http status when the upgrade is refused. */
  static connect(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const c = new TestClient(ws);
      ws.once("open", () => resolve(c));
      ws.once("unexpected-response", (_req, res) => reject(Object.assign(new Error("upgrade refused: " + res.statusCode), { status: res.statusCode })));
      ws.once("error", reject);
    });
  }

  /** The first message (already received or future) matching pred, after index `from`. */
  waitFor<T extends ServerMessage>(pred: Pred<T> | ((m: ServerMessage) => boolean), timeoutMs = 5000, from = 0): Promise<T> {
    for (let i = from; i < this.messages.length; i++) if (pred(this.messages[i])) return Promise.resolve(this.messages[i] as T);
    return new Promise((resolve, reject) => {
      const w = { pred: pred as (m: ServerMessage) => boolean, resolve: (m: ServerMessage) => (clearTimeout(t), resolve(m as T)) };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new Error("timed out waiting for a message; last: " + JSON.stringify(this.messages.slice(-3)).slice(0, 600)));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Waits for the next matching message from now on. */
  next<T extends ServerMessage>(pred: Pred<T> | ((m: ServerMessage) => boolean), timeoutMs = 5000): Promise<T> {
    return this.waitFor(pred, timeoutMs, this.messages.length);
  }

  send(obj: unknown): void {
    this.ws.send(typeof obj === "string" ? obj : JSON.stringify(obj));
  }

  /** Sends a command and resolves with its commandResult. */
  async command(id: string | number, command: unknown, token?: string) {
    const p = this.next((m) => m.type === "commandResult" && m.id === id, 8000);
    this.send(token === undefined ? { type: "command", id, command } : { type: "command", id, token, command });
    return (await p) as Extract<ServerMessage, { type: "commandResult" }>;
  }

  waitClose(timeoutMs = 10_000): Promise<void> {
    if (this.closeCode !== null) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("not closed")), timeoutMs);
      this.closeWaiters.push(() => (clearTimeout(t), resolve()));
    });
  }

  close(): void {
    this.ws.terminate();
  }
}
