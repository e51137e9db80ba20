// Device side of the serial protocol: handshake, commands, per-stream seqs, R/A/D/S lines, RESEND, congestion.
import { PROTOCOL_MAJOR, PROTOCOL_MINOR } from "../../protocol/constants";
import { decodeWith, type MessageTable } from "../../protocol/decode";
import { hex8Fast } from "./hex8-fast";
import { LineAssembler } from "../../protocol/line-assembler";
import type { HostMessage, LimitParam } from "../../protocol/message-types";
import { HOST_MESSAGES } from "../../protocol/messages";
import { SCHEMA_HASH } from "../../protocol/schema-hash-value";
import { ACTION_NAMES, ACT_CLEAR, ACT_UPDATE, ST_ACKED, ST_ACTIVE, ST_PRESENT } from "../core/alarm-engine";
import { COND_PRIO, CONDITION_NAMES, condKind } from "../core/conditions";
import { ALARM_RETRANSMIT_FULL_ROUNDS, ALARM_RETRANSMIT_MAX_MS, ALARM_RETRANSMIT_MS, STATUS_PERIOD_MS } from "../core/core-constants";
import type { Monitor } from "../core/monitor";
import { AlarmQueue } from "./alarm-queue";
import type { ChannelSpec } from "./channel-spec";
import { encodeLine, frameLine } from "./line-encoder";
import { encodeReading, encodeValidReading } from "./reading-encoder";
import { ReadingRing } from "./reading-ring";
import { LINE_BULK, LINE_CONTROL, TxGate, type Tx } from "./tx";

/** TIME commands outside 2020-01-01 .. 2100-01-01 are refused with RANGE (a clock that far off is wrong). */
export const TIME_MIN_EPOCH_MS = 1577836800000;
export const TIME_MAX_EPOCH_MS = 4102444800000;

/** Link options (the runtime fills them from the target's defaults). */
export interface LinkOptions {
  monitor: Monitor;
  tx: Tx;
  channels: ChannelSpec[];
  /** Integer sample rate announced in HI (1..20). */
  rateHz: number;
  deviceId: string;
  fw: string;
  /** Random per boot, 0..2^32-1. */
  bootId: number;
  /** Readings held for RESEND (Node: 10 min of samples; Espruino: 128). */
  ringCapacity: number;
  /** Unacknowledged alarm lines held (Node 64, Espruino 16). */
  alarmQueueCapacity: number;
  /** Resent readings written per tick at most, so sampling never stalls. */
  resendPerTick: number;
  /** Readings stop at this transmit backlog (bytes). */
  txHighWaterBytes: number;
  /** Nothing but queued alarms survives above this backlog (bytes). */
  txHardLimitBytes: number;
  /** Alarm retransmission interval (device ms); default ALARM_RETRANSMIT_MS. */
  retransmitMs?: number;
  /** MARK command: procedure event text (e.g. SampleSource.onEvent). */
  onMark?: (text: string, nowMs: number) => void;
}

/**
 * The device end of the protocol (PROTOCOL.md). Pure: time is passed in, bytes go out through a Tx
 * and come in through `receive`. Streams and their seqs (section 2): R (one per sample, held in a
 * ring for RESEND), A (reliable, retransmitted every 500 ms until AK), and one counter for the rest.
 * Within one sample tick the order is: alarm lines, resent readings, the reading, then dose and status lines.
 *
 * Alarm lines are retransmitted every retransmitMs while the host is heard, backing off to
 * ALARM_RETRANSMIT_MAX_MS after ALARM_RETRANSMIT_FULL_ROUNDS rounds without a valid line from it
 * (a returning host sends HELLO, which restates every present alarm at once). D lines: one round per second, from the status instant, at most ceil(nerve channels /
 * rate) per sample, so the lines of one second are spread over its samples; and at once for the
 * channel whose alarm changed (every nerve channel for a device-wide alarm or a session start).
 *
 * Alarm queue overflow (a host that never acknowledges): numbered lines are never dropped (the
 * host processes A lines strictly in seq order). While the queue is full, later transitions are
 * coalesced per alarm: the alarm is marked pending and, once a line is acknowledged, its current
 * state is restated as one UPDATE (or CLEAR if it has gone). A HELLO empties the queue, because the
 * handshake restates every present alarm with fresh seqs.
 */
