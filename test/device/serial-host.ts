// A minimal host for device tests: a plain serialport, the protocol's line assembler and decoder, and waits on decoded lines.
import { SerialPort } from "serialport";
import { decode } from "../../protocol/decode";
import { encode } from "../../protocol/encode";
import { LineAssembler } from "../../protocol/line-assembler";
import type { DeviceMessage, HostMessage } from "../../protocol/message-types";

export class SerialHost {
  readonly received: DeviceMessage[] = [];
  readonly bad: string[] = [];
  private readonly waiters: { pred: (m: DeviceMessage) => boolean; resolve: (m: DeviceMessage) => void }[] = [];
  private constructor(readonly port: SerialPort) {
    const asm = new LineAssembler((line) => {
      const r = decode(line);
      if (!r.ok) {
        this.bad.push(line);
        return;
      }
      const m = r.msg as DeviceMessage;
      this.received.push(m);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        if (this.waiters[i].pred(m)) {
          this.waiters[i].resolve(m);
          this.waiters.splice(i, 1);
        }
      }
    });
    port.on("data", (b: Buffer) => asm.push(b.toString("latin1")));
  }

  static open(path: string): Promise<SerialHost> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
      port.open((err) => (err ? reject(err) : resolve(new SerialHost(port))));
    });
  }

  send(msg: HostMessage): void {
    this.port.write(encode(msg));
  }

  /** Resolves with the first line (already received or future) matching pred. */
  waitFor<T extends DeviceMessage>(pred: (m: DeviceMessage) => boolean, timeoutMs = 5000, from = 0): Promise<T> {
    const seen = this.received.slice(from).find(pred);
    if (seen) return Promise.resolve(seen as T);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error("timeout waiting for a device line")), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(t), resolve(m as T)) });
    });
  }

  of<K extends DeviceMessage["type"]>(type: K): Extract<DeviceMessage, { type: K }>[] {
    return this.received.filter((m) => m.type === type) as Extract<DeviceMessage, { type: K }>[];
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }
}
