// The virtual device: the real device runtime (Node target) fed by the simulator through the chip decoders, on a real pty.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startNodeDevice } from "../device/node/node-device";
import { ChipSource } from "./chip-source";
import { openPtyPair, type PtyPair } from "./pty-pair";
import { readCsvFile } from "./scenario/load-scenario";
import { SimSource } from "./sim-source";

export interface VirtualDeviceOptions {
  /** Shipped scenario name (e.g. "spinal-mwa-cooled"), a scenario .json path, or a CSV trace path. */
  scenario: string;
  /** Simulated seconds per wall second, 1..1000 (device, tissue model and timestamps together). Default 1. */
  timeScale?: number;
  /** Overrides the scenario's sensor seed. */
  seed?: number;
  /** An already loaded source (from loadSimSource) to play instead of loading `scenario` again. */
  sim?: SimSource;
  /** Sample rate, Hz (1..20). Default 10. */
  rateHz?: number;
  /** Device id reported in HI. Default "VIRTUAL-01". */
  deviceId?: string;
  /**
   * Holds the device's clock (and so the scenario) at 0 until the host's first HELLO, so every
   * sample from t = 0 reaches a bridge started after the device. First start only: after an
   * unplug the device reboots and samples at once, as a real one does. Default false.
   */
  holdUntilHost?: boolean;
  /** Above x1, slows the simulation while the host is not keeping up instead of dropping readings. Default false. */
  paceToHost?: boolean;
  /** Folder for the pty links and the device's persisted state; a temporary one when absent. */
  dir?: string;
  log?: (msg: string) => void;
}

export interface VirtualDevice {
  /** The tty the host opens (stable across stop/start). */
  readonly hostPath: string;
  /** The simulated source (true temperatures, events) of the current run. */
  readonly sim: SimSource;
  /** Unplugs: stops the device runtime and removes the pty pair (the host sees the port vanish). */
  stop(): Promise<void>;
  /** Plugs back in: same paths, the device reboots (new boot id) and restores its doses from its state file. */
  start(): Promise<void>;
  /** Stops and deletes the temporary folder. */
  close(): Promise<void>;
  /** Device time, ms (simulated), or -1 while unplugged. */
  nowMs(): number;
}

/** Loads a scenario name, scenario file or CSV trace into a SimSource whose time is the device time. */
export async function loadSimSource(scenario: string, seed?: number): Promise<SimSource> {
  const opts = { seed, timeScale: 1 };
  if (scenario.toLowerCase().endsWith(".csv")) {
    return SimSource.fromCsv(readCsvFile(scenario, "trace"), { ...opts, name: path.basename(scenario) });
  }
  if (scenario.includes("/") || scenario.toLowerCase().endsWith(".json")) return SimSource.fromFile(scenario, opts);
  return SimSource.fromName(scenario, opts);
}

/** Starts a virtual device on a fresh pty pair. The scenario starts at the device's first sample. */
export async function startVirtualDevice(options: VirtualDeviceOptions): Promise<VirtualDevice> {
  const ownDir = !options.dir;
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), "thermoguard-vdev-")));
  if (!ownDir) await mkdir(dir, { recursive: true });
  const sim = options.sim ?? (await loadSimSource(options.scenario, options.seed));
  const source = new ChipSource(sim);
  let pty: PtyPair | undefined;
  let device: Awaited<ReturnType<typeof startNodeDevice>> | undefined;
  const hostPath = path.join(dir, "ttyTG0");
  let firstStart = true;

  async function start(): Promise<void> {
    if (device) return;
    pty = await openPtyPair({ dir, deviceName: "device-end", hostName: "ttyTG0" });
    // After a reboot the device clock restarts at 0; the tissue carries on from where it was.
    source.timeOffsetMs = source.lastSimMs < 0 ? 0 : source.lastSimMs + 1;
    device = await startNodeDevice({
      portPath: pty.devicePath,
      source,
      channels: sim.channels.map((c) => ({ label: c.label, role: c.role, tc: c.thermocouple, chip: c.chip })),
      rateHz: options.rateHz ?? 10,
      deviceId: options.deviceId ?? "VIRTUAL-01",
      statePath: path.join(dir, "device-state.json"),
      timeScale: options.timeScale ?? 1,
      startOnFirstInput: firstStart && options.holdUntilHost === true,
      paceToHost: options.paceToHost,
      log: options.log,
    });
    firstStart = false;
  }

  async function stop(): Promise<void> {
    const d = device;
    const p = pty;
    device = undefined;
    pty = undefined;
    if (d) await d.stop();
    if (p) await p.close();
  }

  await start();
  return {
    hostPath,
    sim,
    stop,
    start,
    async close() {
      await stop();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
    nowMs: () => (device ? device.nowMs() : -1),
  };
}