export class DeviceLink {
  readonly monitor: Monitor;
  readonly gate: TxGate;
  readonly ring: ReadingRing;
  readonly alarmQueue: AlarmQueue;
  /** True after a HELLO with our major version. */
  helloOk = false;
  /** Next seq of the A stream and of the "other" stream (HI CH LM D S K N). */
  alarmSeq = 0;
  otherSeq = 0;
  /** Alarm retransmissions since boot (S.retx). */
  retx = 0;
  /** Received lines that failed to decode or were not host commands. */
  badLines = 0;
  /** Host wall clock minus device time (ms), valid when timeSynced. */
  timeOffsetMs = 0;
  timeSynced = false;
  private readonly opts: LinkOptions;
  private readonly assembler: LineAssembler;
  private readonly pending: Uint8Array;
  private pendingCount = 0;
  private readonly retransmitMs: number;
  private started = false;
  /** Nerve channels (bit 1 << ch) whose D line goes out at the end of this tick (alarm transition, START). */
  private dosePending = 0;
  /** Next entry of monitor.nerve in this second's round of D lines (nerveCount: round done). */
  private doseCursor = 0;
  private readonly dosePerSample: number;
  private readonly allNerves: number;
  /** Retransmission rounds since the host was last heard (a valid line). */
  private silentRounds = 0;
  private nextStatusMs = 0;
  private rxNowMs = 0;
  private resendNext = 0;
  private resendEnd = 0;
  /** Numeric fields of the D or S line being written (joined natively). */
  private readonly lineVals = new Float64Array(9);

  constructor(opts: LinkOptions) {
    this.opts = opts;
    this.monitor = opts.monitor;
    this.gate = new TxGate(opts.tx, opts.txHighWaterBytes, opts.txHardLimitBytes);
    this.ring = new ReadingRing(opts.ringCapacity, opts.channels.length);
    this.alarmQueue = new AlarmQueue(opts.alarmQueueCapacity);
    this.pending = new Uint8Array(this.monitor.engine.slots);
    this.retransmitMs = opts.retransmitMs || ALARM_RETRANSMIT_MS;
    const m = this.monitor;
    this.doseCursor = m.nerveCount;
    this.dosePerSample = Math.ceil(m.nerveCount / opts.rateHz);
    let all = 0;
    for (let k = 0; k < m.nerveCount; k++) all |= 1 << m.nerve[k];
    this.allNerves = all;
    const self = this;
    this.assembler = new LineAssembler(function (line) {
      self.onLine(line);
    });
  }

  /** Bad lines received: undecodable, not a command, over-long, or junk before a "$" (S.badRx). */
  badRx(): number {
    return this.badLines + this.assembler.overlong + this.assembler.junk;
  }

  /** True while a RESEND is being served. */
  resending(): boolean {
    return this.resendNext < this.resendEnd;
  }

  /** Unsolicited HI + CH + LM after boot, then any alarm lines queued during the restore. */
  boot(nowMs: number): void {
    this.started = true;
    this.nextStatusMs = nowMs + STATUS_PERIOD_MS;
    this.sendIdentity(true);
    this.pumpAlarms(nowMs);
  }

  /** Alarm transition from the monitor: numbered A line, queued and sent now if the link allows. */
  onAlarm(slot: number, action: number, nowMs: number): void {
    const ch = this.monitor.engine.chOf(slot);
    this.dosePending |= ch < 0 ? this.allNerves : (1 << ch) & this.allNerves;
    if (this.alarmQueue.held >= this.alarmQueue.capacity) {
      if (!this.pending[slot]) this.pendingCount++;
      this.pending[slot] = 1;
      return;
    }
    this.queueAlarm(slot, action, nowMs);
    if (this.started) this.pumpAlarms(nowMs);
  }

  private queueAlarm(slot: number, action: number, nowMs: number): void {
    const a = this.monitor.engine;
    const cond = a.condOf(slot);
    const s = a.st[slot];
    const line = encodeLine("A", this.alarmSeq, [
      nowMs, a.id[slot], ACTION_NAMES[action], CONDITION_NAMES[cond], a.chOf(slot), COND_PRIO.charAt(cond), condKind(cond),
      s & ST_ACTIVE ? 1 : 0, s & ST_ACKED ? 1 : 0, a.latching(slot), a.value[slot], a.limit[slot], a.info[slot],
    ]);
    this.alarmQueue.add(this.alarmSeq++, line);
  }

