// Plausibility study: STOP on two consecutive samples vs a tighter one-sample allowance, over many seeds of the sensor model's EMI.
//
// Run: node --import tsx test/device/plausibility-study.ts [seeds]   (deterministic: seeds 1..N)
import { fileURLToPath } from "node:url";
import { DEFAULT_LIMITS } from "../../protocol/limits";
import { TEMP_HYSTERESIS_CC } from "../../device/core/core-constants";
import { DoseIntegrator } from "../../device/core/dose-integrator";
import { stepChannels } from "../../device/core/channel-step";
import { SampleFilter } from "../../device/core/sample-filter";
import { StuckDetector } from "../../device/core/stuck-detector";
import { FAULT_NONE } from "../../device/source";
import { loadScenarioByName, listScenarios, type LoadedScenario } from "../../sim/scenario/load-scenario";
import type { ScenarioInput } from "../../sim/scenario/scenario-schema";
import { SimSource } from "../../sim/sim-source";

const PERIOD_MS = 100;

/** One way of deciding STOP: the filter's fixed allowance (cC) and whether STOP needs two consecutive samples. */
export interface Rule {
  readonly name: string;
  readonly jumpCc: number;
  readonly stopPair: boolean;
}

/** The shipped rule (A) and the alternatives (B: tighter allowance, one-sample STOP; today's allowance with one-sample STOP). */
export const RULES: readonly Rule[] = [
  { name: "A: 1.0 degC + 2 degC/s, STOP on 2 consecutive samples", jumpCc: 100, stopPair: true },
  { name: "B: 1.0 degC + 2 degC/s, STOP on 1 sample", jumpCc: 100, stopPair: false },
  { name: "B: 0.7 degC + 2 degC/s, STOP on 1 sample", jumpCc: 70, stopPair: false },
  { name: "B: 0.5 degC + 2 degC/s, STOP on 1 sample", jumpCc: 50, stopPair: false },
  { name: "B: 0.3 degC + 2 degC/s, STOP on 1 sample", jumpCc: 30, stopPair: false },
];

/** Figures of one rule over a set of runs. */
export interface RuleFigures {
  rule: Rule;
  /** Nerve channels played (runs x nerve channels). */
  channels: number;
  /** STOP / INTERVENE activations on a sample whose true tissue temperature is below the limit. */
  stopBelow: number;
  interveneBelow: number;
  /** ... more than 0.5 degC below it (beyond what lag, drift, noise and quantisation explain). */
  stopGross: number;
  interveneGross: number;
  /** Channels whose tissue never reaches the limit but which got the alarm (a false latch). */
  stopFalseLatch: number;
  interveneFalseLatch: number;
  /** Per channel that truly crosses: first activation minus the first sample whose true temperature is at or above the limit (ms). */
  stopDelayMs: number[];
  interveneDelayMs: number[];
  /** ... minus the first sample whose reading without EMI (same seed, same noise) is at or above it: what the rule adds. */
  stopAddedMs: number[];
  /** Committed dose samples more than 1 degC above the same sensor's reading without EMI (pick-up that entered the dose). */
  doseWrong: number;
  /** Worst CEM43 excess over the same sensor's dose without EMI, on channels whose tissue dose stays below 16.5 CEM43. */
  cemExcessMax: number;
  /** STOP / INTERVENE activations more than 0.5 degC below the limit, or on a channel that never reaches it: what, where. */
  notes: string[];
}

/** A set of runs: a scenario (or an inline trace) with the seeds to play, and how long. */
export interface RunSet {
  readonly label: string;
  readonly loaded: LoadedScenario;
  readonly seeds: readonly number[];
  readonly endMs: number;
}

function withoutEmi(loaded: LoadedScenario): LoadedScenario {
  const s = loaded.scenario;
  return { ...loaded, scenario: { ...s, sensor: { ...s.sensor, emi: { ...s.sensor.emi, probability: 0 } } } };
}

function withEmi(loaded: LoadedScenario, minC: number, maxC: number): LoadedScenario {
  const s = loaded.scenario;
  return { ...loaded, scenario: { ...s, sensor: { ...s.sensor, emi: { ...s.sensor.emi, minC, maxC } } } };
}

/**
 * A nerve probe (K / MAX31855, default noise and drift, time constant `tauS`) ramping 41 -> 49 degC
 * at `rateCPerS` through 42 and 45 degC, generator on (EMI 2 % of samples, 2-20 degC).
 */
