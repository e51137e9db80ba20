// The serial link state machine: open (path or auto-detect), HELLO handshake, TIME sync, watchdog, reconnect, sequencing.
import { existsSync } from "node:fs";
import { PushbackTicker } from "../timing/pushback-ticker";
import type { SerialPort } from "serialport";
import {
  decode,
  encode,
  PROTOCOL_MAJOR,
  PROTOCOL_MINOR,
  type AlarmEvent,
  type DeviceMessage,
  type Hello,
} from "../../protocol";
import { countBadLine } from "../domain/counters";
import type { Counters, LinkState } from "../domain/domain-schemas";
import { AlarmSequencer } from "./alarm-sequencer";
import { BoundedLineParser } from "./bounded-line-parser";
import { CommandSender, type CommandBody, type CommandOutcome } from "./command-sender";
import { isKnownUsbId } from "./known-devices";
import { listPorts, type PortDescription } from "./list-ports";
import { closePort, DEFAULT_BAUD, openPort } from "./open-port";
import { ReadingTracker, type SeqRange } from "./reading-tracker";
import { SerialLinkError } from "./serial-errors";
import { validateDeviceMessage } from "../protocol/zod-schemas";

/** No valid line for this long means the link is lost (PROTOCOL.md section 6). */
export const WATCHDOG_MS = 2500;
/** Time a device has to answer HELLO with HI before the port is declared the wrong device. */
export const HELLO_TIMEOUT_MS = 3000;
/** Reconnect backoff: first delay, doubling up to the maximum. */
export const RECONNECT_INITIAL_MS = 250;
export const RECONNECT_MAX_MS = 5000;
/**
 * A link lost this many watchdog periods after its last valid line is closed and reopened: a port
 * can stay open but dead (the device re-enumerated, a pty re-created, no error from the driver).
 */
export const REOPEN_AFTER_WATCHDOGS = 2;
/** Period of the link's housekeeping tick (watchdog, RESEND deadlines, alarm gap skip). */
export const TICK_MS = 100;

/** How an HI relates to what the link knew: first device, same boot again (reconnect), reboot, another device. */
export type HelloKind = "first" | "same" | "reboot" | "new-device";

/** One validated device message, in arrival order (alarms in seq order), with the wall-clock time it arrived. */
export interface LinkItem {
  msg: DeviceMessage;
  atMs: number;
  /** R only: the line fills an earlier gap (RESEND). */
  resent?: boolean;
  /** HI only. */
  hello?: HelloKind;
}

/** Receives what the link produces. */
export interface LinkSink {
  /** The link changed state; error says why it is not up (null when up). */
  onState(state: LinkState, error: SerialLinkError | null, port: string | null): void;
  /** Messages produced by one serial chunk (or released by the tick). */
  onBatch(items: LinkItem[]): void;
  /** Reading seqs now known lost (device answered GONE, or never resent). */
  onLost(ranges: SeqRange[], atMs: number): void;
}

export interface LinkOptions {
  /** Serial port path, or "auto" to detect the device by USB id and HELLO. */
  port: string;
  baudRate?: number;
  /** With "auto": try every listed port, not only known USB ids. */
  anyPort?: boolean;
  helloTimeoutMs?: number;
  watchdogMs?: number;
  commandTimeoutMs?: number;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** Port lister (tests inject one; default: listPorts()). */
  listPorts?: () => Promise<PortDescription[]>;
}

/** Errors after which retrying the same device cannot help. */
const FATAL: ReadonlySet<string> = new Set(["VERSION_MISMATCH"]);

/**
 * Owns one serial connection at a time and keeps it alive: handshake, watchdog, reconnect with
 * backoff, reboot detection, AK of every alarm line, in-order alarms, RESEND of reading gaps.
 */
export class Link {
  state: LinkState = "connecting";
  /** The device's latest HI (kept across reconnects to tell a reboot from a reconnect). */
  device: Hello | null = null;
  portPath: string | null = null;
  lastValidLineAtMs: number | null = null;
  /** performance.now() of the last valid line: the watchdog runs on the monotonic clock, so a host clock jump is no link loss. */
  private lastValidMonoMs = -1;
  readonly sender: CommandSender;
  readonly tracker: ReadingTracker;
  readonly alarms: AlarmSequencer;
  /** The current connection's line splitter (its counters feed counters.droppedBytes). */
  parser: BoundedLineParser | null = null;
  /**
   * Where a previous bridge's recording stopped (set before start()): if the first device to answer is
   * that device in that boot and session, its readings from `nextSeq` on are fetched by RESEND like any gap.
   */
  resume: { deviceId: string; bootId: number; session: string | null; nextSeq: number } | null = null;

