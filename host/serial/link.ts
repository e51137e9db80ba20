// The serial link's Node shell: owns the port (binding injected) and the clock, feeds the pure LinkCore, writes and reports what it decides.
import { existsSync } from "node:fs";
import type { Counters, LinkState } from "../domain/domain-schemas";
import { SerialLinkError } from "../domain/link-error";
import { BoundedLineParser } from "../core/bounded-line-parser";
import type { CommandBody, CommandOutcome } from "../core/command-table";
import { LinkCore, TICK_MS, type ResumePoint } from "../core/link-core";
import type { LinkItem, LinkOutbox } from "../core/link-types";
import type { SeqRange } from "../core/reading-tracker";
import { isKnownUsbId } from "./known-devices";
import { listPorts, type PortDescription } from "./list-ports";
import { closePort, DEFAULT_BAUD, openPort, type OpenedPort, type SerialBinding } from "./open-port";

export { TICK_MS, WATCHDOG_MS, HELLO_TIMEOUT_MS, HELLO_RETRY_MS, RECONNECT_INITIAL_MS, RECONNECT_MAX_MS, REOPEN_AFTER_WATCHDOGS } from "../core/link-core";
export type { HelloKind, LinkItem } from "../core/link-types";

/** Receives what the link produces. */
export interface LinkSink {
  /** The link changed state; error says why it is not up (null when up). */
  onState(state: LinkState, error: SerialLinkError | null, port: string | null): void;
  /** Messages produced by one serial chunk (or released by the tick). */
  onBatch(items: LinkItem[]): void;
  /** Reading seqs now known lost (device answered GONE, never resent, or still missing at close). */
  onLost(ranges: SeqRange[], atMs: number): void;
}

/** The clocks the shell reads (tests may pass their own). */
export interface LinkClock {
  /** Host monotonic ms (timeouts, watchdog). */
  monoMs(): number;
  /** Wall-clock ms since the epoch (stamps). */
  wallMs(): number;
}

const SYSTEM_CLOCK: LinkClock = { monoMs: () => performance.now(), wallMs: () => Date.now() };

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
  /** serialport binding (default: the native one; tests: MockBinding). */
  binding?: SerialBinding;
  clock?: LinkClock;
}

/**
 * Owns one serial connection at a time. Every decision (handshake, watchdog, reconnect timing,
 * sequencing, RESEND) is LinkCore's; this shell opens and closes ports, reads the clock, and is
 * ticked by its owner every TICK_MS (the bridge's one ticker).
 */
export class Link {
  readonly core: LinkCore;
  /** The current connection's line splitter (its counters feed counters.droppedBytes). */
  parser: BoundedLineParser | null = null;

  private port: OpenedPort | null = null;
  private portOnDisk = false;
  private connecting = false;
  private started = false;
  private first: { resolve: () => void; reject: (e: SerialLinkError) => void } | null = null;
  private handshakeDone: ((e: SerialLinkError | null) => void) | null = null;
  private readonly waiting = new Map<number, (o: CommandOutcome) => void>();
  private droppedBase = 0;
  private readonly clock: LinkClock;

  constructor(
    private readonly options: LinkOptions,
    private readonly sink: LinkSink,
    private readonly counters: Counters,
  ) {
    if (!options.port) throw new Error("Link: options.port is required (a path or 'auto')");
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.core = new LinkCore(counters, options);
  }

  get state(): LinkState {
    return this.core.state;
  }
  get device() {
    return this.core.device;
  }
  get portPath(): string | null {
    return this.core.portPath;
  }
  get lastValidLineAtMs(): number | null {
    return this.core.lastValidLineAtMs;
  }
  get tracker() {
    return this.core.tracker;
  }
  get alarms() {
    return this.core.alarms;
  }
  /** Where a previous bridge's recording stopped (set before start()). */
  set resume(r: ResumePoint | null) {
    this.core.resume = r;
  }