  /** Current retransmission interval: retransmitMs, doubling per silent round beyond the full-rate ones, capped. */
  private retransmitIntervalMs(): number {
    const e = this.silentRounds - ALARM_RETRANSMIT_FULL_ROUNDS + 1;
    const ms = e > 0 ? this.retransmitMs * Math.pow(2, e < 8 ? e : 8) : this.retransmitMs;
    return ms < ALARM_RETRANSMIT_MAX_MS ? ms : ALARM_RETRANSMIT_MAX_MS;
  }

  /** Writes never-sent alarm lines and due retransmissions, lowest seq first, while the gate allows. */
  private pumpAlarms(nowMs: number): void {
    const q = this.alarmQueue;
    if (q.held === 0 || nowMs < q.nextDueMs) return;
    const interval = this.retransmitIntervalMs();
    let resent = false;
    for (let n = 0; n < q.capacity; n++) {
      const i = q.due(nowMs, interval);
      if (i < 0 || !this.gate.canWrite(LINE_CONTROL)) break;
      if (q.wasSent(i)) {
        this.retx++;
        resent = true;
      }
      this.opts.tx.write(q.line(i));
      q.sent(i, nowMs);
    }
    if (resent) this.silentRounds++;
  }

  /** Restates coalesced alarms while there is room in the queue. */
  private flushPending(nowMs: number): void {
    if (this.pendingCount === 0) return;
    const a = this.monitor.engine;
    for (let slot = 0; slot < this.pending.length && this.alarmQueue.held < this.alarmQueue.capacity; slot++) {
      if (!this.pending[slot]) continue;
      this.pending[slot] = 0;
      this.pendingCount--;
      this.queueAlarm(slot, a.st[slot] & ST_PRESENT ? ACT_UPDATE : ACT_CLEAR, nowMs);
    }
  }

  /**
   * After the monitor's step for the sample taken at `nowMs`: alarm lines, RESEND progress (before
   * the new reading overwrites the oldest one in the ring, so what K promised is sent), the reading
   * (kept in the ring, dropped from the wire when congested), then doses and status when due.
   */
  afterSample(nowMs: number): void {
    const q = this.alarmQueue;
    if (q.held !== 0 && nowMs >= q.nextDueMs) this.pumpAlarms(nowMs);
    if (this.resendNext < this.resendEnd) this.resendSome();
    const f = this.monitor.filter;
    const r = this.ring;
    const seq = r.push(nowMs, f.cc, f.code, f.invalid);
    if (this.gate.canWrite(LINE_BULK)) this.opts.tx.write(f.invalid === 0 ? encodeValidReading(seq, nowMs, f.cc) : encodeReading(seq, nowMs, r.vals, r.offsetOf(seq), r.channelCount));
    else this.gate.drop();
    const status = nowMs >= this.nextStatusMs;
    if (status) this.doseCursor = 0;
    const sent = this.dosePending !== 0 ? this.sendDoses(nowMs) : 0;
    if (this.doseCursor < this.monitor.nerveCount) this.sendDoseRound(sent, nowMs);
    if (status) {
      this.sendStatus(nowMs);
      this.nextStatusMs += STATUS_PERIOD_MS;
      if (this.nextStatusMs <= nowMs) this.nextStatusMs = nowMs + STATUS_PERIOD_MS;
    }
  }

  /** Between samples: retransmissions, coalesced alarms, RESEND progress. */
  service(nowMs: number): void {
    this.flushPending(nowMs);
    this.pumpAlarms(nowMs);
    if (this.dosePending !== 0) this.sendDoses(nowMs);
  }

  /** Bytes received from the host (any chunking). */
  receive(chunk: string, nowMs: number): void {
    this.rxNowMs = nowMs;
    this.assembler.push(chunk);
  }

  /** Writes one line of the "other" stream (its seq is taken even if congestion drops it: the host counts the gap). */
  private other(type: string, values: (string | number)[]): void {
    this.gate.send(encodeLine(type, this.otherSeq++, values), LINE_CONTROL);
  }

  private sendIdentity(withChannels: boolean): void {
    const m = this.monitor;
    const o = this.opts;
    this.other("HI", [
      PROTOCOL_MAJOR, PROTOCOL_MINOR, o.fw, o.deviceId, hex8Fast(o.bootId), m.channelCount, o.rateHz, m.session, hex8Fast(SCHEMA_HASH),
      m.restored ? 1 : 0, this.ring.nextSeq, this.alarmSeq,
    ]);
    if (!withChannels) return;
    const chs = o.channels;
    for (let i = 0; i < chs.length; i++) this.other("CH", [i, chs[i].label, chs[i].role, chs[i].tc, chs[i].chip]);
    this.sendLimits();
  }

