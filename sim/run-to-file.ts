// Runs a scenario headless as fast as the CPU allows and writes what the probes read (and the tissue truth) as CSV.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { ChipSource } from "./chip-source";
import type { SimSource } from "./sim-source";
import { MAX_SIM_DURATION_S } from "./sim-limits";

export interface RunToFileResult {
  samples: number;
  durationS: number;
  /** Per channel: highest reading and seconds at or above 42 degC (from the readings, sample-and-hold). */
  channels: { label: string; peakC: number; above42S: number }[];
}

/**
 * Samples `sim` through the chip decoders at `rateHz` for `durationS` of scenario time and writes
 * `time_s,<label>...` rows (a faulted reading is an empty cell), so the output is itself a replay
 * trace for `thermoguard sim`. With `truth`, `true_<label>` columns add the tissue temperature.
 * Rejects (code SIM_DURATION_RANGE, before creating the file) a duration outside 0..MAX_SIM_DURATION_S.
 */
export async function runToFile(sim: SimSource, outPath: string, opts: { rateHz?: number; durationS?: number; truth?: boolean; onProgress?: (doneS: number) => void } = {}): Promise<RunToFileResult> {
  const rateHz = opts.rateHz ?? 10;
  const durationS = opts.durationS ?? sim.durationS;
  if (!(durationS > 0 && durationS <= MAX_SIM_DURATION_S)) {
    throw Object.assign(new RangeError(`runToFile: durationS ${durationS} is outside 0..${MAX_SIM_DURATION_S} s`), { code: "SIM_DURATION_RANGE" as const });
  }
  const n = sim.channelCount;
  const src = new ChipSource(sim);
  const t = new Float64Array(n);
  const f = new Uint8Array(n);
  const truth = new Float64Array(n);
  const out = createWriteStream(outPath);
  const labels = sim.channels.map((c) => c.label);
  out.write(["time_s", ...labels, ...(opts.truth ? labels.map((l) => "true_" + l) : [])].join(",") + "\n");
  const stats = labels.map((label) => ({ label, peakC: -Infinity, above42S: 0 }));
  const total = Math.floor(durationS * rateHz);
  for (let i = 0; i <= total; i++) {
    const ms = Math.round((i * 1000) / rateHz);
    src.read(ms, t, f);
    sim.trueTemperatures(ms, truth);
    const cells: string[] = [(ms / 1000).toFixed(3)];
    for (let c = 0; c < n; c++) {
      if (f[c]) cells.push("");
      else {
        cells.push(t[c].toFixed(2));
        if (t[c] > stats[c].peakC) stats[c].peakC = t[c];
        if (t[c] >= 42 && i < total) stats[c].above42S += 1 / rateHz;
      }
    }
    if (opts.truth) for (let c = 0; c < n; c++) cells.push(Number.isNaN(truth[c]) ? "" : truth[c].toFixed(3));
    if (!out.write(cells.join(",") + "\n")) await once(out, "drain");
    if (opts.onProgress && i % (rateHz * 10) === 0) opts.onProgress(ms / 1000);
  }
  out.end();
  await once(out, "finish");
  return { samples: total + 1, durationS, channels: stats };
}
