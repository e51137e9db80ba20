// Command-line options of the Node device (device/node/main.ts), parsed and checked with one-line errors.
import { parseArgs } from "node:util";
import type { ChannelSpec } from "../link/channel-spec";
import type { SpiAddress } from "./spi-bus";

export const USAGE = `usage: node --import tsx device/node/main.ts --port <tty> [--source sim|chips] [--channels <list>]
       [--rate <Hz>] [--id <deviceId>] [--state <file>] [--baud <n>] [--time-scale <1..1000>] [--spi-hz <n>]
  --source sim     built-in synthetic source (default channels canal:nerve,foramen:nerve,zone:ablation,ref:reference)
  --source chips   MAX31855 / MAX31856 on Linux spidev (needs the optional package spi-device)
  --channels       comma-separated label:role[:tc:chip:bus.device], e.g.
                   canal:nerve:T:MAX31855:0.0,zone:ablation:K:MAX31856:0.1`;

/** Parsed options, or an error line. */
export type CliResult = { ok: true; options: CliOptions } | { ok: false; error: string };

export interface CliOptions {
  port: string;
  source: "sim" | "chips";
  channels: ChannelSpec[];
  spi: SpiAddress[];
  rateHz: number;
  deviceId: string;
  statePath?: string;
  baudRate: number;
  timeScale: number;
  spiHz: number;
}

function int(v: string | undefined, name: string, min: number, max: number, dflt: number): number | string {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) return `--${name} must be an integer ${min}..${max} (got ${v})`;
  return n;
}

/** Parses argv (without node and script). Never throws. */
export function parseCli(argv: string[]): CliResult {
  let v: Record<string, string | boolean | undefined>;
  try {
    v = parseArgs({
      args: argv,
      options: {
        port: { type: "string" }, source: { type: "string" }, channels: { type: "string" }, rate: { type: "string" }, id: { type: "string" },
        state: { type: "string" }, baud: { type: "string" }, "time-scale": { type: "string" }, "spi-hz": { type: "string" }, help: { type: "boolean" },
      },
      strict: true,
    }).values;
  } catch (e) {
    return { ok: false, error: (e as Error).message.split("\n")[0] };
  }
  if (v.help) return { ok: false, error: USAGE };
  if (typeof v.port !== "string" || !v.port) return { ok: false, error: "--port is required (e.g. /dev/ttyGS0)" };
  const source = (v.source as string | undefined) ?? "sim";
  if (source !== "sim" && source !== "chips" && source !== "max31855" && source !== "max31856") return { ok: false, error: `--source must be sim or chips (got ${source})` };
  const chips = source !== "sim";
  const list = (v.channels as string | undefined) ?? (chips ? "" : "canal:nerve,foramen:nerve,zone:ablation,ref:reference");
  if (!list) return { ok: false, error: "--channels is required with --source chips (label:role:tc:chip:bus.device,...)" };
  const channels: ChannelSpec[] = [];
  const spi: SpiAddress[] = [];
  for (const item of list.split(",")) {
    const p = item.split(":");
    const [label, role] = p;
    if (!label || !/^[\x20-\x7e]{1,16}$/.test(label) || /[$*\\]/.test(label)) return { ok: false, error: `--channels: bad label in "${item}" (1-16 printable chars)` };
    if (role !== "nerve" && role !== "ablation" && role !== "reference") return { ok: false, error: `--channels: role in "${item}" must be nerve, ablation or reference` };
    if (!chips) {
      channels.push({ label, role, tc: "SIM", chip: "SIM" });
      continue;
    }
    const tc = p[2];
    const chip = p[3] ?? (source === "max31856" ? "MAX31856" : "MAX31855");
    const addr = /^(\d+)\.(\d+)$/.exec(p[4] ?? "");
    if (tc !== "K" && tc !== "T") return { ok: false, error: `--channels: thermocouple type in "${item}" must be K or T` };
    if (chip !== "MAX31855" && chip !== "MAX31856") return { ok: false, error: `--channels: chip in "${item}" must be MAX31855 or MAX31856` };
    if (!addr) return { ok: false, error: `--channels: "${item}" needs the spidev address bus.device, e.g. 0.1` };
    channels.push({ label, role, tc, chip });
    spi.push({ bus: Number(addr[1]), device: Number(addr[2]), chip });
  }
  if (channels.length < 1 || channels.length > 8) return { ok: false, error: "--channels must list 1..8 channels" };
  const rate = int(v.rate as string | undefined, "rate", 1, 20, 10);
  const baud = int(v.baud as string | undefined, "baud", 300, 4000000, 115200);
  const scale = int(v["time-scale"] as string | undefined, "time-scale", 1, 1000, 1);
  const spiHz = int(v["spi-hz"] as string | undefined, "spi-hz", 10000, 5000000, 1000000);
  for (const x of [rate, baud, scale, spiHz]) if (typeof x === "string") return { ok: false, error: x };
  const id = (v.id as string | undefined) ?? "TG-NODE";
  if (!/^[\x20-\x7e]{1,16}$/.test(id) || /[$,*\\]/.test(id)) return { ok: false, error: "--id must be 1-16 printable chars without $ , * \\" };
  return {
    ok: true,
    options: {
      port: v.port, source: chips ? "chips" : "sim", channels, spi, rateHz: rate as number, deviceId: id, statePath: v.state as string | undefined,
      baudRate: baud as number, timeScale: scale as number, spiHz: spiHz as number,
    },
  };
}
