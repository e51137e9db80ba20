// Explicit-time rig for the host core: LinkCore + ProcedureState wired as the bridge wires them, a scripted device producing protocol lines, no port, no clock.
import { decode, DEFAULT_LIMITS, encode, PROTOCOL_MAJOR, PROTOCOL_MINOR, schemaHash, type AlarmEvent, type ChannelValue, type HostMessage, type Message } from "../../../protocol";
import { LinkCore, TICK_MS, type LinkCoreOptions } from "../../../host/core/link-core";
import type { LinkItem, LinkOutbox } from "../../../host/core/link-types";
import { SerialLinkError } from "../../../host/domain/link-error";
import { createCounters } from "../../../host/domain/counters";
import type { BridgeUpdate } from "../../../host/domain/bridge-updates";
import type { RecordLine } from "../../../host/record/record-types";
import { ProcedureState } from "../../../host/state/procedure-state";

/** Wall clock of the rig at monotonic 0. */
export const WALL0_MS = 1_767_225_600_000;

/** A device as a line factory: seqs per stream, HI with next seqs, the lines a HELLO gets. */
export class ScriptDevice {
  bootId = 0x1234abcd;
  readSeq = 0;
  alarmSeq = 0;
  otherSeq = 0;
  session = "-";
  /** Present alarms (restated after each HELLO). */
  readonly alarms = new Map<number, Omit<AlarmEvent, "type" | "seq" | "tMs" | "action">>();

  constructor(
    readonly deviceId = "TG-CORE",
    readonly channels = 2,
  ) {}

  hi(): string {
    return encode({ type: "HI", seq: this.otherSeq++, major: PROTOCOL_MAJOR, minor: PROTOCOL_MINOR, fw: "0.0.1", deviceId: this.deviceId, bootId: this.bootId, channels: this.channels, rateHz: 10, session: this.session, schema: schemaHash(), restored: 0, readSeq: this.readSeq, alarmSeq: this.alarmSeq });
  }

  /** HI, CH per channel, LM (what a boot sends unprompted). */
  info(): string[] {
    const out = [this.hi()];
    for (let ch = 0; ch < this.channels; ch++) out.push(encode({ type: "CH", seq: this.otherSeq++, ch: ch, label: "nerve" + ch, role: "nerve", tc: "K", chip: "MAX31856" }));
    out.push(encode({ type: "LM", seq: this.otherSeq++, ...DEFAULT_LIMITS }));
    return out;
  }

  /** The answer to HELLO id `cmd` at device time tMs: info, one UPDATE per present alarm, K. */
  helloAnswer(cmd: number, tMs: number): string[] {
    const out = this.info();
    for (const a of this.alarms.values()) out.push(this.alarmLine("UPDATE", a.alarmId, tMs));
    out.push(this.k(cmd, tMs));
    return out;
  }

  k(cmd: number, tMs: number, info = 0): string {
    return encode({ type: "K", seq: this.otherSeq++, cmd: cmd, tMs: tMs, info: info });
  }

  reading(tMs: number, values: ChannelValue[] = Array(this.channels).fill(3700), seq = this.readSeq++): string {
    return encode({ type: "R", seq: seq, tMs: tMs, values: values });
  }

  /** Raises alarm `alarmId` (kept present until cleared) and returns its A line. */
  raise(alarmId: number, tMs: number, valueCc = 4250, ch = 0): string {
    this.alarms.set(alarmId, { alarmId: alarmId, cond: "INTERVENE", ch: ch, prio: "H", kind: "P", active: 1, acked: 0, latching: 1, value: valueCc, limit: 4200, info: 0 });
    return this.alarmLine("RAISE", alarmId, tMs);
  }

  /** The alarm is gone (acknowledged and ended): CLEAR. */
  clear(alarmId: number, tMs: number): string {
    const line = this.alarmLine("CLEAR", alarmId, tMs);
    this.alarms.delete(alarmId);
    return line;
  }

  alarmLine(action: AlarmEvent["action"], alarmId: number, tMs: number): string {
    const a = this.alarms.get(alarmId)!;
    return encode({ type: "A", seq: this.alarmSeq++, tMs: tMs, action: action, ...a });
  }

  status(tMs: number, alarms = this.alarms.size): string {
    return encode({ type: "S", seq: this.otherSeq++, tMs: tMs, session: this.session, flags: 16, pauseS: 0, alarms: alarms, samples: this.readSeq, missed: 0, dropped: 0, badRx: 0, retx: 0, spikes: 0 });
  }

  /** A new boot: new id, seqs from 0, alarms gone. */
  reboot(bootId = (this.bootId + 0x1111) >>> 0): void {
    this.bootId = bootId;
    this.readSeq = 0;
    this.alarmSeq = 0;
    this.otherSeq = 0;
    this.alarms.clear();
  }

