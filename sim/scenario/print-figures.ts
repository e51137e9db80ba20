// Prints the measured figures of shipped scenarios (to fill their "expected" blocks): node --import tsx sim/scenario/print-figures.ts [name...]

import { listScenarios, loadScenarioByName } from "./load-scenario";
import { scenarioFigures } from "./scenario-figures";

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : listScenarios();
for (const name of names) {
  const loaded = loadScenarioByName(name);
  const t0 = performance.now();
  const figures = scenarioFigures(loaded);
  const ms = performance.now() - t0;
  const rounded: Record<string, unknown> = {};
  for (const [label, f] of Object.entries(figures)) {
    rounded[label] = {
      peakC: round(f.peakC, 2),
      peakAtS: round(f.peakAtS, 1),
      timeAbove42S: round(f.timeAbove42S, 1),
      firstAbove42S: f.firstAbove42S === null ? null : round(f.firstAbove42S, 1),
      lastBelow42S: f.lastBelow42S === null ? null : round(f.lastBelow42S, 1),
    };
  }
  console.log(`${name} (${ms.toFixed(0)} ms)\n${JSON.stringify(rounded, null, 1)}`);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
