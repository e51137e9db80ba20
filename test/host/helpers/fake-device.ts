// A scripted thermoguard device on the device end of a pty (protocol/encode + device/core's dose integrator), for host tests.
import { SerialPort } from "serialport";
import { DoseIntegrator } from "../../../device/core/dose-integrator";
import {
  checkLimit,
  decode,
  DEFAULT_LIMITS,
  encode,
  LIMIT_FIELD,
  LineAssembler,
  PROTOCOL_MAJOR,
  PROTOCOL_MINOR,
  schemaHash,
  type AlarmEvent,
  type ChannelValue,
  type Condition,
  type HostMessage,
  type Message,
  type Role,
} from "../../../protocol";

export interface FakeDeviceOptions {
  /** The pty end the device opens. */
  path: string;
  deviceId?: string;
  channels?: number;
  rateHz?: number;
  /** Protocol major the device reports (to test VERSION_MISMATCH). */
  major?: number;
  roles?: Role[];
  labels?: string[];
  /** Temperature (cC) or fault token of channel ch at device time tMs. */
  temp?: (tMs: number, ch: number) => ChannelValue;
  /** false: a wrong device that never answers HELLO. */
  answerHello?: boolean;
  /** R seqs not sent the first time (they stay in the ring for RESEND). */
  dropRead?: (seq: number) => boolean;
  /** Readings held for RESEND. */
  ringSize?: number;
}

interface FakeAlarm {
  id: number;
  cond: Condition;
  ch: number;
  prio: "H" | "M" | "L";
  kind: "P" | "T";
  active: boolean;
  acked: boolean;
  latching: boolean;
  value: number;
  limit: number;
}

/** A device that speaks the protocol through a real serialport on a pty. */
export class FakeDevice {
  /** Every command received, decoded, in order. */
  readonly received: HostMessage[] = [];
  bootId = 0;
  readSeq = 0;
  alarmSeq = 0;
  otherSeq = 0;
  session = "-";
  limits = { ...DEFAULT_LIMITS };
  /** false: stops every output line (the device hangs). */
  talking = true;
  readonly alarms = new Map<number, FakeAlarm>();
  private nextAlarmId = 1;
  private bootAtMs = performance.now();
  private helloed = false;
  private readonly ring = new Map<number, string>();
  private readonly unacked = new Map<number, string>();
  private readonly doses: DoseIntegrator;
  private readonly timers: NodeJS.Timeout[] = [];
  private lastDoseSecond = 0;
  private readonly o: Required<Omit<FakeDeviceOptions, "dropRead">> & Pick<FakeDeviceOptions, "dropRead">;
  private constructor(
    private readonly port: SerialPort,
    opts: FakeDeviceOptions,
  ) {
    const n = opts.channels ?? 4;
    this.o = {
      deviceId: "FAKE-01",
      channels: n,
      rateHz: 10,
      major: PROTOCOL_MAJOR,
      roles: Array.from({ length: n }, (_, i) => (i === n - 1 ? "ablation" : "nerve") as Role),
      labels: Array.from({ length: n }, (_, i) => "ch" + i),
      temp: () => 3700,
      answerHello: true,
      ringSize: 6000,
      ...opts,
    };
    this.doses = new DoseIntegrator(n);
    this.bootId = (Math.random() * 0xffffffff) >>> 0;
    const asm = new LineAssembler((l) => this.onLine(l));
    port.on("data", (d: Buffer) => asm.push(d.toString("latin1")));
    port.on("error", () => {});
  }