  /**
   * Starts connecting. Resolves when the first handshake succeeds; rejects with the first
   * SerialLinkError (NO_PORT, PORT_NOT_FOUND, PERMISSION_DENIED, PORT_BUSY, WRONG_DEVICE,
   * VERSION_MISMATCH, ...). Either way the link keeps retrying (on its owner's ticks) until close(),
   * except after VERSION_MISMATCH.
   */
  start(): Promise<void> {
    this.started = true;
    const p = new Promise<void>((resolve, reject) => (this.first = { resolve: resolve, reject: reject }));
    this.tick();
    return p;
  }

  /** The housekeeping tick (every TICK_MS, from the owner's ticker): core tick, port checks, reopen when due. */
  tick(): void {
    if (!this.started) return;
    if (this.flushing) {
      this.tickPending = true; // run by a sink during a flush: after it, so the outbox keeps its order
      return;
    }
    const mono = this.clock.monoMs();
    this.core.tick(mono, this.clock.wallMs());
    // The driver does not always report an unplug (serialport/bindings-cpp#162: a hung-up tty reads 0 bytes
    // for ever, in a busy loop), so the path is watched too; a port that just delivered a line is there.
    const path = this.core.portPath;
    if (this.port && this.portOnDisk && path && !this.recentlyHeard(mono) && !existsSync(path)) this.dropPort(new SerialLinkError("PORT_CLOSED", `serial port ${path} went away: the port's path vanished`, path));
    this.flush();
    if (this.core.openDue(mono) && !this.connecting) void this.connect();
  }

  /** Sends a command to the device; resolves with ACK / NAK / TIMEOUT / REFUSED (never rejects). */
  send(body: CommandBody, timeoutMs?: number): Promise<CommandOutcome> {
    return new Promise((resolve) => {
      const id = this.core.send(body, this.clock.monoMs(), this.clock.wallMs(), timeoutMs);
      this.waiting.set(id, resolve);
      this.flush();
    });
  }

  /** Asks the device for a fresh handshake (its alarm restatement replaces the bridge's list). */
  resync(): void {
    this.core.resync(this.clock.monoMs(), this.clock.wallMs());
    this.flush();
  }

  /** Stops for good: readings still missing recorded lost, pending commands refused, port closed. */
  async close(): Promise<void> {
    this.core.close(this.clock.monoMs(), this.clock.wallMs());
    this.flush();
    this.settleHandshake(new SerialLinkError("PORT_CLOSED", "link closed", this.core.portPath));
    const p = this.port;
    this.detach();
    if (p) await closePort(p);
  }

  private recentlyHeard(mono: number): boolean {
    return this.core.lastValidLineAtMs !== null && this.lastHeardMono >= 0 && mono - this.lastHeardMono < TICK_MS;
  }
  private lastHeardMono = -1;

  private flushing = false;
  private tickPending = false;

  /** Hands the core's outbox to the port and the sink. */
  private flush(): void {
    if (this.flushing) return; // the outer flush drains what this input added
    this.flushing = true;
    try {
      for (let o = this.core.drain(); !isEmpty(o); o = this.core.drain()) this.deliver(o);
    } finally {
      this.flushing = false;
    }
    if (this.tickPending) {
      this.tickPending = false;
      this.tick();
    }
  }

  private deliver(o: LinkOutbox): void {
    for (const line of o.writes) if (this.port?.isOpen) this.port.write(line, "latin1");
    if (o.items.length > 0) this.sink.onBatch(o.items);
    for (const l of o.lost) this.sink.onLost(l.ranges, l.atMs);
    for (const s of o.states) {
      this.sink.onState(s.state, s.error, this.core.portPath);
      if (s.state === "up") this.settleHandshake(null);
      if (s.state === "up" && this.first) {
        this.first.resolve();
        this.first = null;
      }
    }
    for (const a of o.answers) {
      const r = this.waiting.get(a.id);
      this.waiting.delete(a.id);
      r?.(a);
    }
    if (o.dropPort) this.dropPort(o.dropPort);
  }

  private settleHandshake(e: SerialLinkError | null): void {
    const h = this.handshakeDone;
    this.handshakeDone = null;
    h?.(e);
  }

  /** Closes the current port because of `error`; the connection ends with it. */
  private dropPort(error: SerialLinkError): void {
    const p = this.port;
    if (!p) return;
    this.detach();
    void closePort(p);
    if (this.handshakeDone) this.settleHandshake(error);
    else this.ended(error);
  }

