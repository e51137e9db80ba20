// Simulator speed: how many times faster than real time the tissue + sensor model produces probe readings (it bounds `sim --speed` and the tests' scenarios).
import { SimSource } from "../sim/sim-source";
import type { BenchSection } from "./section";
import { median } from "./stats";

const RUNS = 5;
const PERIOD_MS = 100;
const CASES = [
  { scenario: "spinal-mwa-cooled", durationMs: 300_000 },
  { scenario: "hifu-liver", durationMs: 3_600_000 },
];

/** Wall ms to read `durationMs` of scenario at 10 Hz, every channel. */
function once(scenario: string, durationMs: number): number {
  const src = SimSource.fromName(scenario, { startMs: 0 });
  const t = new Float64Array(src.channelCount);
  const f = new Uint8Array(src.channelCount);
  const t0 = performance.now();
  for (let ms = 0; ms <= durationMs; ms += PERIOD_MS) src.read(ms, t, f);
  return performance.now() - t0;
}

export async function run(): Promise<BenchSection> {
  let body = "| scenario | simulated | wall ms: median (min–max) | x real time |\n|---|---|---|---|\n";
  for (const c of CASES) {
    once(c.scenario, 10_000); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) ms.push(once(c.scenario, c.durationMs));
    const m = median(ms);
    body += `| ${c.scenario} | ${c.durationMs / 60_000} min at ${1000 / PERIOD_MS} Hz | ${m.toFixed(0)} (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}) | ${Math.round(c.durationMs / m)} |\n`;
  }
  return {
    title: "Simulator speed",
    method: `SimSource.read (Pennes solver, sensor model, EMI, faults) for every 100 ms sample of a scenario, every channel; median of ${RUNS} runs after a 10 s warm-up run. The virtual device's x1000 replay and the 2 h soak test need it well above 1000x.`,
    body: body,
  };
}