  private port: SerialPort | null = null;
  private closed = false;
  private ticker: PushbackTicker | null = null;
  private otherNext = -1;
  private helloSeen: ((hi: Hello) => void) | null = null;
  private sawHiThisConnection = false;
  private sawLiveReadingThisConnection = false;
  private droppedBase = 0;
  private wakeBackoff: (() => void) | null = null;
  /** Ends the current connection (the run loop then reconnects). */
  private dropConnection: ((why: string) => void) | null = null;
  /** The open port's path is a file (a /dev node, a pty link): its disappearance means unplugged. */
  private portOnDisk = false;
  private readonly opts: Required<Omit<LinkOptions, "listPorts">> & Pick<LinkOptions, "listPorts">;

  constructor(
    options: LinkOptions,
    private readonly sink: LinkSink,
    private readonly counters: Counters,
  ) {
    if (!options.port) throw new Error("Link: options.port is required (a path or 'auto')");
    this.opts = {
      baudRate: DEFAULT_BAUD,
      anyPort: false,
      helloTimeoutMs: HELLO_TIMEOUT_MS,
      watchdogMs: WATCHDOG_MS,
      commandTimeoutMs: 2000,
      reconnectInitialMs: RECONNECT_INITIAL_MS,
      reconnectMaxMs: RECONNECT_MAX_MS,
      ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as LinkOptions),
    };
    this.sender = new CommandSender(null, counters, this.opts.commandTimeoutMs);
    this.tracker = new ReadingTracker(counters);
    this.alarms = new AlarmSequencer(counters);
  }

  /**
   * Starts connecting. Resolves when the first handshake succeeds; rejects with the first
   * SerialLinkError (NO_PORT, PORT_NOT_FOUND, PERMISSION_DENIED, PORT_BUSY, WRONG_DEVICE,
   * VERSION_MISMATCH, ...). Either way the link keeps retrying in the background until close(),
   * except after VERSION_MISMATCH.
   */
  start(): Promise<void> {
    this.ticker = new PushbackTicker(() => this.tick(), TICK_MS);
    return new Promise((resolve, reject) => {
      void this.run(resolve, reject);
    });
  }

  /** Sends a command to the device; resolves with ACK / NAK / TIMEOUT / REFUSED (never rejects). */
  send(body: CommandBody, timeoutMs?: number): Promise<CommandOutcome> {
    return this.sender.send(body, timeoutMs);
  }

  /** Stops for good: closes the port, refuses pending commands. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ticker?.stop();
    this.wakeBackoff?.();
    this.sender.setWriter(null);
    const p = this.port;
    this.port = null;
    if (p) await closePort(p);
    this.setState("closed", null);
  }

  private async run(resolve: () => void, reject: (e: SerialLinkError) => void): Promise<void> {
    let first = true;
    let delay = this.opts.reconnectInitialMs;
    while (!this.closed) {
      let error: SerialLinkError | null = null;
      try {
        const conn = await this.connect();
        if (first) resolve();
        first = false;
        delay = this.opts.reconnectInitialMs;
        error = await conn.ended;
      } catch (e) {
        error = e instanceof SerialLinkError ? e : new SerialLinkError("OPEN_FAILED", String((e as Error)?.message ?? e), this.portPath);
      }
      if (this.closed) return;
      if (first) {
        first = false;
        reject(error!);
      }
      if (error && FATAL.has(error.code)) {
        this.setState("refused", error);
        this.ticker?.stop();
        return;
      }
      this.setState("reconnecting", error);
      await this.sleep(delay);
      delay = Math.min(delay * 2, this.opts.reconnectMaxMs);
      this.counters.reconnects++;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wakeBackoff = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  /** Opens and handshakes; resolves (once up) with a promise of the error that ends the connection. */
  private async connect(): Promise<{ ended: Promise<SerialLinkError> }> {
    if (this.state !== "reconnecting") this.setState("connecting", null);
    if (this.opts.port !== "auto") return this.attach(this.opts.port);
    const all = await (this.opts.listPorts ?? listPorts)();
    const candidates = this.opts.anyPort ? all : all.filter((p) => isKnownUsbId(p.vendorId, p.productId));
    if (candidates.length === 0) {
      throw new SerialLinkError(
        "NO_PORT",
        all.length === 0 ? "no serial port found: plug the device in, or pass --port <path>" : `no known thermoguard board among ${all.map((p) => p.path).join(", ")}: pass --port <path> or --any-port`,
      );
    }
    const errors: SerialLinkError[] = [];
    for (const c of candidates) {
      if (this.closed) break;
      try {
        return await this.attach(c.path);
      } catch (e) {
        errors.push(e as SerialLinkError);
      }
    }
    if (errors.length === 1) throw errors[0];
    throw new SerialLinkError("NO_PORT", "no thermoguard device answered: " + errors.map((e) => `${e.port}: ${e.code}`).join(", "));
  }

  /** Opens one port and runs the handshake on it. */
  private async attach(path: string): Promise<{ ended: Promise<SerialLinkError> }> {
    const port = await openPort(path, this.opts.baudRate);
    if (this.closed) {
      await closePort(port);
      throw new SerialLinkError("PORT_CLOSED", "link closed", path);
    }
    this.port = port;
    this.portPath = path;
    this.sawHiThisConnection = false;
    this.sawLiveReadingThisConnection = false;
    const parser = new BoundedLineParser();
    this.droppedBase = this.counters.droppedBytes;
    this.parser = parser;
    let endConnection: (e: SerialLinkError) => void = () => {};
    const ended = new Promise<SerialLinkError>((r) => (endConnection = r));
    const onData = (chunk: Buffer) => {
      const lines = parser.feed(chunk);
      if (lines) this.onLines(lines, parser);
    };
    const onGone = (err?: Error | null) => {
      if (this.port !== port) return;
      this.port = null;
      this.parser = null;
      this.sender.setWriter(null);
      port.off("data", onData);
      endConnection(new SerialLinkError("PORT_CLOSED", `serial port ${path} went away${err?.message ? ": " + err.message : ""}`, path));
    };
    // The driver does not always report an unplug (serialport/bindings-cpp#162: a hung-up tty reads
    // 0 bytes for ever, in a busy loop), so the tick also watches the path and the silence.
    this.portOnDisk = existsSync(path);
    this.dropConnection = (why) => {
      onGone(new Error(why));
      if (port.isOpen) void closePort(port);
    };
    port.on("close", onGone);
    port.on("error", (err) => {
      onGone(err);
      if (port.isOpen) void closePort(port);
    });
    port.on("data", onData);
    this.sender.setWriter((line) => {
      if (!port.isOpen || this.port !== port) return false;
      port.write(line, "latin1");
      return true;
    });
    this.setState("handshaking", null);
    try {
      await this.handshake(path);
    } catch (e) {
      if (this.port === port) {
        this.port = null;
        this.parser = null;
        this.sender.setWriter(null);
      }
      port.off("data", onData); // late bytes of a refused port must not reach onLines
      await closePort(port);
      throw e;
    }
    this.setState("up", null);
    void this.sender.send({ type: "TIME", epochMs: Date.now() });
    this.pumpResend();
    return { ended: ended };
  }

  private async handshake(path: string): Promise<void> {
    const hiPromise = new Promise<Hello | null>((resolve) => {
      const t = setTimeout(() => resolve(null), this.opts.helloTimeoutMs);
      this.helloSeen = (hi) => {
        clearTimeout(t);
        resolve(hi);
      };
    });
    const outcome = this.sender.send({ type: "HELLO", major: PROTOCOL_MAJOR, minor: PROTOCOL_MINOR }, this.opts.helloTimeoutMs);
    const hi = await hiPromise;
    this.helloSeen = null;
    if (!hi) {
      throw new SerialLinkError("WRONG_DEVICE", `no thermoguard device on ${path}: no answer to HELLO within ${this.opts.helloTimeoutMs} ms (wrong port, or the device is not running the thermoguard firmware)`, path);
    }
    if (hi.major !== PROTOCOL_MAJOR) throw this.versionError(hi, path);
    const o = await outcome;
    if (o.outcome === "NAK" && o.reason === "VERSION") throw this.versionError(hi, path);
    // A lost K is tolerated: the HI already proved who is on the port.
  }

  private versionError(hi: Hello, path: string): SerialLinkError {
    return new SerialLinkError(
      "VERSION_MISMATCH",
      `device ${hi.deviceId} on ${path} speaks protocol ${hi.major}.${hi.minor}, this bridge ${PROTOCOL_MAJOR}.${PROTOCOL_MINOR}: update the firmware or the bridge so the major versions match`,
      path,
    );
  }

  private onLines(lines: string[], parser: BoundedLineParser): void {
    const nowMs = Date.now();
    const mono = performance.now();
    const items: LinkItem[] = [];
    for (const line of lines) {
      const d = decode(line);
      if (!d.ok) {
        countBadLine(this.counters, d.code);
        continue;
      }
      const v = validateDeviceMessage(d.msg);
      if (!v.ok) {
        countBadLine(this.counters, "SCHEMA");
        continue;
      }
      this.counters.lines++;
      this.lastValidLineAtMs = nowMs;
      this.lastValidMonoMs = mono;
      this.dispatch(v.msg, nowMs, mono, items);
    }
    this.counters.droppedBytes = this.droppedBase + parser.assembler.droppedBytes;
    if (this.state === "lost") {
      this.setState("up", null);
      this.resyncHello();
    }
    if (items.length > 0) this.sink.onBatch(items);
    this.pumpResend();
    // While lines arrive the tick runs here and its timer is pushed back, so a streaming link costs no timer
    // wake-ups of its own (each is a process wake-up: ~0.1 % CPU at 10 Hz).
    if (!this.closed) this.ticker?.runInlineIfDue(mono);
  }

  private dispatch(msg: DeviceMessage, atMs: number, mono: number, items: LinkItem[]): void {
    switch (msg.type) {
      case "HI": {
        const kind = this.onHello(msg, atMs);
        items.push({ msg: msg, atMs: atMs, hello: kind });
        return;
      }
      case "R": {
        if (!this.sawHiThisConnection) return;
        const r = this.tracker.accept(msg.seq);
        if (r.lost.length) this.sink.onLost(r.lost, atMs);
        if (r.resync) this.resyncHello();
        if (r.kind === "new") this.sawLiveReadingThisConnection = true;
        if (r.kind !== "duplicate") items.push(r.kind === "resent" ? { msg: msg, atMs: atMs, resent: true } : { msg: msg, atMs: atMs });
        return;
      }
      case "A": {
        if (!this.sawHiThisConnection) return; // not acknowledged: the device retransmits it after our HI
        const o = this.alarms.offer(msg, mono);
        if (o.ack) this.writeRaw(encode({ type: "AK", seq: msg.seq }));
        if (!o.duplicate) this.counters.alarmLines++;
        for (const a of o.ready) items.push({ msg: a, atMs: atMs });
        return;
      }
      default:
        this.checkOtherSeq(msg.seq);
        if (msg.type === "K" || msg.type === "N") this.sender.answer(msg);
        if (this.sawHiThisConnection) items.push({ msg: msg, atMs: atMs });
    }
  }

  private onHello(hi: Hello, atMs: number): HelloKind {
    this.otherNext = hi.seq + 1;
    const prev = this.device;
    this.device = hi;
    this.sawHiThisConnection = true;
    let kind: HelloKind;
    if (!prev) kind = "first";
    else if (prev.deviceId !== hi.deviceId) kind = "new-device";
    else kind = prev.bootId === hi.bootId ? "same" : "reboot";
    if (kind === "same") {
      const lost = this.tracker.expect(hi.readSeq);
      if (lost.length) this.sink.onLost(lost, atMs);
      if (this.alarms.next < 0) this.alarms.reset(hi.alarmSeq);
    } else {
      // After a reboot the new boot's readings taken before we saw its HI (while unplugged, while
      // reconnecting) are still in the device's ring: track from seq 0 so RESEND fetches them. Likewise
      // from where a previous bridge's recording of this boot stopped (host restart).
      const r = this.resume;
      const resumeSeq = kind === "first" && r && r.deviceId === hi.deviceId && r.bootId === hi.bootId && r.session === (hi.session === "-" ? null : hi.session) && r.nextSeq < hi.readSeq ? r.nextSeq : -1;
      this.resume = null;
      const lost = this.tracker.reset(kind === "reboot" ? 0 : resumeSeq >= 0 ? resumeSeq : hi.readSeq);
      if (kind === "reboot" || resumeSeq >= 0) lost.push(...this.tracker.expect(hi.readSeq));
      if (lost.length) this.sink.onLost(lost, atMs);
      this.alarms.reset(hi.alarmSeq);
      if (kind === "reboot") this.counters.reboots++;
    }
    if (this.helloSeen) this.helloSeen(hi);
    else if (kind !== "same" && this.state === "up") {
      if (hi.major !== PROTOCOL_MAJOR) {
        void this.refuse(this.versionError(hi, this.portPath ?? "?"));
      } else this.resyncHello(); // unsolicited HI after a boot: ask for the alarm restatement
    }
    return kind;
  }

  private async refuse(err: SerialLinkError): Promise<void> {
    const p = this.port;
    this.closed = true;
    this.ticker?.stop();
    this.wakeBackoff?.();
    this.sender.setWriter(null);
    this.port = null;
    this.setState("refused", err);
    if (p) await closePort(p);
  }

  private checkOtherSeq(seq: number): void {
    if (this.otherNext >= 0 && seq > this.otherNext) this.counters.otherGaps += seq - this.otherNext;
    this.otherNext = seq + 1;
  }

  private resyncHello(): void {
    void this.sender.send({ type: "HELLO", major: PROTOCOL_MAJOR, minor: PROTOCOL_MINOR });
  }

  private writeRaw(line: string): void {
    const p = this.port;
    if (p && p.isOpen) p.write(line, "latin1");
  }

  private pumpResend(): void {
    // Not before a live reading of this connection: resent rows are stamped through the clock map, which a
    // new connection recalibrates from its first time-stamped lines.
    if (this.state !== "up" || !this.sawLiveReadingThisConnection) return;
    const req = this.tracker.nextRequest(performance.now());
    if (!req) return;
    void this.sender.send({ type: "RESEND", from: req.from, count: req.count }).then((o) => {
      const answer = o.outcome === "ACK" ? { outcome: "ACK" as const, info: o.info } : o.outcome === "NAK" ? { outcome: "NAK" as const, reason: o.reason } : { outcome: o.outcome };
      const lost = this.tracker.requestDone(answer, performance.now());
      if (lost.length) this.sink.onLost(lost, Date.now());
      this.pumpResend();
    });
  }

  private tick(): void {
    const nowMs = Date.now();
    const mono = performance.now();
    const silentMs = this.lastValidMonoMs < 0 ? -1 : mono - this.lastValidMonoMs;
    // A port that just delivered a line is there: stat its path only once it falls silent.
    if (this.port && this.portOnDisk && !(silentMs >= 0 && silentMs < TICK_MS) && !existsSync(this.portPath!)) this.dropConnection?.("the port's path vanished");
    if (this.state === "lost" && silentMs > REOPEN_AFTER_WATCHDOGS * this.opts.watchdogMs) {
      this.dropConnection?.("no valid line for " + REOPEN_AFTER_WATCHDOGS * this.opts.watchdogMs + " ms, reopening");
    }
    if (this.state === "up" && silentMs > this.opts.watchdogMs) {
      this.setState("lost", new SerialLinkError("LINK_SILENT", `no valid line from the device for ${Math.round(silentMs)} ms`, this.portPath));
    }
    const lost = this.tracker.tick(mono);
    if (lost.length) this.sink.onLost(lost, nowMs);
    const released: AlarmEvent[] = this.alarms.tick(mono);
    if (released.length) this.sink.onBatch(released.map((m) => ({ msg: m, atMs: nowMs })));
    this.pumpResend();
  }

  private setState(state: LinkState, error: SerialLinkError | null): void {
    if (state === this.state && error === null) return;
    this.state = state;
    this.sink.onState(state, error, this.portPath);
  }
}
