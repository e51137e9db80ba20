// An in-process device on serialport's MockBinding: answers the handshake and lets a test put any bytes on the wire.
//
// The test file replaces `SerialPort` by `SerialPortMock` (vi.mock("serialport")), so the bridge's own
// open-port.ts opens this mock through the real SerialPortStream: the whole serial pipeline (stream,
// BoundedLineParser, decode, zod, link, state, relay) runs in-process, without a pty, at full speed.
import { SerialPortMock } from "serialport";
import { decode, DEFAULT_LIMITS, encode, LineAssembler, PROTOCOL_MAJOR, PROTOCOL_MINOR, schemaHash, type HostMessage, type Message } from "../../../protocol";

type Binding = Awaited<ReturnType<typeof SerialPortMock.binding.open>>;

const devices = new Map<string, MockSerialDevice>();
let installed = false;

/** Wraps MockBinding.open once so that each opened port is handed to the device registered on its path. */
function install(): void {
  if (installed) return;
  installed = true;
  const binding = SerialPortMock.binding;
  const open = binding.open.bind(binding);
  binding.open = async (opts: Parameters<typeof open>[0]) => {
    const b = await open(opts);
    devices.get(opts.path)?.attach(b);
    return b;
  };
}

export interface MockSerialDeviceOptions {
  channels?: number;
  deviceId?: string;
  rateHz?: number;
  /** Bytes per read the stream gets (small values split lines across reads). Default 61. */
  maxReadSize?: number;
}

/** A scripted device speaking the protocol over a MockBinding port. */
export class MockSerialDevice {
  /** Every host line received, decoded. */
  readonly received: HostMessage[] = [];
  readonly bootId = (Math.random() * 0xffffffff) >>> 0;
  readSeq = 0;
  otherSeq = 0;
  private binding: Binding | null = null;
  private readonly ring = new Map<number, string>();
  private readonly asm = new LineAssembler((l) => this.onLine(l));
  private readonly o: Required<MockSerialDeviceOptions>;
  private attachedWaiters: (() => void)[] = [];

  private constructor(
    readonly path: string,
    opts: MockSerialDeviceOptions,
  ) {
    this.o = { channels: 4, deviceId: "MOCK-01", rateHz: 10, maxReadSize: 61, ...opts };
  }

  /** Creates the mock port at `path` (unique per test) and the device behind it. */
  static create(path: string, opts: MockSerialDeviceOptions = {}): MockSerialDevice {
    install();
    const d = new MockSerialDevice(path, opts);
    SerialPortMock.binding.createPort(path, { echo: false, record: false, maxReadSize: d.o.maxReadSize });
    devices.set(path, d);
    return d;
  }

  get channels(): number {
    return this.o.channels;
  }

  /** Resolves once the host has opened the port. */
  attached(): Promise<void> {
    return this.binding ? Promise.resolve() : new Promise((r) => this.attachedWaiters.push(r));
  }

  attach(b: Binding): void {
    this.binding = b;
    const write = b.write.bind(b);
    b.write = async (buf: Buffer) => {
      await write(buf);
      this.asm.push(buf.toString("latin1"));
    };
    for (const w of this.attachedWaiters) w();
    this.attachedWaiters = [];
  }

  /** Puts raw bytes on the wire towards the host (as the device would send them). */
  emit(data: string | Buffer): void {
    if (!this.binding?.isOpen) throw new Error("mock port not open");
    this.binding.emitData(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  /** The encoded line of the next reading (seq advances; kept for RESEND). */
  reading(values?: (number | string)[]): string {
    const seq = this.readSeq++;
    const line = encode({ type: "R", seq: seq, tMs: seq * (1000 / this.o.rateHz), values: values ?? new Array(this.o.channels).fill(3700) } as Message);
    this.ring.set(seq, line);
    this.ring.delete(seq - 6000);
    return line;
  }

  /** Encodes a line of the "other" stream with the next seq. */
  other(m: Record<string, unknown> & { type: string }): string {
    return encode({ ...m, seq: this.otherSeq++ } as unknown as Message);
  }

  private send(line: string): void {
    if (this.binding?.isOpen) this.emit(line);
  }

  private onLine(line: string): void {
    const d = decode(line);
    if (!d.ok) return;
    const m = d.msg as HostMessage;
    this.received.push(m);
    switch (m.type) {
      case "AK":
        return;
      case "HELLO": {
        const o = this.o;
        let out = this.other({ type: "HI", major: PROTOCOL_MAJOR, minor: PROTOCOL_MINOR, fw: "0.0.1-mock", deviceId: o.deviceId, bootId: this.bootId, channels: o.channels, rateHz: o.rateHz, session: "-", schema: schemaHash(), restored: 0, readSeq: this.readSeq, alarmSeq: 0 });
        for (let ch = 0; ch < o.channels; ch++) out += this.other({ type: "CH", ch: ch, label: "ch" + ch, role: ch === o.channels - 1 ? "ablation" : "nerve", tc: "SIM", chip: "SIM" });
        out += this.other({ type: "LM", ...DEFAULT_LIMITS });
        out += this.other({ type: "K", cmd: m.seq, tMs: this.readSeq * (1000 / this.o.rateHz), info: 0 });
        return this.send(out);
      }
      case "RESEND": {
        const lines: string[] = [];
        for (let s = m.from; s < m.from + m.count; s++) if (this.ring.has(s)) lines.push(this.ring.get(s)!);
        if (lines.length === 0) return this.send(this.other({ type: "N", cmd: m.seq, reason: "GONE" }));
        return this.send(this.other({ type: "K", cmd: m.seq, tMs: this.readSeq * (1000 / this.o.rateHz), info: lines.length }) + lines.join(""));
      }
      default:
        return this.send(this.other({ type: "K", cmd: m.seq, tMs: this.readSeq * (1000 / this.o.rateHz), info: 0 }));
    }
  }
}
