// A WebSocket client for the bridge benchmarks: reads every frame (bridge JSON arrays or the baseline's raw lines), timestamps arrivals, reports rows and alarms.
import { WebSocket } from "ws";
import { monoMs } from "./mono-clock";

/**
 * What the client is connected to: the bridge (JSON arrays of messages), the bare relay or Node-RED
 * (`serial in` -> `websocket out`; both one protocol line per frame).
 */
export type RelayKind = "bridge" | "baseline" | "node-red";

/** The relays in the order the benchmarks show them. */
export const RELAY_KINDS: readonly RelayKind[] = ["bridge", "baseline", "node-red"];

/** How a benchmark table names a relay. */
export const RELAY_NAMES: Record<RelayKind, string> = { bridge: "bridge", baseline: "bare relay", "node-red": "Node-RED" };

/** An alarm as the client saw it: INTERVENE etc., channel, active, and the device time of its A line (null if not given). */
export interface SeenAlarm {
  cond: string;
  ch: number;
  active: boolean;
  action: string;
  tMs: number | null;
  atMs: number;
}

/** Listeners; each gets the monotonic arrival time of the frame (taken before parsing it). */
export interface ClientHandlers {
  onRow?(seq: number, tMs: number, atMs: number): void;
  onAlarm?(a: SeenAlarm): void;
}

interface BridgeMsg {
  type: string;
  rows?: { seq: number; tMs: number }[];
  history?: { seq: number[]; tMs: number[] };
  action?: string;
  alarm?: { cond: string; ch: number; active: boolean; tMs?: number | null };
}

/** One connected client that parses every frame it receives (as a dashboard would). */
export class BenchClient {
  frames = 0;
  bytes = 0;
  rows = 0;
  /** Monotonic ms of the first frame carrying a reading (snapshot history or readings), null before. */
  firstRowAtMs: number | null = null;
  closed = false;
  handlers: ClientHandlers = {};
  /** Line relays only: called with the seq of every A line (the bench acknowledges it for the relay, which cannot). */
  ackAlarm: ((seq: number) => void) | null = null;

  private constructor(
    readonly ws: WebSocket,
    readonly kind: RelayKind,
  ) {
    ws.on("message", (data: Buffer) => this.onFrame(data));
    ws.on("close", () => (this.closed = true));
    ws.on("error", () => {});
  }

  /** Connects once; rejects on refusal or error. */
  static connect(url: string, kind: RelayKind): Promise<BenchClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      const c = new BenchClient(ws, kind);
      ws.once("open", () => resolve(c));
      ws.once("error", reject);
    });
  }

  /** Connects, retrying every `everyMs` until `timeoutMs` (the server may not be listening yet). */
  static async connectRetry(url: string, kind: RelayKind, timeoutMs = 10_000, everyMs = 5): Promise<BenchClient> {
    const deadline = monoMs() + timeoutMs;
    for (;;) {
      try {
        return await BenchClient.connect(url, kind);
      } catch (e) {
        if (monoMs() > deadline) throw e;
        await new Promise((r) => setTimeout(r, everyMs));
      }
    }
  }

  close(): void {
    this.ws.terminate();
  }

  private onFrame(data: Buffer): void {
    const atMs = monoMs();
    this.frames++;
    this.bytes += data.length;
    const text = data.toString();
    if (this.kind !== "bridge") this.onLine(text, atMs);
    else for (const m of JSON.parse(text) as BridgeMsg[]) this.onMessage(m, atMs);
  }

  private gotRow(seq: number, tMs: number, atMs: number): void {
    this.rows++;
    if (this.firstRowAtMs === null) this.firstRowAtMs = atMs;
    this.handlers.onRow?.(seq, tMs, atMs);
  }

  private onMessage(m: BridgeMsg, atMs: number): void {
    if (m.type === "readings") for (const r of m.rows!) this.gotRow(r.seq, r.tMs, atMs);
    else if (m.type === "snapshot" && m.history && m.history.seq.length > 0 && this.firstRowAtMs === null) this.firstRowAtMs = atMs;
    else if (m.type === "alarm" && this.handlers.onAlarm) {
      const a = m.alarm!;
      this.handlers.onAlarm({ cond: a.cond, ch: a.ch, active: a.active, action: m.action!, tMs: a.tMs ?? null, atMs: atMs });
    }
  }

  /** "$R,seq,tMs,..." and "$A,seq,tMs,alarmId,action,cond,ch,prio,kind,active,..." (PROTOCOL.md section 7). */
  private onLine(line: string, atMs: number): void {
    if (line.startsWith("$R,")) {
      const a = line.indexOf(",", 3);
      const b = line.indexOf(",", a + 1);
      this.gotRow(Number(line.slice(3, a)), Number(line.slice(a + 1, b)), atMs);
    } else if (line.startsWith("$A,")) {
      const f = line.slice(0, line.indexOf("*")).split(",");
      this.ackAlarm?.(Number(f[1]));
      this.handlers.onAlarm?.({ cond: f[5], ch: Number(f[6]), active: f[9] === "1", action: f[4], tMs: Number(f[2]), atMs: atMs });
    }
  }
}
