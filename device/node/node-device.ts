// Node target: the device runtime on a serial port path (USB gadget /dev/ttyGS0, a tty, a pty), file persistence, scaled time.
import { randomBytes } from "node:crypto";
import { SerialPort } from "serialport";
import type { LimitValues } from "../../protocol/limits";
import type { Outputs } from "../core/annunciator";
import type { Store } from "../core/snapshot";
import type { ChannelSpec } from "../link/channel-spec";
import { DeviceRuntime } from "../runtime/device-runtime";
import type { SampleSource } from "../source";
import { DeviceClock } from "./device-clock";
import { FileStore } from "./file-store";
import { SerialTx } from "./serial-tx";

/** Options of startNodeDevice. The first block is the API the virtual device (sim/) relies on. */
export interface NodeDeviceOptions {
  /** Serial port path: /dev/ttyGS0 (USB gadget), /dev/ttyACM0, a pty from socat, ... */
  portPath: string;
  /** Baud rate (default 115200; ignored by USB CDC and ptys). */
  baudRate?: number;
  /** Where the temperatures come from; its channelCount must equal channels.length. */
  source: SampleSource;
  /** The channels, in order (1..8). */
  channels: ChannelSpec[];
  /** Sample rate, integer 1..20 Hz (default 10). */
  rateHz?: number;
  /** Device id in HI (1-16 chars; default "TG-NODE"). */
  deviceId?: string;
  /** File for the persisted doses / limits / latched alarms (written atomically). None: nothing persists. */
  statePath?: string;
  /**
   * 1..1000 (default 1). Above 1, device time is simulated and runs this many times faster than wall
   * time: sample instants, tMs on the wire and the source's nowMs all scale together, samples are
   * never skipped, and a wall-clock stall only slows the run (see device-clock.ts).
   */
  timeScale?: number;
  /** Local LED / buzzer / interlock (default: none). */
  outputs?: Outputs;
  /** Diagnostics (port opened / lost, restore, errors). */
  log?: (msg: string) => void;

  /** Limits at first boot (a restored snapshot overrides them). Default: protocol DEFAULT_LIMITS. */
  limits?: LimitValues;
  /** Persistence other than a file (overrides statePath), e.g. an in-memory store in tests. */
  store?: Store;
  /** Boot id (default: random). */
  bootId?: number;
  /** Seconds of readings held for RESEND (default 600 = 10 min, PROTOCOL.md section 6). */
  ringSeconds?: number;
  /** Transmit backlog (bytes) at which readings are dropped (default 4096). */
  txHighWaterBytes?: number;
  /** Transmit backlog (bytes) above which nothing but queued alarms waits (default 16384). */
  txHardLimitBytes?: number;
  /**
   * Alarm retransmission interval in device ms. Default 500 (PROTOCOL.md); with timeScale > 50
   * the default is 10 ms of wall time (10 x timeScale device ms) so a fast run does not flood the link.
   */
  retransmitMs?: number;
  /** Resent readings written per sample tick (default 20). */
  resendPerTick?: number;
  /**
   * Holds device time at 0 (no sample taken) until the first bytes from the host (its HELLO) arrive,
   * so a replayed trace starts when a host listens. Default false: time starts when the port opens.
   */
  startOnFirstInput?: boolean;
  /**
   * timeScale > 1 only: holds simulated time while the host is not keeping up (transmit backlog at
   * half of txHighWaterBytes or more), so a fast replay slows down instead of dropping readings.
   * Default false: a slow host costs dropped readings, as on a real device.
   */
  paceToHost?: boolean;
}

/** Counters of a running Node device (a fresh copy on each read of `stats`). */
export interface NodeDeviceStats {
  samples: number;
  missed: number;
  dropped: number;
  badRx: number;
  retx: number;
  spikes: number;
  /** Alarms present (active or latched). */
  alarms: number;
  /** Next R seq (= readings taken) and next A seq. */
  readSeq: number;
  alarmSeq: number;
  /** Transmit backlog in bytes (Infinity while the port is closed). */
  txBacklog: number;
  /** Bytes written to the port. */
  txBytes: number;
  sourceErrors: number;
  restored: boolean;
  session: string;
  portOpen: boolean;
}

export interface NodeDevice {
  /** Stops sampling, saves the state, closes the port. */
  stop(): Promise<void>;
  readonly stats: NodeDeviceStats;
  /** Device time (ms since boot; simulated when timeScale > 1). */
  nowMs(): number;
  /** The runtime itself (monitor, link) for diagnostics and tests. */
  readonly runtime: DeviceRuntime;
}