  /** Encodes any message (for lines that break the rules). */
  line(m: Message): string {
    return encode(m);
  }
}

/** LinkCore + ProcedureState, driven with explicit times; everything they emit is kept for assertions. */
export class CoreRig {
  readonly counters = createCounters();
  readonly core: LinkCore;
  readonly state: ProcedureState;
  readonly dev: ScriptDevice;
  /** Host monotonic ms now. */
  nowMs = 0;
  /** Every host line written, decoded. */
  readonly written: HostMessage[] = [];
  readonly updates: BridgeUpdate[] = [];
  readonly records: RecordLine[] = [];
  readonly items: LinkItem[] = [];
  /** Wall-clock offset (a test can jump the host's wall clock). */
  wallOffsetMs = WALL0_MS;

  constructor(opts: { core?: LinkCoreOptions; dev?: ScriptDevice } = {}) {
    this.core = new LinkCore(this.counters, opts.core);
    this.state = new ProcedureState(this.counters);
    this.dev = opts.dev ?? new ScriptDevice();
  }

  get wallMs(): number {
    return this.nowMs + this.wallOffsetMs;
  }

  /** Opens the port at `atMs` (the HELLO goes out). */
  open(atMs = this.nowMs, path = "/dev/ttyACM0"): this {
    this.nowMs = atMs;
    this.core.openStarted(atMs);
    this.core.portOpened(path, atMs, this.wallMs);
    return this.pump();
  }

  /** Opens and completes the handshake at `atMs`, device time `tMs`. */
  connect(atMs = this.nowMs, tMs = atMs): this {
    this.open(atMs);
    return this.feed(this.dev.helloAnswer(this.lastHelloId(), tMs), atMs);
  }

  /** Lines arriving in one chunk at host time atMs. */
  feed(lines: string | string[], atMs = this.nowMs): this {
    this.nowMs = atMs;
    this.core.lines(Array.isArray(lines) ? lines : [lines], atMs, this.wallMs);
    return this.pump();
  }

  /** One tick at atMs (no ticks in between: a stall). */
  tickAt(atMs: number): this {
    this.nowMs = atMs;
    this.core.tick(atMs, this.wallMs);
    this.state.tick(this.wallMs, atMs);
    return this.pump();
  }

  /** Ticks every TICK_MS until atMs. */
  runUntil(atMs: number): this {
    while (this.nowMs + TICK_MS <= atMs) this.tickAt(this.nowMs + TICK_MS);
    if (this.nowMs < atMs) this.tickAt(atMs);
    return this;
  }

  /** Ends the connection (unplugged) at atMs. */
  unplug(atMs = this.nowMs): this {
    this.nowMs = atMs;
    this.core.connectionEnded(new SerialLinkError("PORT_CLOSED", "unplugged", "/dev/ttyACM0"), atMs, this.wallMs);
    return this.pump();
  }

  close(atMs = this.nowMs): this {
    this.nowMs = atMs;
    this.core.close(atMs, this.wallMs);
    return this.pump();
  }

  lastHelloId(): number {
    const h = this.written.filter((m) => m.type === "HELLO");
    if (h.length === 0) throw new Error("no HELLO written");
    return h[h.length - 1].seq;
  }

  /** Device alarms the state shows, by alarm id. */
  deviceAlarmIds(): number[] {
    return this.state.alarms
      .list()
      .filter((a) => a.source === "device")
      .map((a) => a.alarmId!)
      .sort((a, b) => a - b);
  }

  hostAlarm(cond: string) {
    return this.state.alarms.get("host:" + cond);
  }

  /** Reading rows sent to clients so far. */
  rows() {
    return this.updates.flatMap((u) => (u.type === "readings" ? u.rows : []));
  }

  /** What the bridge does after each input: outbox -> state -> updates and records (until nothing more comes). */
  pump(): this {
    for (let o = this.core.drain(); !isEmpty(o); o = this.core.drain()) {
      for (const w of o.writes) {
        const d = decode(w.trimEnd());
        if (d.ok) this.written.push(d.msg as HostMessage);
      }
      if (o.items.length > 0) {
        this.items.push(...o.items);
        this.state.applyBatch(o.items);
      }
      for (const l of o.lost) this.state.applyLost(l.ranges, l.atMs);
      for (const s of o.states) this.state.applyLinkState(s.state, s.error, this.core.portPath, this.wallMs);
      if (o.dropPort) this.core.connectionEnded(o.dropPort, this.nowMs, this.wallMs);
      if (this.state.takeResyncRequest()) this.core.resync(this.nowMs, this.wallMs);
    }
    this.updates.push(...this.state.drain());
    this.records.push(...this.state.drainRecords());
    return this;
  }
}

function isEmpty(o: LinkOutbox): boolean {
  return o.writes.length === 0 && o.items.length === 0 && o.lost.length === 0 && o.states.length === 0 && o.answers.length === 0 && o.dropPort === null;
}
