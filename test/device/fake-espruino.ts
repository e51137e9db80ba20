// A fake Espruino global environment in a Node vm context: USB, timers on a virtual clock, pins, Storage; runs a bundle.
import vm from "node:vm";
import { crc32 } from "../../protocol/crc32";
import { decode } from "../../protocol/decode";
import { encode } from "../../protocol/encode";
import type { DeviceMessage, HostMessage } from "../../protocol/message-types";

interface Timer {
  id: number;
  atMs: number;
  fn: () => void;
}

/** Runs an Espruino bundle against stubs. Time only moves when the test calls `run`. */
export class FakeEspruino {
  nowMs = 0;
  out = "";
  pins: Record<string, number[]> = {};
  storage = new Map<string, string>();
  watchdogS = 0;
  consoleMoved = false;
  private timers: Timer[] = [];
  private nextId = 1;
  private onData: ((d: string) => void) | undefined;
  readonly context: vm.Context;

  constructor(globals: Record<string, unknown> = {}) {
    const self = this;
    const pinNames = ["LED1", "B13", "B14", "B3", "B4", "B5", "B6", "B7", "A8"];
    const g: Record<string, unknown> = {
      USB: {
        write(s: string) {
          self.out += s;
        },
        on(ev: string, cb: (d: string) => void) {
          if (ev === "data") self.onData = cb;
        },
        isConnected: () => true,
      },
      LoopbackA: {
        setConsole() {
          self.consoleMoved = true;
        },
      },
      E: {
        CRC32: (s: string) => crc32(s) | 0,
        enableWatchdog(s: number) {
          self.watchdogS = s;
        },
      },
      getTime: () => self.nowMs / 1000,
      setTimeout(fn: () => void, ms: number) {
        const t = { id: self.nextId++, atMs: self.nowMs + Math.max(ms, 0), fn };
        self.timers.push(t);
        return t.id;
      },
      clearTimeout(id: number) {
        self.timers = self.timers.filter((t) => t.id !== id);
      },
      digitalWrite(pin: string, v: boolean | number) {
        (self.pins[pin] ??= []).push(v ? 1 : 0);
      },
      analogWrite(pin: string, v: number) {
        (self.pins[pin] ??= []).push(v > 0 ? 1 : 0);
      },
      SPI1: { setup() {}, send: (d: ArrayLike<number>) => new Uint8Array(d.length) },
      ...globals,
    };
    for (const p of pinNames) g[p] = p;
    g.require = (name: string) => {
      if (name !== "Storage") throw new Error("no module " + name);
      return { read: (n: string) => self.storage.get(n), write: (n: string, d: string) => (self.storage.set(n, d), true) };
    };
    g.global = g;
    this.context = vm.createContext(g);
  }

  load(code: string): void {
    vm.runInContext(code, this.context);
  }

  /** Runs timers in time order until `toMs` (virtual). */
  run(toMs: number): void {
    for (;;) {
      this.timers.sort((a, b) => a.atMs - b.atMs || a.id - b.id);
      const t = this.timers[0];
      if (!t || t.atMs > toMs) break;
      this.timers.shift();
      this.nowMs = t.atMs;
      t.fn();
    }
    this.nowMs = toMs;
  }

  /** Bytes from the host. */
  send(msg: HostMessage): void {
    this.onData!(encode(msg));
  }

  /** Decoded device lines written since the last take. Undecodable lines throw. */
  take(): DeviceMessage[] {
    const lines = this.out.split("\n").filter((l) => l.length > 0);
    this.out = "";
    return lines.map((l) => {
      const r = decode(l);
      if (!r.ok) throw new Error("bundle wrote a bad line " + JSON.stringify(l) + ": " + r.code);
      return r.msg as DeviceMessage;
    });
  }
}
