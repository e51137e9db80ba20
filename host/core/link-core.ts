// The host end of the serial protocol as a pure core: handshake, reboot / resume classification, per-stream seqs, RESEND, alarm order, watchdog, reconnect timing.
import { decode, encode, PROTOCOL_MAJOR, PROTOCOL_MINOR, type DeviceMessage, type Hello } from "../../protocol";
import { countBadLine } from "../domain/counters";
import type { Counters, LinkState } from "../domain/domain-schemas";
import { SerialLinkError, type SerialErrorCode } from "../domain/link-error";
import { validateDeviceMessage } from "../protocol/zod-schemas";
import { AlarmSequencer } from "./alarm-sequencer";
import { CommandTable, COMMAND_TIMEOUT_MS, type CommandBody, type CommandOutcome } from "./command-table";
import { LineCheck } from "./line-check";
import { emptyOutbox, type HelloKind, type LinkItem, type LinkOutbox } from "./link-types";
import { ReadingTracker, type SeqRange } from "./reading-tracker";
import { SeqJumpGuard } from "./seq-jump-guard";

/** No valid line for this long means the link is lost (PROTOCOL.md section 6). */
export const WATCHDOG_MS = 2500;
/** Time a device has to answer HELLO with HI before the port is declared the wrong device (HELLO is retried meanwhile). */
export const HELLO_TIMEOUT_MS = 3000;
/** HELLO is repeated this often until HI arrives: a device that is still opening its port loses the first one. */
export const HELLO_RETRY_MS = 250;
/** Reconnect backoff: first delay, doubling up to the maximum (a replugged device is back within about this). */
export const RECONNECT_INITIAL_MS = 100;
export const RECONNECT_MAX_MS = 500;
/**
 * A link lost this many watchdog periods after its last valid line is closed and reopened: a port
 * can stay open but dead (the device re-enumerated, a pty re-created, no error from the driver).
 */
export const REOPEN_AFTER_WATCHDOGS = 2;
/** Period of the housekeeping tick the shell drives (watchdog, HELLO retry, RESEND deadlines, alarm gap skip). */
export const TICK_MS = 100;
/**
 * A tick this long after the previous one means the bridge process itself stalled (GC, a loaded machine):
 * the data that waited meanwhile is read before silence is judged, so this tick judges none.
 */
export const STALL_MS = 500;
/** Boots remembered per device, so a boot id flapping back is not taken for a new boot. */
export const KNOWN_BOOTS_MAX = 4;

/** Timing options (defaults above). */
export interface LinkCoreOptions {
  helloTimeoutMs?: number;
  watchdogMs?: number;
  commandTimeoutMs?: number;
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
}

/** Where a previous bridge's recording stopped: if that device, boot and session answer first, readings from nextSeq on are fetched by RESEND. */
export interface ResumePoint {
  deviceId: string;
  bootId: number;
  session: string | null;
  nextSeq: number;
}

/**
 * The serial link's logic, with no port, clock or timer: the shell feeds it what happened
 * (`portOpened`, `lines`, `tick`, `connectionEnded`, `send`, `close`) with the host's monotonic
 * `nowMs` (and wall-clock `wallMs` for stamps), then drains the outbox: lines to write, items for the
 * procedure state, losses, state changes, command outcomes, and whether to drop the port.
 */
export class LinkCore {
  state: LinkState = "connecting";
  /** The device's latest HI (kept across reconnects to tell a reboot from a reconnect). */
  device: Hello | null = null;
  portPath: string | null = null;
  /** Wall-clock ms of the last valid line. */
  lastValidLineAtMs: number | null = null;
  resume: ResumePoint | null = null;
  readonly tracker: ReadingTracker;
  readonly alarms: AlarmSequencer<{ seq: number; item: LinkItem }>;
  readonly commands: CommandTable;