/** An error with a stable code (style.md rule 9). */
export interface NodeDeviceError extends Error {
  code: "BAD_OPTION" | "PORT_OPEN_FAILED";
}

function optionError(name: string, why: string): NodeDeviceError {
  return Object.assign(new Error("startNodeDevice: option " + name + " " + why), { code: "BAD_OPTION" as const });
}

/** Most events processed per wake in simulated time before yielding to I/O. */
const MAX_EVENTS_PER_WAKE = 2000;
/** With paceToHost: wall ms between looks at a transmit backlog that holds simulated time. */
const PACE_RETRY_MS = 5;
/** Delay between attempts to reopen a port that went away (wall ms). */
const REOPEN_DELAY_MS = 1000;

function openPort(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, autoOpen: false });
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

function checkOptions(o: NodeDeviceOptions): void {
  if (typeof o.portPath !== "string" || o.portPath.length === 0) throw optionError("portPath", "must be a path");
  if (!o.source || typeof o.source.read !== "function") throw optionError("source", "must be a SampleSource");
  if (!Array.isArray(o.channels) || o.channels.length < 1 || o.channels.length > 8) throw optionError("channels", "must list 1..8 channels");
  if (o.source.channelCount !== o.channels.length) throw optionError("channels", `lists ${o.channels.length} channels but the source has ${o.source.channelCount}`);
  for (const c of o.channels) {
    if (typeof c.label !== "string" || !/^[\x20-\x7e]{1,16}$/.test(c.label) || /[$,*\\]/.test(c.label)) throw optionError("channels", `label ${JSON.stringify(c.label)} must be 1-16 printable chars without $ , * \\`);
    if (!["nerve", "ablation", "reference"].includes(c.role)) throw optionError("channels", `role ${c.role} is not nerve|ablation|reference`);
    if (!["K", "T", "SIM"].includes(c.tc)) throw optionError("channels", `tc ${c.tc} is not K|T|SIM`);
    if (!["MAX31855", "MAX31856", "SIM"].includes(c.chip)) throw optionError("channels", `chip ${c.chip} is not MAX31855|MAX31856|SIM`);
  }
  const rate = o.rateHz ?? 10;
  if (!Number.isInteger(rate) || rate < 1 || rate > 20) throw optionError("rateHz", "must be an integer 1..20");
  const scale = o.timeScale ?? 1;
  if (!(scale >= 1 && scale <= 1000)) throw optionError("timeScale", "must be 1..1000");
  const id = o.deviceId ?? "TG-NODE";
  if (!/^[\x20-\x7e]{1,16}$/.test(id) || /[$,*\\]/.test(id)) throw optionError("deviceId", "must be 1-16 printable chars without $ , * \\");
}

/**
 * Starts the device on a serial port. Resolves once the port is open and the boot lines
 * (HI, CH, LM) are written; rejects with code PORT_OPEN_FAILED when the port cannot be opened
 * and BAD_OPTION for a wrong option (the message names it). If the port goes away later the
 * device keeps sampling and alarming locally, counts readings as dropped, and reopens the path
 * every second.
 */