  private sendLimits(): void {
    const l = this.monitor.limits;
    this.other("LM", [l.warnCc, l.interveneCc, l.stopCc, l.predictS, l.dose42Min, l.dose70Min, l.cem43Limit]);
  }

  /** D lines of the channels in dosePending, in channel order; returns their mask. */
  private sendDoses(nowMs: number): number {
    const m = this.monitor;
    const pending = this.dosePending;
    this.dosePending = 0;
    for (let k = 0; k < m.nerveCount; k++) if (pending & (1 << m.nerve[k])) this.sendDose(m.nerve[k], nowMs);
    return pending;
  }

  /** The next dosePerSample D lines of this second's round (a channel in `sent` already had its line in this tick). */
  private sendDoseRound(sent: number, nowMs: number): void {
    const m = this.monitor;
    for (let i = 0; i < this.dosePerSample && this.doseCursor < m.nerveCount; i++) {
      const ch = m.nerve[this.doseCursor++];
      if (!(sent & (1 << ch))) this.sendDose(ch, nowMs);
    }
  }

  /**
   * One D line, written directly: it goes out every second per nerve channel. Its numbers go through
   * one typed-array join, a single native call on Espruino (which prints every integer below 2^53
   * exactly, as V8 does: checked on the 2v29 interpreter with 3,000 random integers and the 1e9,
   * 2^32 and 2^53 boundaries); the bytes are protocol encode()'s (tested).
   */
  private sendDose(ch: number, nowMs: number): void {
    const m = this.monitor;
    const d = m.doses;
    const v = this.lineVals;
    const cemM = Math.floor(d.cem43[ch] * 1000);
    v[0] = this.otherSeq++;
    v[1] = nowMs;
    v[2] = ch;
    v[3] = d.t42Ms[ch];
    v[5] = d.t70Ms[ch];
    v[7] = cemM < 1e15 ? cemM : 1e15;
    m.dosePermilles(ch, v, 4);
    this.gate.send(frameLine("$D," + v.join(",")), LINE_CONTROL);
  }

  /** The S line, its numbers after the session joined natively as in sendDose. */
  private sendStatus(nowMs: number): void {
    const m = this.monitor;
    const v = this.lineVals;
    const n = m.engine.present;
    v[0] = (m.engine.stopCount > 0 ? 1 : 0) | (m.pauseUntilMs > nowMs ? 2 : 0) | (m.session !== "-" ? 4 : 0) |
      (this.timeSynced ? 8 : 0) | (m.storageOk ? 16 : 0) | (this.gate.takeCongested() ? 32 : 0);
    v[1] = m.pauseLeftS(nowMs);
    v[2] = n < 255 ? n : 255;
    v[3] = m.samples;
    v[4] = m.missed;
    v[5] = this.gate.dropped;
    v[6] = this.badRx();
    v[7] = this.retx;
    v[8] = m.filter.spikes;
    this.gate.send(frameLine("$S," + this.otherSeq++ + "," + nowMs + "," + m.session + "," + v.join(",")), LINE_CONTROL);
  }

  private resendSome(): void {
    const r = this.ring;
    let budget = this.opts.resendPerTick;
    while (this.resendNext < this.resendEnd && budget > 0) {
      const seq = this.resendNext;
      if (r.has(seq)) {
        if (!this.gate.canWrite(LINE_BULK)) return;
        const off = r.offsetOf(seq);
        this.opts.tx.write(encodeReading(seq, r.tMs[off / r.channelCount], r.vals, off, r.channelCount));
        budget--;
      }
      this.resendNext++;
    }
  }

  private reply(cmd: number, info: number, nowMs: number): void {
    this.other("K", [cmd, nowMs, info]);
  }

  private nak(cmd: number, reason: "VERSION" | "RANGE" | "ORDER" | "STATE" | "NO_ALARM" | "GONE" | "BUSY" | "NO_HELLO"): void {
    this.other("N", [cmd, reason]);
  }

