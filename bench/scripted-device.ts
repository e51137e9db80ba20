// A scripted device for the capacity test: answers the handshake like a device, then writes R lines at a set rate, as fast as a pty takes them.
import { SerialPort } from "serialport";
import { decode, DEFAULT_LIMITS, encode, LineAssembler, PROTOCOL_MAJOR, PROTOCOL_MINOR, schemaHash, type ChannelValue } from "../protocol";
import { monoMs } from "./mono-clock";

/** Channels of every scripted R line. */
export const SCRIPTED_CHANNELS = 8;
/** Writer period (ms): each tick writes every line that is due as one chunk. */
const TICK_MS = 5;

/** Lines written in one stream() call: the first seq, how many, and when each was handed to the port (monotonic ms). */
export interface Burst {
  firstSeq: number;
  count: number;
  writtenAtMs: Float64Array;
  /** Monotonic ms the last line was handed over, and the wall ms the writer needed (> duration: the writer could not keep up). */
  endMs: number;
  elapsedMs: number;
  /** Bytes written, terminators included. */
  bytes: number;
}

/**
 * Speaks just enough of the device side of PROTOCOL.md for a bridge to connect (HELLO -> HI, CH x 8,
 * LM, K; other commands -> K; AK ignored) and then streams R lines with consecutive seqs. The same
 * seqs and values whichever relay reads them.
 */
export class ScriptedDevice {
  private nextSeq = 0;
  private otherSeq = 0;
  private tMs = 0;
  private readonly values: ChannelValue[] = new Array(SCRIPTED_CHANNELS).fill(3700);

  private constructor(private readonly port: SerialPort) {
    const asm = new LineAssembler((l) => this.onLine(l));
    port.on("data", (d: Buffer) => asm.push(d.toString("latin1")));
    port.on("error", () => {});
  }

  static async open(path: string): Promise<ScriptedDevice> {
    const port = new SerialPort({ path: path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    return new ScriptedDevice(port);
  }

  /**
   * Starts writing R lines at `linesPerS` for `durationMs`, each tick's due lines as one write. Returns the
   * burst's bookkeeping at once (rows arrive while it is still writing) and a promise of the end.
   */
  stream(linesPerS: number, durationMs: number): { burst: Burst; done: Promise<Burst> } {
    const count = Math.round((linesPerS * durationMs) / 1000);
    const b: Burst = { firstSeq: this.nextSeq, count: count, writtenAtMs: new Float64Array(count), endMs: 0, elapsedMs: 0, bytes: 0 };
    const done = (async () => {
      const t0 = monoMs();
      let sent = 0;
      while (sent < count) {
        const due = Math.min(count, Math.floor(((monoMs() - t0) * linesPerS) / 1000) + 1);
        if (due > sent) {
          const from = sent;
          let chunk = "";
          for (; sent < due; sent++) chunk += this.reading();
          b.writtenAtMs.fill(monoMs(), from, due);
          b.bytes += chunk.length;
          this.port.write(chunk, "latin1");
        }
        await new Promise((r) => setTimeout(r, TICK_MS));
      }
      await new Promise<void>((r) => this.port.drain(() => r()));
      b.endMs = monoMs();
      b.elapsedMs = b.endMs - t0;
      return b;
    })();
    return { burst: b, done: done };
  }

  async close(): Promise<void> {
    if (this.port.isOpen) await new Promise<void>((r) => this.port.close(() => r()));
  }

  private reading(): string {
    const seq = this.nextSeq++;
    const v = this.values;
    for (let i = 0; i < SCRIPTED_CHANNELS; i++) v[i] = 3650 + ((seq * 7 + i * 13) % 300);
    this.tMs += 1;
    return encode({ type: "R", seq: seq, tMs: this.tMs, values: v });
  }

  private send(line: string): void {
    this.port.write(line, "latin1");
  }

  private onLine(line: string): void {
    const d = decode(line);
    if (!d.ok) return;
    const m = d.msg;
    if (m.type === "HELLO") {
      this.send(encode({ type: "HI", seq: this.otherSeq++, major: PROTOCOL_MAJOR, minor: PROTOCOL_MINOR, fw: "bench", deviceId: "TG-SCRIPT", bootId: 0x0bec0002, channels: SCRIPTED_CHANNELS, rateHz: 20, session: "-", schema: schemaHash(), restored: 0, readSeq: this.nextSeq, alarmSeq: 0 }));
      for (let ch = 0; ch < SCRIPTED_CHANNELS; ch++) this.send(encode({ type: "CH", seq: this.otherSeq++, ch: ch, label: "nerve" + ch, role: "nerve", tc: "SIM", chip: "SIM" }));
      this.send(encode({ type: "LM", seq: this.otherSeq++, ...DEFAULT_LIMITS }));
      this.send(encode({ type: "K", seq: this.otherSeq++, cmd: m.seq, tMs: this.tMs, info: 0 }));
    } else if (m.type === "RESEND") this.send(encode({ type: "N", seq: this.otherSeq++, cmd: m.seq, reason: "GONE" }));
    else if (m.type !== "AK") this.send(encode({ type: "K", seq: this.otherSeq++, cmd: m.seq, tMs: this.tMs, info: 0 }));
  }
}