  private detach(): void {
    const p = this.port;
    this.port = null;
    this.parser = null;
    if (p) p.removeAllListeners("data");
  }

  private ended(error: SerialLinkError): void {
    this.core.connectionEnded(error, this.clock.monoMs(), this.clock.wallMs());
    if (this.first) {
      this.first.reject(error);
      this.first = null;
    }
    this.flush();
  }

  /** One connection attempt: the given path, or each auto-detected candidate until one answers. */
  private async connect(): Promise<void> {
    this.connecting = true;
    this.core.openStarted(this.clock.monoMs());
    this.flush();
    try {
      const error = await this.tryCandidates();
      if (error) this.ended(error);
    } finally {
      this.connecting = false;
    }
  }

  private async tryCandidates(): Promise<SerialLinkError | null> {
    let paths: string[];
    if (this.options.port !== "auto") paths = [this.options.port];
    else {
      const all = await (this.options.listPorts ?? listPorts)().catch(() => [] as PortDescription[]);
      const candidates = this.options.anyPort ? all : all.filter((p) => isKnownUsbId(p.vendorId, p.productId));
      if (candidates.length === 0) {
        return new SerialLinkError(
          "NO_PORT",
          all.length === 0 ? "no serial port found: plug the device in, or pass --port <path>" : `no known thermoguard board among ${all.map((p) => p.path).join(", ")}: pass --port <path> or --any-port`,
        );
      }
      paths = candidates.map((c) => c.path);
    }
    const errors: SerialLinkError[] = [];
    for (const [i, path] of paths.entries()) {
      const e = await this.attach(path);
      if (!e) return null;
      errors.push(e);
      if (e.code === "VERSION_MISMATCH") return e;
      if (i < paths.length - 1) this.core.candidateFailed(this.clock.monoMs(), this.clock.wallMs());
    }
    if (errors.length === 1) return errors[0];
    return new SerialLinkError("NO_PORT", "no thermoguard device answered: " + errors.map((e) => `${e.port}: ${e.code}`).join(", "));
  }

  /** Opens one port and runs the handshake on it: null once up, else why not. */
  private async attach(path: string): Promise<SerialLinkError | null> {
    let port: OpenedPort;
    try {
      port = await openPort(path, this.options.baudRate ?? DEFAULT_BAUD, this.options.binding);
    } catch (e) {
      return e instanceof SerialLinkError ? e : new SerialLinkError("OPEN_FAILED", String((e as Error)?.message ?? e), path);
    }
    if (this.core.state === "closed") {
      await closePort(port);
      return new SerialLinkError("PORT_CLOSED", "link closed", path);
    }
    this.port = port;
    this.portOnDisk = existsSync(path);
    const parser = new BoundedLineParser();
    this.parser = parser;
    this.droppedBase = this.counters.droppedBytes;
    port.on("data", (chunk: Buffer) => {
      const lines = parser.feed(chunk);
      this.counters.droppedBytes = this.droppedBase + parser.assembler.droppedBytes;
      if (!lines || this.port !== port) return;
      const mono = this.clock.monoMs();
      this.lastHeardMono = mono;
      this.core.lines(lines, mono, this.clock.wallMs());
      this.flush();
    });
    const gone = (err?: Error | null) => {
      if (this.port !== port) return;
      this.dropPort(new SerialLinkError("PORT_CLOSED", `serial port ${path} went away${err?.message ? ": " + err.message : ""}`, path));
    };
    port.on("close", gone);
    port.on("error", gone);
    const handshake = new Promise<SerialLinkError | null>((resolve) => (this.handshakeDone = resolve));
    this.core.portOpened(path, this.clock.monoMs(), this.clock.wallMs());
    this.flush();
    const e = await handshake;
    if (e && this.port === port) {
      this.detach();
      await closePort(port);
    }
    return e;
  }
}

function isEmpty(o: LinkOutbox): boolean {
  return o.writes.length === 0 && o.items.length === 0 && o.lost.length === 0 && o.states.length === 0 && o.answers.length === 0 && o.dropPort === null;
}