  /**
   * One received line. Decoded against the host table only (the device messages' declarations and
   * the schema text stay out of the bundle). A rejected line counts in badRx; when its frame was
   * intact (CRC good, host command type, id readable) but an argument is out of syntax or bounds,
   * the command is answered N,<id>,RANGE (PROTOCOL.md section 5), or NO_HELLO before a HELLO, as
   * any command would be. AK is never answered; a broken frame's id cannot be trusted: no answer.
   */
  private onLine(line: string): void {
    const r = decodeWith(HOST_MESSAGES as unknown as MessageTable, line);
    if (!r.ok) {
      this.badLines++;
      const t = r.type;
      if (t !== undefined && r.seq !== undefined && t !== "AK") {
        if (this.helloOk || t === "HELLO") this.nak(r.seq, "RANGE");
        else this.nak(r.seq, "NO_HELLO");
      }
      return;
    }
    this.silentRounds = 0;
    this.alarmQueue.nextDueMs = 0;
    this.handle(r.msg as HostMessage, this.rxNowMs);
  }

  /** Handles one decoded host line at `nowMs` (PROTOCOL.md section 5). */
  handle(msg: HostMessage, nowMs: number): void {
    const m = this.monitor;
    const t = msg.type;
    if (t === "AK") {
      if (this.alarmQueue.ack(msg.seq)) this.service(nowMs);
      return;
    }
    if (t === "HELLO") {
      this.hello(msg.seq, msg.major, nowMs);
      return;
    }
    if (t !== "TIME" && t !== "ACKAL" && t !== "PAUSE" && t !== "LIM" && t !== "START" && t !== "END" && t !== "MARK" && t !== "RESEND") {
      this.badLines++;
      return;
    }
    const id = msg.seq;
    if (!this.helloOk) return this.nak(id, "NO_HELLO");
    if (msg.type === "TIME") {
      if (msg.epochMs < TIME_MIN_EPOCH_MS || msg.epochMs > TIME_MAX_EPOCH_MS) return this.nak(id, "RANGE");
      this.timeOffsetMs = msg.epochMs - nowMs;
      this.timeSynced = true;
      this.reply(id, 0, nowMs);
    } else if (msg.type === "ACKAL") {
      const n = m.acknowledge(msg.alarmId, nowMs);
      if (n < 0) return this.nak(id, "NO_ALARM");
      this.reply(id, n, nowMs);
    } else if (msg.type === "PAUSE") {
      if (!m.pauseAudio(msg.seconds, nowMs)) return this.nak(id, "RANGE");
      this.reply(id, msg.seconds, nowMs);
    } else if (msg.type === "LIM") {
      const why = m.setLimit(msg.param as LimitParam, msg.value, nowMs);
      if (why !== "") return this.nak(id, why);
      // The limits in force first, then the K: a host that acts on the K already knows them.
      this.sendLimits();
      this.reply(id, 0, nowMs);
    } else if (msg.type === "START") {
      if (msg.session === "-") return this.nak(id, "RANGE");
      if (!m.startSession(msg.session, nowMs)) return this.nak(id, "STATE");
      this.dosePending = this.allNerves;
      this.reply(id, 0, nowMs);
    } else if (msg.type === "END") {
      if (!m.endSession(nowMs)) return this.nak(id, "STATE");
      this.reply(id, 0, nowMs);
    } else if (msg.type === "MARK") {
      if (this.opts.onMark) this.opts.onMark(msg.text, nowMs);
      this.reply(id, 0, nowMs);
    } else if (msg.type === "RESEND") {
      if (this.resending()) return this.nak(id, "BUSY");
      const r = this.ring;
      const lo = msg.from > r.oldestSeq() ? msg.from : r.oldestSeq();
      const end = msg.from + msg.count < r.nextSeq ? msg.from + msg.count : r.nextSeq;
      if (lo >= end) return this.nak(id, "GONE");
      this.reply(id, end - lo, nowMs);
      this.resendNext = lo;
      this.resendEnd = end;
    }
    this.service(nowMs);
  }

  private hello(id: number, major: number, nowMs: number): void {
    if (major !== PROTOCOL_MAJOR) {
      this.helloOk = false;
      this.sendIdentity(false);
      this.nak(id, "VERSION");
      return;
    }
    this.alarmQueue.clear();
    for (let i = 0; i < this.pending.length; i++) this.pending[i] = 0;
    this.pendingCount = 0;
    this.sendIdentity(true);
    const a = this.monitor.engine;
    for (let slot = 0; slot < a.slots; slot++) {
      if (!(a.st[slot] & ST_PRESENT)) continue;
      if (this.alarmQueue.held < this.alarmQueue.capacity) this.queueAlarm(slot, ACT_UPDATE, nowMs);
      else {
        this.pending[slot] = 1;
        this.pendingCount++;
      }
    }
    this.pumpAlarms(nowMs);
    this.reply(id, 0, nowMs);
    this.helloOk = true;
  }
}
