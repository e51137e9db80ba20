// WebSocket to the bridge: connect, validate every frame with the API's zod schemas, reconnect with backoff.
import { ClientMessage, ServerMessage, type ServerMessage as ServerMessageT } from "../ws/ws-messages";

/** Reconnect backoff: first retry after 0.5 s, doubling to at most 10 s, +-20 % jitter so displays do not retry in step. */
export const RECONNECT_MIN_MS = 500;
export const RECONNECT_MAX_MS = 10_000;
/** An open socket silent this long is treated as dead and reopened (the bridge sends status every second). */
export const SILENT_RECONNECT_MS = 10_000;

/** A frame or message that failed validation: where and why. */
export interface BadMessage {
  atMs: number;
  /** BAD_JSON, NOT_ARRAY, BAD_MESSAGE (failed the zod schema), HANDLER (this page threw on it). */
  code: "BAD_JSON" | "NOT_ARRAY" | "BAD_MESSAGE" | "HANDLER";
  detail: string;
}

export interface SocketHandlers {
  onOpen(): void;
  onClose(code: number, reason: string): void;
  /** One valid message, in frame order. */
  onMessage(m: ServerMessageT): void;
  /** Any frame arrived (valid or not): proof the bridge is alive. */
  onFrame(): void;
  onBad(b: BadMessage): void;
}

/** Splits a server frame into validated messages and problems; never throws. */
export function parseFrame(text: string): { messages: ServerMessageT[]; bad: Omit<BadMessage, "atMs">[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { messages: [], bad: [{ code: "BAD_JSON", detail: String((e as Error).message).slice(0, 200) }] };
  }
  if (!Array.isArray(json) || json.length === 0) return { messages: [], bad: [{ code: "NOT_ARRAY", detail: "a frame must be a non-empty JSON array of messages" }] };
  const messages: ServerMessageT[] = [];
  const bad: Omit<BadMessage, "atMs">[] = [];
  // Message by message, so one bad message does not discard the good ones around it.
  json.forEach((item, i) => {
    const r = ServerMessage.safeParse(item);
    if (r.success) messages.push(r.data);
    else {
      const type = item && typeof item === "object" && "type" in item ? String((item as { type: unknown }).type).slice(0, 20) : "?";
      const iss = r.error.issues[0];
      const where = iss ? iss.path.join(".") || "(root)" : "";
      bad.push({ code: "BAD_MESSAGE", detail: `message ${i} (type ${type}): ${where}: ${iss?.message ?? "invalid"}` });
    }
  });
  return { messages, bad };
}

/** Next backoff delay after `attempt` failed attempts (0-based). `rand` in [0, 1). */
export function backoffMs(attempt: number, rand: number): number {
  const base = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * Math.pow(2, attempt));
  return Math.round(base * (0.8 + 0.4 * rand));
}

export class BridgeSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private lastFrameMs = 0;
  /** Local ms of the next reconnect attempt, while closed. */
  nextRetryAtMs: number | null = null;
  connects = 0;
  open = false;

  constructor(
    readonly url: string,
    private readonly h: SocketHandlers,
  ) {}

  start(): void {
    this.connect();
    setInterval(() => {
      // A half-open TCP connection never closes by itself: reopen when the bridge has gone quiet.
      if (this.open && Date.now() - this.lastFrameMs > SILENT_RECONNECT_MS) this.ws?.close(4000, "silent");
    }, 1000);
  }

  /** Sends one client message (validated here too, so a bug cannot send junk). False when not sent. */
  send(m: ClientMessage): boolean {
    const r = ClientMessage.safeParse(m);
    if (!r.success || !this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(r.data));
    return true;
  }

  /** Closes now and reconnects at once (after a manual "reconnect" or to force a fresh snapshot). */
  reconnectNow(): void {
    this.attempt = 0;
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close(4001, "reconnect");
    else this.connect();
  }

  private connect(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.nextRetryAtMs = null;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.open = true;
      this.connects++;
      this.lastFrameMs = Date.now();
      this.h.onOpen();
    };
    ws.onmessage = (ev) => {
      this.lastFrameMs = Date.now();
      this.attempt = 0;
      this.h.onFrame();
      if (typeof ev.data !== "string") {
        this.h.onBad({ atMs: Date.now(), code: "BAD_JSON", detail: "binary frame" });
        return;
      }
      const { messages, bad } = parseFrame(ev.data);
      for (const b of bad) this.h.onBad({ ...b, atMs: Date.now() });
      for (const m of messages) {
        try {
          this.h.onMessage(m);
        } catch (e) {
          this.h.onBad({ atMs: Date.now(), code: "HANDLER", detail: `${m.type}: ${String((e as Error)?.message ?? e).slice(0, 200)}` });
        }
      }
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.open = false;
      this.ws = null;
      this.h.onClose(ev.code, ev.reason);
      this.scheduleRetry(ev.code === 4001 ? 0 : undefined);
    };
    ws.onerror = () => {
      /* onclose follows and schedules the retry */
    };
  }

  private scheduleRetry(delayMs?: number): void {
    const d = delayMs ?? backoffMs(this.attempt++, Math.random());
    this.nextRetryAtMs = Date.now() + d;
    this.retryTimer = setTimeout(() => this.connect(), d);
  }
}
