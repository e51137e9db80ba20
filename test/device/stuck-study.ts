// How long a live channel of the sensor model reads exactly the same value: the basis of STUCK_MIN_MS.
//
// Run: node --import tsx test/device/stuck-study.ts [seeds]   (deterministic: seeds 1..N)
import { fileURLToPath } from "node:url";
import { FAULT_NONE } from "../../device/source";
import { listScenarios, loadScenarioByName } from "../../sim/scenario/load-scenario";
import { SimSource } from "../../sim/sim-source";

const PERIOD_MS = 100;

/** Longest run of one channel reading exactly the same number. */
export interface ConstantRun {
  scenario: string;
  seed: number;
  label: string;
  chip: string;
  /** Longest time (ms) the reading stayed exactly equal (from its first to its last sample). */
  longestMs: number;
  /** Where that run ended (ms). */
  atMs: number;
}

/** Scenarios whose sensor has noise on every channel (synthetic-step models an ideal, noiseless chip). */
export function noisyScenarios(): string[] {
  return listScenarios().filter((name) => {
    const s = loadScenarioByName(name).scenario;
    return s.sensor.noiseC !== 0 && s.channels.every((c) => c.noiseC !== 0);
  });
}

/** Longest constant run of every channel of `name`, seed by seed, over the scenario's duration. */
export function constantRuns(name: string, seeds: readonly number[]): ConstantRun[] {
  const out: ConstantRun[] = [];
  for (const seed of seeds) {
    const sim = SimSource.fromName(name, { startMs: 0, seed });
    const n = sim.channelCount;
    const t = new Float64Array(n);
    const f = new Uint8Array(n);
    const last = new Float64Array(n).fill(NaN);
    const since = new Float64Array(n);
    const best = new Float64Array(n);
    const bestAt = new Float64Array(n);
    const endMs = Math.round(sim.durationS * 1000);
    for (let ms = 0; ms <= endMs; ms += PERIOD_MS) {
      sim.read(ms, t, f);
      for (let ch = 0; ch < n; ch++) {
        if (f[ch] !== FAULT_NONE || t[ch] !== last[ch]) {
          since[ch] = ms;
          last[ch] = f[ch] === FAULT_NONE ? t[ch] : NaN;
        } else if (ms - since[ch] > best[ch]) {
          best[ch] = ms - since[ch];
          bestAt[ch] = ms;
        }
      }
    }
    for (let ch = 0; ch < n; ch++) {
      out.push({ scenario: name, seed, label: sim.channels[ch].label, chip: sim.channels[ch].chip, longestMs: best[ch], atMs: bestAt[ch] });
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 20);
  const seeds = Array.from({ length: n }, (_, i) => i + 1);
  console.log(`seeds 1..${n}; longest time a channel reads exactly the same value (ms), worst seed:\n`);
  for (const name of noisyScenarios()) {
    const runs = constantRuns(name, seeds);
    const byLabel = new Map<string, ConstantRun>();
    for (const r of runs) if (!byLabel.has(r.label) || r.longestMs > byLabel.get(r.label)!.longestMs) byLabel.set(r.label, r);
    console.log(`- ${name}: ` + [...byLabel.values()].map((r) => `${r.label} (${r.chip}) ${r.longestMs} (seed ${r.seed}, ends ${r.atMs})`).join("; "));
  }
}