  private readonly o: Required<LinkCoreOptions>;
  private readonly check = new LineCheck();
  private readonly jump = new SeqJumpGuard<LinkItem>();
  private out: LinkOutbox = emptyOutbox();
  private nowMs = 0;
  private wallMs = 0;
  private portOpen = false;
  private opening = false;
  private closed = false;
  private fatal = false;
  private everUpOn = new Set<string>();
  private sawHi = false;
  private sawLiveReading = false;
  private handshake: { startMs: number; lastSentMs: number } | null = null;
  private readonly helloIds = new Set<number>();
  private lastValidMs = -1;
  private lastTickMs = -1;
  private otherNext = -1;
  private reopenAtMs = 0;
  private delayMs: number;
  private readonly knownBoots = new Map<string, number>();
  private restatePending = false;

  constructor(
    private readonly counters: Counters,
    options: LinkCoreOptions = {},
  ) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as LinkCoreOptions;
    this.o = { helloTimeoutMs: HELLO_TIMEOUT_MS, watchdogMs: WATCHDOG_MS, commandTimeoutMs: COMMAND_TIMEOUT_MS, reconnectInitialMs: RECONNECT_INITIAL_MS, reconnectMaxMs: RECONNECT_MAX_MS, ...given };
    this.delayMs = this.o.reconnectInitialMs;
    this.tracker = new ReadingTracker(counters);
    this.alarms = new AlarmSequencer(counters);
    this.commands = new CommandTable(counters);
  }

  /** Takes what the inputs since the last drain produced. */
  drain(): LinkOutbox {
    const o = this.out;
    this.out = emptyOutbox();
    return o;
  }

  /** Whether the shell should open (or reopen) the port now. */
  openDue(nowMs: number): boolean {
    return !this.closed && !this.fatal && !this.portOpen && !this.opening && nowMs >= this.reopenAtMs;
  }

  /** The shell starts opening the port (or trying the auto-detected candidates). */
  openStarted(nowMs: number): void {
    this.at(nowMs, this.wallMs);
    this.opening = true;
    if (this.state !== "reconnecting") this.setState("connecting", null);
  }

  /** The port at `path` is open: the handshake starts (HELLO, repeated every HELLO_RETRY_MS until HI). */
  portOpened(path: string, nowMs: number, wallMs: number): void {
    this.at(nowMs, wallMs);
    this.opening = false;
    if (this.closed) return;
    this.portOpen = true;
    this.portPath = path;
    this.sawHi = false;
    this.sawLiveReading = false;
    this.jump.reset();
    this.setState("handshaking", null);
    this.handshake = { startMs: nowMs, lastSentMs: nowMs };
    this.sendHello();
  }

  /** One auto-detect candidate failed its handshake; the shell tries the next one (no reconnect scheduled). */
  candidateFailed(nowMs: number, wallMs: number): void {
    this.at(nowMs, wallMs);
    this.portOpen = false;
    this.handshake = null;
    this.out.answers.push(...this.commands.cancelAll());
  }

  /** Whether the handshake is still waiting for HI. */
  get handshaking(): boolean {
    return this.handshake !== null;
  }

  /** Opening failed, or the open connection ended (unplugged, dropped): reconnect after the backoff. */
  connectionEnded(error: SerialLinkError, nowMs: number, wallMs: number): void {
    this.at(nowMs, wallMs);
    this.opening = false;
    this.portOpen = false;
    this.handshake = null;
    this.out.answers.push(...this.commands.cancelAll());
    if (this.closed || this.fatal) return;
    this.setState("reconnecting", error);
    this.reopenAtMs = nowMs + this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.o.reconnectMaxMs);
    this.counters.reconnects++;
  }

  /** Lines one serial chunk completed, received at nowMs. */
  lines(lines: string[], nowMs: number, wallMs: number): void {
    this.at(nowMs, wallMs);
    if (!this.portOpen) return;
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
      const reject = this.check.check(v.msg, this.device, nowMs);
      if (reject) {
        countBadLine(this.counters, reject);
        continue;
      }
      this.counters.lines++;
      this.lastValidLineAtMs = wallMs;
      this.lastValidMs = nowMs;
      this.dispatch(v.msg);
    }
    if (this.state === "lost" && this.lastValidMs === nowMs) {
      this.setState("up", null);
      this.sendHello(); // the restatement replaces what changed while silent
    }
    this.pumpResend();
  }

  /** Periodic housekeeping (every TICK_MS): HELLO retry and timeout, watchdog, command and RESEND deadlines, alarm gap skip. */
  tick(nowMs: number, wallMs: number): void {
    this.at(nowMs, wallMs);
    if (this.closed) return;
    const stalled = this.lastTickMs >= 0 && nowMs - this.lastTickMs > STALL_MS;
    this.lastTickMs = nowMs;
    this.out.answers.push(...this.commands.tick(nowMs));
    if (this.portOpen && !stalled) this.judge(nowMs);
    this.lose(this.tracker.tick(nowMs));
    this.release(this.alarms.tick(nowMs));
    this.pumpResend();
  }

  /** A caller's command. Returns its id; a refused one (port not open) has its outcome in the outbox at once. */
  send(body: CommandBody, nowMs: number, wallMs: number, timeoutMs = this.o.commandTimeoutMs): number {
    this.at(nowMs, wallMs);
    if (!this.portOpen) {
      const r = this.commands.refuse();
      this.out.answers.push(r);
      return r.id;
    }
    const c = this.commands.open(body, nowMs, timeoutMs);
    this.out.writes.push(c.line);
    return c.id;
  }

  /** Stops for good: pending commands refused, readings still awaiting RESEND recorded as lost (no unmarked hole). */
  close(nowMs: number, wallMs: number): void {
    this.at(nowMs, wallMs);
    if (this.closed) return;
    this.closed = true;
    this.portOpen = false;
    this.handshake = null;
    this.out.answers.push(...this.commands.cancelAll());
    this.jump.reset();
    this.lose(this.tracker.reset(-1));
    this.setState("closed", null);
  }

  private at(nowMs: number, wallMs: number): void {
    this.nowMs = nowMs;
    this.wallMs = wallMs;
  }

  private judge(nowMs: number): void {
    const h = this.handshake;
    if (h && !this.sawHi) {
      if (nowMs - h.startMs >= this.o.helloTimeoutMs) return this.failHandshake();
      if (nowMs - h.lastSentMs >= HELLO_RETRY_MS) this.sendHello();
      return;
    }
    const silentMs = this.lastValidMs < 0 ? -1 : nowMs - this.lastValidMs;
    const reopenMs = REOPEN_AFTER_WATCHDOGS * this.o.watchdogMs;
    if (this.state === "lost" && silentMs > reopenMs) {
      this.drop(new SerialLinkError("LINK_SILENT", `no valid line for ${reopenMs} ms, reopening`, this.portPath));
    } else if (this.state === "up" && silentMs > this.o.watchdogMs) {
      this.setState("lost", new SerialLinkError("LINK_SILENT", `no valid line from the device for ${Math.round(silentMs)} ms`, this.portPath));
    }
  }

  private failHandshake(): void {
    const path = this.portPath ?? "?";
    // A port that had our device before is that device, slow to answer (rebooting): not the wrong device.
    const code: SerialErrorCode = this.everUpOn.has(path) ? "LINK_SILENT" : "WRONG_DEVICE";
    this.drop(
      new SerialLinkError(
        code,
        code === "WRONG_DEVICE"
          ? `no thermoguard device on ${path}: no answer to HELLO within ${this.o.helloTimeoutMs} ms (wrong port, or the device is not running the thermoguard firmware)`
          : `the device on ${path} did not answer HELLO within ${this.o.helloTimeoutMs} ms`,
        path,
      ),
    );
  }

  /** Asks the shell to close the port; the error is what ends the connection. */
  private drop(error: SerialLinkError): void {
    this.handshake = null;
    this.out.dropPort = error;
  }

  private sendHello(): void {
    if (!this.portOpen) return;
    if (this.handshake) this.handshake.lastSentMs = this.nowMs;
    const c = this.commands.open({ type: "HELLO", major: PROTOCOL_MAJOR, minor: PROTOCOL_MINOR }, this.nowMs, this.o.helloTimeoutMs, (o) => {
      this.helloIds.delete(o.id);
      if (o.outcome === "NAK" && o.reason === "VERSION" && this.device) this.refuse(this.device);
      else if (this.handshake && this.sawHi && o.outcome !== "REFUSED") this.handshakeDone();
    });
    this.helloIds.add(c.id);
    this.out.writes.push(c.line);
  }

  private refuse(hi: Hello): void {
    const path = this.portPath ?? "?";
    this.fatal = true;
    const err = new SerialLinkError(
      "VERSION_MISMATCH",
      `device ${hi.deviceId} on ${path} speaks protocol ${hi.major}.${hi.minor}, this bridge ${PROTOCOL_MAJOR}.${PROTOCOL_MINOR}: update the firmware or the bridge so the major versions match`,
      path,
    );
    this.setState("refused", err);
    this.drop(err);
  }

  private dispatch(msg: DeviceMessage): void {
    const item: LinkItem = { msg: msg, atMs: this.wallMs, monoMs: this.nowMs };
    switch (msg.type) {
      case "HI":
        return this.onHello(msg, item);
      case "R": {
        if (!this.sawHi) return;
        const g = this.jump.offer(msg.seq, this.tracker.next, item);
        if (g.refuted) countBadLine(this.counters, "SEQ_JUMP");
        for (const it of g.process) this.onReading(it);
        return;
      }
      case "A": {
        if (!this.sawHi) return; // not acknowledged: the device retransmits it after our HI
        const o = this.alarms.offer({ seq: msg.seq, item: item }, this.nowMs);
        if (o.ack) this.out.writes.push(encode({ type: "AK", seq: msg.seq }));
        if (!o.duplicate) this.counters.alarmLines++;
        this.release(o.ready);
        return;
      }
      default: {
        if (this.otherNext >= 0 && msg.seq > this.otherNext) this.counters.otherGaps += msg.seq - this.otherNext;
        this.otherNext = msg.seq + 1;
        if (msg.type === "K" || msg.type === "N") {
          if (msg.type === "K" && this.helloIds.has(msg.cmd)) {
            // The restatement ends here, or once the alarm lines held back before the K are released.
            if (this.alarms.heldCount === 0) item.restated = true;
            else this.restatePending = true;
          }
          const answer = this.commands.answer(msg);
          if (answer) this.out.answers.push(answer);
        }
        if (this.sawHi) this.out.items.push(item);
      }
    }
  }

  private release(ready: { item: LinkItem }[]): void {
    for (const a of ready) this.out.items.push(a.item);
    if (this.restatePending && ready.length > 0 && this.alarms.heldCount === 0) {
      this.restatePending = false;
      ready[ready.length - 1].item.restated = true;
    }
  }

  /** Asks the device to restate its alarms (a fresh HELLO), e.g. when its status disagrees with the bridge's list. */
  resync(nowMs: number, wallMs: number): void {
    this.at(nowMs, wallMs);
    if (this.state === "up") this.sendHello();
  }

  private onReading(item: LinkItem): void {
    const msg = item.msg as Extract<DeviceMessage, { type: "R" }>;
    const r = this.tracker.accept(msg.seq);
    this.lose(r.lost);
    if (r.resync) this.sendHello();
    if (r.kind === "new") this.sawLiveReading = true;
    if (r.kind === "resent") item.resent = true;
    if (r.kind !== "duplicate") this.out.items.push(item);
  }

  private onHello(hi: Hello, item: LinkItem): void {
    this.otherNext = hi.seq + 1;
    const prev = this.device;
    const kind: HelloKind = !prev ? "first" : prev.deviceId !== hi.deviceId ? "new-device" : prev.bootId === hi.bootId ? "same" : "reboot";
    this.device = hi;
    this.sawHi = true;
    this.jump.reset();
    if (kind === "same") this.lose(this.tracker.expect(hi.readSeq));
    else {
      if (prev) this.rememberBoot(prev, this.tracker.next);
      const known = kind === "reboot" ? this.knownBoots.get(bootKey(hi)) : undefined;
      // After a reboot the new boot's readings taken before we saw its HI (while unplugged, while
      // reconnecting) are still in the device's ring: track from seq 0 so RESEND fetches them. A boot
      // seen before (its id flapping back) continues where it was; a previous bridge's recording of
      // this boot continues where it stopped (host restart).
      const r = this.resume;
      const resumeSeq = kind === "first" && r && r.deviceId === hi.deviceId && r.bootId === hi.bootId && r.session === (hi.session === "-" ? null : hi.session) && r.nextSeq < hi.readSeq ? r.nextSeq : -1;
      this.resume = null;
      const from = known !== undefined ? Math.min(known, hi.readSeq) : kind === "reboot" ? 0 : resumeSeq >= 0 ? resumeSeq : hi.readSeq;
      const lost = this.tracker.reset(from);
      if (from < hi.readSeq) lost.push(...this.tracker.expect(hi.readSeq));
      this.lose(lost);
      if (kind === "reboot") {
        if (known === undefined) this.counters.reboots++;
        else countBadLine(this.counters, "BOOT_FLAP");
      }
      this.check.newBoot();
      item.trackFromSeq = from;
    }
    // Every HI starts a fresh alarm restatement with fresh seqs (PROTOCOL.md section 3): what was held
    // back belongs to the old numbering and must not wait out the gap timeout.
    this.alarms.reset(hi.alarmSeq);
    this.restatePending = false;
    item.hello = kind;
    this.out.items.push(item);
    if (this.handshake) {
      // Up once the HELLO's K ends the restatement (or its answer times out: a lost K is tolerated, the HI
      // already proved who is on the port), so the first picture already holds the device's alarms.
      if (hi.major !== PROTOCOL_MAJOR) return this.refuse(hi);
    } else if (kind !== "same" && this.state === "up") {
      if (hi.major !== PROTOCOL_MAJOR) this.refuse(hi);
      else this.sendHello(); // unsolicited HI after a boot: ask for the alarm restatement
    }
  }

  private handshakeDone(): void {
    this.handshake = null;
    this.delayMs = this.o.reconnectInitialMs;
    if (this.portPath) this.everUpOn.add(this.portPath);
    this.setState("up", null);
    const t = this.commands.open({ type: "TIME", epochMs: Math.round(this.wallMs) }, this.nowMs, this.o.commandTimeoutMs, () => {});
    this.out.writes.push(t.line);
    this.pumpResend();
  }

  private rememberBoot(hi: Hello, nextSeq: number): void {
    const key = bootKey(hi);
    this.knownBoots.delete(key);
    this.knownBoots.set(key, nextSeq);
    while (this.knownBoots.size > KNOWN_BOOTS_MAX) this.knownBoots.delete(this.knownBoots.keys().next().value!);
  }

  private lose(ranges: SeqRange[]): void {
    if (ranges.length > 0) this.out.lost.push({ ranges: ranges, atMs: this.wallMs });
  }

  private pumpResend(): void {
    // Not before a live reading of this connection: resent rows are stamped through the clock map, which a
    // new connection recalibrates from its first time-stamped lines.
    if (this.state !== "up" || !this.sawLiveReading || !this.portOpen) return;
    const req = this.tracker.nextRequest(this.nowMs);
    if (!req) return;
    const c = this.commands.open({ type: "RESEND", from: req.from, count: req.count }, this.nowMs, this.o.commandTimeoutMs, (o: CommandOutcome) => {
      const answer = o.outcome === "ACK" ? { outcome: "ACK" as const, info: o.info } : o.outcome === "NAK" ? { outcome: "NAK" as const, reason: o.reason } : { outcome: o.outcome };
      this.lose(this.tracker.requestDone(answer, this.nowMs));
    });
    this.out.writes.push(c.line);
  }

  private setState(state: LinkState, error: SerialLinkError | null): void {
    if (state === this.state && error === null) return;
    this.state = state;
    this.out.states.push({ state: state, error: error });
  }
}

function bootKey(hi: Hello): string {
  return hi.deviceId + ":" + hi.bootId;
}