export function rampScenario(rateCPerS: number, tauS: number): LoadedScenario {
  const startS = 20;
  const endS = startS + 8 / rateCPerS;
  const input = {
    kind: "trace", name: "ramp-study", description: `41 -> 49 degC at ${rateCPerS} degC/s`, durationS: endS + 10,
    channels: [{ label: "nerve", role: "nerve", thermocouple: "K", chip: "MAX31855", timeConstantS: tauS }],
    keyframes: { nerve: [[0, 41], [startS, 41], [endS, 49], [endS + 10, 49]] },
    generatorOn: [[0, endS + 10]],
    sensor: { seed: 1, emi: { probability: 0.02, minC: 2, maxC: 20 } },
  } as ScenarioInput;
  const src = SimSource.fromScenario(input);
  return { scenario: src.scenario };
}

function seeds(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** The study's run sets for `n` seeds each (long scenarios get n / 5). */
export function studySets(n: number): RunSet[] {
  const sets: RunSet[] = [];
  for (const name of listScenarios()) {
    const loaded = loadScenarioByName(name);
    const endMs = Math.round(loaded.scenario.durationS * 1000);
    sets.push({ label: name, loaded, seeds: seeds(endMs > 1_000_000 ? Math.max(1, Math.round(n / 5)) : n), endMs });
  }
  for (const name of ["spinal-mwa-cooled", "spinal-mwa-overshoot", "spinal-mwa-safe"]) {
    const loaded = withEmi(loadScenarioByName(name), 0.5, 2);
    sets.push({ label: `${name}, small pick-up 0.5-2 degC`, loaded, seeds: seeds(n), endMs: 480000 });
  }
  for (const tauS of [0.5, 0.05]) {
    for (const rate of [0.13, 1, 5, 20]) {
      const loaded = rampScenario(rate, tauS);
      sets.push({ label: `ramp 41 -> 49 degC at ${rate} degC/s, tau ${tauS} s`, loaded, seeds: seeds(n), endMs: Math.round(loaded.scenario.durationS * 1000) });
    }
  }
  return sets;
}

interface RuleState {
  filter: SampleFilter;
  /** Not read by the study: the per-channel pass updates it with the filter. */
  stuck: StuckDetector;
  doses: DoseIntegrator;
  stop: Uint8Array;
  itv: Uint8Array;
  firstStop: Float64Array;
  firstItv: Float64Array;
}

function emptyFigures(rule: Rule): RuleFigures {
  return {
    rule, channels: 0, stopBelow: 0, interveneBelow: 0, stopGross: 0, interveneGross: 0, stopFalseLatch: 0, interveneFalseLatch: 0,
    stopDelayMs: [], interveneDelayMs: [], stopAddedMs: [], doseWrong: 0, cemExcessMax: 0, notes: [],
  };
}

/** CEM43 per ms at tempC (Sapareto & Dewey 1984). */
function cemPerMs(tempC: number): number {
  return Math.pow(tempC >= 43 ? 0.5 : 0.25, 43 - tempC) / 60000;
}

/** Plays one run set under every rule; adds to `figs` (index = rule). */
export function playSet(set: RunSet, rules: readonly Rule[], figs: RuleFigures[]): void {
  const stopCc = DEFAULT_LIMITS.stopCc;
  const itvCc = DEFAULT_LIMITS.interveneCc;
  const hyst = TEMP_HYSTERESIS_CC;
  const clean = withoutEmi(set.loaded);
  for (const seed of set.seeds) {
    const sim = new SimSource(set.loaded, { startMs: 0, seed });
    const cleanSim = new SimSource(clean, { startMs: 0, seed });
    const n = sim.channelCount;
    const nerve = sim.channels.map((c) => c.role === "nerve");
    const roles = new Uint8Array(n);
    for (let ch = 0; ch < n; ch++) roles[ch] = nerve[ch] ? 0 : 1;
    const cleanFilter = new SampleFilter(n);
    const cleanDoses = new DoseIntegrator(n, roles);
    const cleanStuck = new StuckDetector(n);
    const prevClean = new Float64Array(n);
    const states: RuleState[] = rules.map((r) => ({
      filter: new SampleFilter(n, r.jumpCc), stuck: new StuckDetector(n), doses: new DoseIntegrator(n, roles), stop: new Uint8Array(n), itv: new Uint8Array(n),
      firstStop: new Float64Array(n).fill(-1), firstItv: new Float64Array(n).fill(-1),
    }));
    const t = new Float64Array(n);
    const f = new Uint8Array(n);
    const ct = new Float64Array(n);
    const cf = new Uint8Array(n);
    const truth = new Float64Array(n);
    const prevTruth = new Float64Array(n);
    const true45 = new Float64Array(n).fill(-1);
    const true42 = new Float64Array(n).fill(-1);
    const clean45 = new Float64Array(n).fill(-1);
    const peak = new Float64Array(n).fill(-Infinity);
    const trueCem = new Float64Array(n);
    for (let ms = 0; ms <= set.endMs; ms += PERIOD_MS) {
      sim.read(ms, t, f);
      for (let ch = 0; ch < n; ch++) prevClean[ch] = ct[ch];
      cleanSim.read(ms, ct, cf);
      stepChannels(ms, ct, cf, cleanFilter, cleanStuck, cleanDoses);
      prevTruth.set(truth);
      sim.trueTemperatures(ms, truth);
      for (let ch = 0; ch < n; ch++) {
        if (truth[ch] >= 45 && true45[ch] < 0) true45[ch] = ms;
        if (truth[ch] >= 42 && true42[ch] < 0) true42[ch] = ms;
        if (cf[ch] === FAULT_NONE && Math.round(ct[ch] * 100) >= stopCc && clean45[ch] < 0) clean45[ch] = ms;
        if (truth[ch] > peak[ch]) peak[ch] = truth[ch];
        if (ms > 0) trueCem[ch] += PERIOD_MS * cemPerMs(Math.max(truth[ch], prevTruth[ch]));
      }
      for (let r = 0; r < rules.length; r++) {
        const s = states[r];
        const fl = s.filter;
        stepChannels(ms, t, f, fl, s.stuck, s.doses);
        for (let ch = 0; ch < n; ch++) {
          if (!nerve[ch]) continue;
          if (fl.confCode[ch] === 0 && fl.confCc[ch] / 100 > prevClean[ch] + 1) figs[r].doseWrong++;
          if (fl.code[ch] !== FAULT_NONE) continue;
          const cc = fl.cc[ch];
          const stopNow = rules[r].stopPair ? cc >= stopCc && fl.confCode[ch] === 0 && fl.confCc[ch] >= stopCc : cc >= stopCc;
          const stopAct = stopNow || (s.stop[ch] === 1 && cc > stopCc - hyst);
          if (stopAct && s.stop[ch] === 0) {
            if (truth[ch] < 45) figs[r].stopBelow++;
            if (truth[ch] < 44.5) figs[r].stopGross++;
            if (truth[ch] < 44.5) figs[r].notes.push(`${set.label} seed ${seed} ch ${ch} STOP at ${ms} ms: ${cc} cC, tissue ${truth[ch].toFixed(2)}, without EMI ${ct[ch].toFixed(2)}`);
            if (s.firstStop[ch] < 0) s.firstStop[ch] = ms;
          }
          s.stop[ch] = stopAct ? 1 : 0;
          const itvAct = cc >= itvCc || (s.itv[ch] === 1 && cc > itvCc - hyst);
          if (itvAct && s.itv[ch] === 0) {
            if (truth[ch] < 42) figs[r].interveneBelow++;
            if (truth[ch] < 41.5) figs[r].interveneGross++;
            if (truth[ch] < 41.5) figs[r].notes.push(`${set.label} seed ${seed} ch ${ch} INTERVENE at ${ms} ms: ${cc} cC, tissue ${truth[ch].toFixed(2)}, without EMI ${ct[ch].toFixed(2)}`);
            if (s.firstItv[ch] < 0) s.firstItv[ch] = ms;
          }
          s.itv[ch] = itvAct ? 1 : 0;
        }
      }
    }
    for (let r = 0; r < rules.length; r++) {
      const s = states[r];
      const g = figs[r];
      for (let ch = 0; ch < n; ch++) {
        if (!nerve[ch]) continue;
        g.channels++;
        if (peak[ch] < 45 && s.firstStop[ch] >= 0) {
          g.stopFalseLatch++;
          g.notes.push(`${set.label} seed ${seed} ch ${ch}: STOP at ${s.firstStop[ch]} ms, tissue peak ${peak[ch].toFixed(2)}`);
        }
        if (peak[ch] < 42 && s.firstItv[ch] >= 0) {
          g.interveneFalseLatch++;
          g.notes.push(`${set.label} seed ${seed} ch ${ch}: INTERVENE at ${s.firstItv[ch]} ms, tissue peak ${peak[ch].toFixed(2)}`);
        }
        if (true45[ch] >= 0 && s.firstStop[ch] >= 0) {
          g.stopDelayMs.push(s.firstStop[ch] - true45[ch]);
          if (clean45[ch] >= 0) g.stopAddedMs.push(s.firstStop[ch] - clean45[ch]);
        }
        if (true42[ch] >= 0 && s.firstItv[ch] >= 0) g.interveneDelayMs.push(s.firstItv[ch] - true42[ch]);
        const excess = s.doses.cem43[ch] - cleanDoses.cem43[ch];
        if (trueCem[ch] < 16.5 && excess > g.cemExcessMax) g.cemExcessMax = excess;
      }
    }
  }
}

function addInto(a: RuleFigures, g: RuleFigures): void {
  a.channels += g.channels;
  a.stopBelow += g.stopBelow;
  a.interveneBelow += g.interveneBelow;
  a.stopGross += g.stopGross;
  a.interveneGross += g.interveneGross;
  a.stopFalseLatch += g.stopFalseLatch;
  a.interveneFalseLatch += g.interveneFalseLatch;
  a.stopDelayMs.push(...g.stopDelayMs);
  a.interveneDelayMs.push(...g.interveneDelayMs);
  a.stopAddedMs.push(...g.stopAddedMs);
  a.doseWrong += g.doseWrong;
  a.cemExcessMax = Math.max(a.cemExcessMax, g.cemExcessMax);
  a.notes.push(...g.notes);
}

/** Figures of a group of run sets. */
export interface GroupFigures {
  label: string;
  figs: RuleFigures[];
}

/**
 * Runs the whole study: per run set, and in two groups: the sensor model as shipped (every
 * scenario and the ramps) and the small pick-up variant of the spinal scenarios.
 */
export function runStudy(n: number, rules: readonly Rule[] = RULES): { groups: GroupFigures[]; bySet: GroupFigures[] } {
  const shipped = { label: "sensor model as shipped: every scenario + ramps", figs: rules.map(emptyFigures) };
  const small = { label: "small pick-up 0.5-2 degC, spinal scenarios", figs: rules.map(emptyFigures) };
  const bySet: GroupFigures[] = [];
  for (const set of studySets(n)) {
    const figs = rules.map(emptyFigures);
    playSet(set, rules, figs);
    bySet.push({ label: set.label, figs });
    const group = set.label.includes("small pick-up") ? small : shipped;
    for (let r = 0; r < rules.length; r++) addInto(group.figs[r], figs[r]);
  }
  return { groups: [shipped, small], bySet };
}

/** Quantile q (0..1) of xs (nearest rank), NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

function delays(xs: readonly number[]): string {
  return xs.length === 0 ? "-" : `${quantile(xs, 0.5)} / ${quantile(xs, 0.95)} / ${Math.max(...xs)} (${xs.length})`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 100);
  const { groups, bySet } = runStudy(n);
  console.log(`seeds 1..${n} per scenario (hifu-liver and synthetic-plateau-42-5: ${Math.max(1, Math.round(n / 5))})`);
  for (const g of groups) {
    console.log(`\n${g.label}\n`);
    console.log("| rule | nerve channels | STOP false latch | STOP at tissue < 45 (< 44.5) | INTERVENE false latch | INTERVENE at tissue < 42 (< 41.5) | STOP delay vs tissue ms p50 / p95 / max (n) | STOP delay vs reading without EMI ms p50 / p95 / max | INTERVENE delay vs tissue p50 / p95 / max | dose samples > reading without EMI + 1 degC | worst CEM43 excess |");
    console.log("|---|---|---|---|---|---|---|---|---|---|---|");
    for (const f of g.figs) {
      console.log(`| ${f.rule.name} | ${f.channels} | ${f.stopFalseLatch} | ${f.stopBelow} (${f.stopGross}) | ${f.interveneFalseLatch} | ${f.interveneBelow} (${f.interveneGross}) | ${delays(f.stopDelayMs)} | ${delays(f.stopAddedMs)} | ${delays(f.interveneDelayMs)} | ${f.doseWrong} | ${f.cemExcessMax.toFixed(3)} |`);
    }
  }
  console.log("\nPer set: rule (allowance cC x samples for STOP): STOP false latch / STOP at tissue < 45; STOP delay vs tissue p50 / p95 / max (n); worst CEM43 excess\n");
  for (const s of bySet) console.log(`- ${s.label}: ` + s.figs.map((g) => `${g.rule.jumpCc}x${g.rule.stopPair ? 2 : 1} ${g.stopFalseLatch}/${g.stopBelow}; ${delays(g.stopDelayMs)}; ${g.cemExcessMax.toFixed(3)}`).join(" | "));
  console.log("\nAlarms more than 0.5 degC below the limit or on a channel that never reaches it:\n");
  for (const g of groups) for (const f of g.figs) for (const note of f.notes) console.log(`- ${f.rule.name}: ${note}`);
}