export async function startNodeDevice(options: NodeDeviceOptions): Promise<NodeDevice> {
  checkOptions(options);
  const log = options.log ?? (() => {});
  const rateHz = options.rateHz ?? 10;
  const baudRate = options.baudRate ?? 115200;
  const timeScale = options.timeScale ?? 1;
  const tx = new SerialTx();
  let port: SerialPort;
  try {
    port = await openPort(options.portPath, baudRate);
  } catch (e) {
    throw Object.assign(new Error(`cannot open serial port ${options.portPath}: ${(e as Error).message}`), { code: "PORT_OPEN_FAILED" as const });
  }
  tx.attach(port);
  const store = options.store ?? (options.statePath ? new FileStore(options.statePath) : undefined);
  let clock = new DeviceClock(timeScale); // device time 0 = boot, once the port is open (or at the host's first bytes)
  let held = options.startOnFirstInput === true;
  const rt = new DeviceRuntime({
    source: options.source,
    channels: options.channels,
    tx,
    rateHz,
    deviceId: options.deviceId ?? "TG-NODE",
    bootId: options.bootId ?? randomBytes(4).readUInt32BE(0),
    store,
    outputs: options.outputs,
    limits: options.limits,
    ringCapacity: Math.max(128, Math.round((options.ringSeconds ?? 600) * rateHz)),
    alarmQueueCapacity: 64,
    resendPerTick: options.resendPerTick ?? 20,
    txHighWaterBytes: options.txHighWaterBytes ?? 4096,
    txHardLimitBytes: options.txHardLimitBytes ?? 16384,
    retransmitMs: options.retransmitMs ?? Math.max(500, 10 * timeScale),
  }, 0);
  if (rt.monitor.restored) log(`restored session ${rt.monitor.session} from ${options.statePath ?? "the store"}`);
  log(`device ${options.deviceId ?? "TG-NODE"} on ${options.portPath}, ${options.channels.length} channels at ${rateHz} Hz, timeScale ${timeScale}`);

  const paceBytes = options.paceToHost === true ? Math.floor((options.txHighWaterBytes ?? 4096) / 2) : Infinity;
  let paced = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  clock.nextEventMs = 0;

  function pump(): boolean {
    if (!clock.simulated) {
      const now = clock.nowMs();
      clock.nextEventMs = now + rt.tick(now);
      return false;
    }
    const target = clock.targetMs();
    for (let n = 0; n < MAX_EVENTS_PER_WAKE; n++) {
      if (clock.nextEventMs > target) return false;
      const backlog = tx.backlog();
      paced = backlog !== Infinity && backlog >= paceBytes;
      if (paced) return false;
      const t = clock.advanceTo(Math.ceil(clock.nextEventMs));
      const sleep = rt.tick(t);
      clock.nextEventMs = t + (sleep > 0 ? sleep : 0);
    }
    return true;
  }

  function loop(): void {
    timer = undefined;
    immediate = undefined;
    if (stopped) return;
    let behind = false;
    try {
      behind = pump();
    } catch (e) {
      log(`device loop error: ${(e as Error).stack ?? e}`);
    }
    if (behind) immediate = setImmediate(loop);
    else timer = setTimeout(loop, paced ? PACE_RETRY_MS : Math.max(0, clock.wallDelayTo(clock.nextEventMs)));
  }

  function wake(): void {
    if (timer) clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
    loop();
  }

  function onData(buf: Buffer): void {
    if (stopped) return;
    if (held) {
      held = false;
      clock = new DeviceClock(timeScale);
      rt.receive(buf.toString("latin1"), 0);
      wake();
      return;
    }
    if (clock.simulated) pump();
    rt.receive(buf.toString("latin1"), clock.nowMs());
    wake();
  }

  let reopenTimer: NodeJS.Timeout | undefined;
  function watch(p: SerialPort): void {
    p.on("data", onData);
    p.on("error", (e) => log(`serial port error: ${e.message}`));
    p.on("close", () => {
      if (stopped) return;
      tx.attach(undefined);
      log(`serial port ${options.portPath} closed; sampling continues, reopening every ${REOPEN_DELAY_MS} ms`);
      reopenTimer = setTimeout(reopen, REOPEN_DELAY_MS);
    });
  }
  function reopen(): void {
    reopenTimer = undefined;
    if (stopped) return;
    openPort(options.portPath, baudRate).then(
      (p) => {
        if (stopped) {
          p.close(() => {});
          return;
        }
        port = p;
        tx.attach(p);
        watch(p);
        log(`serial port ${options.portPath} reopened`);
      },
      () => {
        if (!stopped) reopenTimer = setTimeout(reopen, REOPEN_DELAY_MS);
      },
    );
  }
  watch(port);
  if (!held) loop();

  return {
    runtime: rt,
    nowMs: () => (held ? 0 : clock.nowMs()),
    get stats(): NodeDeviceStats {
      const m = rt.monitor;
      const l = rt.link;
      return {
        samples: m.samples, missed: m.missed, dropped: l.gate.dropped, badRx: l.badRx(), retx: l.retx, spikes: m.filter.spikes,
        alarms: m.engine.present, readSeq: l.ring.nextSeq, alarmSeq: l.alarmSeq, txBacklog: tx.backlog(), txBytes: tx.writtenBytes,
        sourceErrors: rt.sourceErrors, restored: m.restored, session: m.session, portOpen: port.isOpen,
      };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      if (reopenTimer) clearTimeout(reopenTimer);
      try {
        rt.save(held ? 0 : clock.nowMs());
      } catch (e) {
        log(`final save failed: ${(e as Error).message}`);
      }
      tx.attach(undefined);
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
}