  /** Opens the pty end and starts sampling. */
  static async open(opts: FakeDeviceOptions): Promise<FakeDevice> {
    const port = new SerialPort({ path: opts.path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    const d = new FakeDevice(port, opts);
    d.timers.push(setInterval(() => d.sample(), 1000 / d.o.rateHz));
    d.timers.push(setInterval(() => d.retransmit(), 500));
    return d;
  }

  /** Device monotonic time, ms since boot. */
  nowMs(): number {
    return Math.floor(performance.now() - this.bootAtMs);
  }

  /** Raises an alarm (A RAISE, retransmitted until acknowledged); returns its id. */
  raise(cond: Condition, ch: number, value: number, limit: number, prio: "H" | "M" | "L" = "H", latching = true): number {
    const a: FakeAlarm = { id: this.nextAlarmId++, cond, ch, prio, kind: cond.startsWith("FAULT") || cond === "SAMPLE_GAP" ? "T" : "P", active: true, acked: false, latching, value, limit };
    this.alarms.set(a.id, a);
    this.sendAlarm(a, "RAISE");
    return a.id;
  }

  /** The alarm's condition ended: cleared, or kept (UPDATE) while latched and unacknowledged. */
  end(id: number): void {
    const a = this.alarms.get(id);
    if (!a) return;
    a.active = false;
    if (a.latching && !a.acked) this.sendAlarm(a, "UPDATE");
    else {
      this.alarms.delete(id);
      this.sendAlarm(a, "CLEAR");
    }
  }

  /** Reboots: new boot id, seqs from 0, alarms forgotten, HI + CH + LM sent unprompted. */
  reboot(): void {
    this.bootId = (Math.random() * 0xffffffff) >>> 0;
    this.bootAtMs = performance.now();
    this.readSeq = 0;
    this.alarmSeq = 0;
    this.otherSeq = 0;
    this.helloed = false;
    this.alarms.clear();
    this.unacked.clear();
    this.ring.clear();
    this.sendInfo();
  }

  /** Writes raw bytes (garbage, over-long lines). */
  writeRaw(data: string | Buffer): void {
    this.port.write(data);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    if (this.port.isOpen) await new Promise<void>((r) => this.port.close(() => r()));
  }

  private send(m: Message): string {
    const line = encode(m);
    if (this.talking && this.port.isOpen) this.port.write(line);
    return line;
  }

  private other(): number {
    return this.otherSeq++;
  }

  private sendInfo(): void {
    const o = this.o;
    this.send({ type: "HI", seq: this.other(), major: o.major, minor: PROTOCOL_MINOR, fw: "0.0.1-fake", deviceId: o.deviceId, bootId: this.bootId, channels: o.channels, rateHz: o.rateHz, session: this.session, schema: schemaHash(), restored: 0, readSeq: this.readSeq, alarmSeq: this.alarmSeq });
    for (let ch = 0; ch < o.channels; ch++) this.send({ type: "CH", seq: this.other(), ch, label: o.labels[ch], role: o.roles[ch], tc: "SIM", chip: "SIM" });
    this.send({ type: "LM", seq: this.other(), ...this.limits });
  }

  private sendAlarm(a: FakeAlarm, action: AlarmEvent["action"]): void {
    const seq = this.alarmSeq++;
    const line = this.send({ type: "A", seq, tMs: this.nowMs(), alarmId: a.id, action, cond: a.cond, ch: a.ch, prio: a.prio, kind: a.kind, active: a.active ? 1 : 0, acked: a.acked ? 1 : 0, latching: a.latching ? 1 : 0, value: a.value, limit: a.limit, info: 0 });
    this.unacked.set(seq, line);
  }

  private retransmit(): void {
    if (!this.talking || !this.port.isOpen) return;
    for (const line of this.unacked.values()) this.port.write(line);
  }

  private sample(): void {
    const tMs = this.nowMs();
    const values: ChannelValue[] = [];
    const n = this.o.channels;
    const cc = new Int32Array(n);
    const code = new Uint8Array(n);
    for (let ch = 0; ch < n; ch++) {
      const v = this.o.temp(tMs, ch);
      values.push(v);
      if (typeof v === "number") cc[ch] = v;
      else code[ch] = 1;
    }
    this.doses.addConfirmed(tMs, this.doses.nerve, this.doses.nerveCount, code, cc);
    const seq = this.readSeq++;
    const line = encode({ type: "R", seq, tMs, values });
    this.ring.set(seq, line);
    this.ring.delete(seq - this.o.ringSize);
    if (!this.o.dropRead?.(seq) && this.talking && this.port.isOpen) this.port.write(line);
    const second = Math.floor(tMs / 1000);
    if (second !== this.lastDoseSecond) {
      this.lastDoseSecond = second;
      this.sendDoses(tMs);
      this.send({ type: "S", seq: this.other(), tMs, session: this.session, flags: 16 | (this.session !== "-" ? 4 : 0), pauseS: 0, alarms: this.alarms.size, samples: this.readSeq, missed: 0, dropped: 0, badRx: 0, retx: 0, spikes: 0 });
    }
  }

  private sendDoses(tMs: number): void {
    for (let ch = 0; ch < this.o.channels; ch++) {
      if (this.o.roles[ch] !== "nerve") continue;
      const t42 = this.doses.t42Ms[ch];
      const t70 = this.doses.t70Ms[ch];
      const cem = Math.ceil(this.doses.cem43[ch] * 1000);
      const l = this.limits;
      this.send({ type: "D", seq: this.other(), tMs, ch, t42Ms: t42, t42Pm: Math.floor((t42 * 1000) / (l.dose42Min * 60000)), t70Ms: t70, t70Pm: Math.floor((t70 * 1000) / (l.dose70Min * 60000)), cem43M: cem, cem43Pm: Math.floor(cem / (l.cem43Limit * 10)) });
    }
  }

  private ack(cmd: number, info = 0): void {
    this.send({ type: "K", seq: this.other(), cmd, tMs: this.nowMs(), info });
  }

  private nak(cmd: number, reason: "VERSION" | "RANGE" | "ORDER" | "STATE" | "NO_ALARM" | "GONE" | "BUSY" | "NO_HELLO"): void {
    this.send({ type: "N", seq: this.other(), cmd, reason });
  }

  private onLine(line: string): void {
    const d = decode(line);
    if (!d.ok) return;
    const m = d.msg as HostMessage;
    this.received.push(m);
    if (m.type === "AK") {
      this.unacked.delete(m.seq);
      return;
    }
    if (m.type === "HELLO") {
      if (!this.o.answerHello) return;
      this.sendInfo();
      if (m.major !== this.o.major) return this.nak(m.seq, "VERSION");
      this.helloed = true;
      for (const a of this.alarms.values()) this.sendAlarm(a, "UPDATE");
      return this.ack(m.seq);
    }
    if (!this.helloed) return this.nak(m.seq, "NO_HELLO");
    switch (m.type) {
      case "TIME":
        return this.ack(m.seq);
      case "ACKAL": {
        const targets = m.alarmId === 0 ? [...this.alarms.values()].filter((a) => !a.acked) : [this.alarms.get(m.alarmId)].filter((a): a is FakeAlarm => !!a && !a.acked);
        if (targets.length === 0) return this.nak(m.seq, "NO_ALARM");
        this.ack(m.seq, targets.length);
        for (const a of targets) {
          a.acked = true;
          if (a.active) this.sendAlarm(a, "ACK");
          else {
            this.alarms.delete(a.id);
            this.sendAlarm(a, "CLEAR");
          }
        }
        return;
      }
      case "PAUSE":
        return this.ack(m.seq, m.seconds);
      case "LIM": {
        const why = checkLimit(this.limits, m.param, m.value);
        if (why) return this.nak(m.seq, why);
        this.limits = { ...this.limits, [LIMIT_FIELD[m.param]]: m.value };
        this.ack(m.seq);
        this.send({ type: "LM", seq: this.other(), ...this.limits });
        return;
      }
      case "START":
        if (this.session !== "-") return this.nak(m.seq, "STATE");
        this.session = m.session;
        this.doses.reset();
        return this.ack(m.seq);
      case "END":
        if (this.session === "-") return this.nak(m.seq, "STATE");
        this.session = "-";
        return this.ack(m.seq);
      case "MARK":
        return this.ack(m.seq);
      case "RESEND": {
        const lines: string[] = [];
        for (let s = m.from; s < m.from + m.count; s++) {
          const l = this.ring.get(s);
          if (l) lines.push(l);
        }
        if (lines.length === 0) return this.nak(m.seq, "GONE");
        this.ack(m.seq, lines.length);
        if (this.talking) for (const l of lines) this.port.write(l);
        return;
      }
    }
  }
}
