// Truth from keyframes (synthetic traces) or a CSV recording, sampled on a fixed grid.

import type { TraceScenario } from "../scenario/scenario-schema";
import type { TruthModel } from "../truth-model";
import { type CsvTrace, interpolateSeries } from "./csv-trace";

interface Series {
  readonly timesS: Float64Array;
  readonly valuesC: Float64Array;
}

/**
 * Plays piecewise-linear series per channel. A recording cannot be cooled, so operator events
 * change nothing (they are still logged by the source).
 */
export class TraceModel implements TruthModel {
  readonly channelCount: number;
  readonly stepS: number;
  private readonly series: Series[];
  private readonly outside: "hold" | "gap";
  private readonly generatorOn: readonly (readonly [number, number])[];
  private k = 0;

  constructor(scenario: TraceScenario, csv?: CsvTrace) {
    this.channelCount = scenario.channels.length;
    this.stepS = scenario.stepS;
    this.outside = scenario.outside;
    this.generatorOn = scenario.generatorOn;
    this.series = scenario.channels.map((c) => {
      const keys = scenario.keyframes?.[c.label];
      if (keys !== undefined) return { timesS: Float64Array.from(keys, (p) => p[0]), valuesC: Float64Array.from(keys, (p) => p[1]) };
      const col = csv?.labels.indexOf(c.label) ?? -1;
      if (csv === undefined || col < 0) throw new Error(`TraceModel: no keyframes or CSV column for channel "${c.label}"`);
      return { timesS: csv.timesS, valuesC: csv.columns[col] };
    });
  }

  initial(out: Float64Array): void {
    this.sample(0, out);
  }

  step(out: Float64Array): void {
    this.k++;
    this.sample(this.k * this.stepS, out);
  }

  generatorOnAt(tS: number): boolean {
    return this.generatorOn.some(([a, b]) => tS >= a && tS < b);
  }

  onEvent(): string | null {
    return null;
  }

  private sample(tS: number, out: Float64Array): void {
    for (let ch = 0; ch < this.channelCount; ch++) {
      const s = this.series[ch];
      out[ch] = interpolateSeries(s.timesS, s.valuesC, tS, this.outside);
    }
  }
}
