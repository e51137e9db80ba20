// Tissue model of a scenario: radial Pennes solvers per source and per cooling sink, superposed at the probes.

import type { ModelScenario } from "../scenario/scenario-schema";
import type { TruthModel } from "../truth-model";
import { type CoolingEvent, coolingEvent, coolingKindFromText, sinkPowerW } from "./cooling";
import { PennesRadial } from "./pennes-radial";
import { type Pulse, type SourceKind, averagePowerW, depositionWeights, powerAtW, sourceEfficiency, uniformSphereWeights } from "./sources";
import { type PennesCoefficients, TISSUES, pennesCoefficients } from "./tissue-properties";

/** Smallest radial domain, mm: several perfusion lengths (12-16 mm in bone and muscle). */
const MIN_DOMAIN_MM = 60;

interface HeatSource {
  readonly solver: PennesRadial;
  readonly weights: Float64Array;
  readonly pulses: readonly Pulse[];
  readonly efficiency: number;
  /** Distance from each probe, m. */
  readonly distM: Float64Array;
}

interface CoolingSink {
  readonly target: number; // channel index at the sink centre
  readonly radiusMm: number;
  readonly solver: PennesRadial;
  readonly weights: Float64Array;
  readonly events: CoolingEvent[];
  readonly distM: Float64Array;
}

/**
 * Homogeneous tissue (the scenario's `tissue`) around every applicator. The Pennes equation for
 * the rise above the resting temperature is linear, so each source is solved on its own radial
 * grid and the rises are added at each probe (superposition, exact for constant properties; not
 * modelled: layered anatomy, perfusion shut-down in coagulated tissue, vaporisation above
 * 100 degC). A cooling intervention is a sink of power G(t) (T_target - T_coolant) spread over a
 * small sphere at its target probe, coupled explicitly (power from the previous grid point).
 */
export class BioheatModel implements TruthModel {
  readonly channelCount: number;
  readonly stepS: number;
  readonly baselineC: number;
  private readonly coeffs: PennesCoefficients;
  private readonly cellM: number;
  private readonly radiusM: number;
  private readonly positionsM: readonly (readonly [number, number, number])[];
  private readonly sources: HeatSource[];
  private readonly sinks: CoolingSink[] = [];
  private readonly eventTargets: readonly number[];
  private readonly current: Float64Array;
  private k = 0;

  constructor(readonly scenario: ModelScenario) {
    this.channelCount = scenario.channels.length;
    this.stepS = scenario.solver.stepS;
    this.baselineC = scenario.baselineC;
    this.coeffs = pennesCoefficients({ ...TISSUES[scenario.tissue], ...definedOnly(scenario.tissueOverrides ?? {}) });
    this.cellM = scenario.solver.cellMm * 1e-3;
    this.positionsM = scenario.channels.map((c) => mmToM(c.positionMm ?? [0, 0, 0]));
    let farthestMm = 0;
    for (const src of scenario.sources) {
      for (const p of this.positionsM) farthestMm = Math.max(farthestMm, distance(p, mmToM(src.positionMm)) * 1e3);
    }
    this.radiusM = (scenario.solver.radiusMm ?? Math.max(MIN_DOMAIN_MM, 2 * farthestMm + 20)) * 1e-3;
    this.sources = scenario.sources.map((src) => {
      const solver = this.newSolver();
      const kind: SourceKind = src.kind;
      return {
        solver,
        weights: depositionWeights(kind, src, this.cellM, solver.cellCount),
        pulses: src.pulses,
        efficiency: sourceEfficiency(kind, src),
        distM: Float64Array.from(this.positionsM, (p) => distance(p, mmToM(src.positionMm))),
      };
    });
    const index = (label: string): number => scenario.channels.findIndex((c) => c.label === label);
    const nerves = scenario.channels.flatMap((c, i) => (c.role === "nerve" ? [i] : []));
    this.eventTargets = scenario.eventCoolingTargets?.map(index) ?? nerves;
    for (const c of scenario.cooling) {
      const targets = c.targets?.map(index) ?? nerves;
      const labels = targets.map((i) => scenario.channels[i].label);
      const e = coolingEvent(c.kind, c.atS, labels, c);
      for (const t of targets) this.sinkFor(t, e.radiusMm).events.push(e);
    }
    this.current = new Float64Array(this.channelCount).fill(this.baselineC);
  }

  initial(out: Float64Array): void {
    out.fill(this.baselineC);
  }

  step(out: Float64Array): void {
    const t0 = this.k * this.stepS;
    const t1 = (this.k + 1) * this.stepS;
    const tMid = (t0 + t1) / 2;
    for (const s of this.sources) {
      s.solver.step(averagePowerW(s.pulses, t0, t1) * s.efficiency, s.weights);
    }
    for (const sink of this.sinks) {
      // Heat removed, from the target temperature at the start of the step (explicit coupling).
      const removedW = sinkPowerW(sink.events, tMid, t0, this.current[sink.target]);
      sink.solver.step(-removedW, sink.weights);
    }
    for (let ch = 0; ch < this.channelCount; ch++) {
      let t = this.baselineC;
      for (const s of this.sources) t += s.solver.riseAtM(s.distM[ch]);
      for (const sink of this.sinks) t += sink.solver.riseAtM(sink.distM[ch]);
      out[ch] = t;
      this.current[ch] = t;
    }
    this.k++;
  }

  generatorOnAt(tS: number): boolean {
    return this.sources.some((s) => powerAtW(s.pulses, tS) > 0);
  }

  onEvent(text: string, tS: number): string | null {
    const kind = coolingKindFromText(text);
    if (kind === null || this.eventTargets.length === 0) return null;
    const labels = this.eventTargets.map((i) => this.scenario.channels[i].label);
    const e = coolingEvent(kind, tS, labels);
    for (const t of this.eventTargets) this.sinkFor(t, e.radiusMm).events.push(e);
    return `${kind} cooling at ${labels.join(", ")} from t=${tS.toFixed(2)} s`;
  }

  /** Scenario time of the last computed grid point, s. */
  get timeS(): number {
    return this.k * this.stepS;
  }

  private sinkFor(target: number, radiusMm: number): CoolingSink {
    const found = this.sinks.find((s) => s.target === target && s.radiusMm === radiusMm);
    if (found !== undefined) return found;
    const solver = this.newSolver();
    const centre = this.positionsM[target];
    const sink: CoolingSink = {
      target,
      radiusMm,
      solver,
      weights: uniformSphereWeights(radiusMm * 1e-3, this.cellM, solver.cellCount),
      events: [],
      distM: Float64Array.from(this.positionsM, (p) => distance(p, centre)),
    };
    this.sinks.push(sink);
    return sink;
  }

  private newSolver(): PennesRadial {
    return new PennesRadial(this.coeffs, { cellM: this.cellM, radiusM: this.radiusM, stepS: this.stepS });
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function mmToM(p: readonly [number, number, number]): [number, number, number] {
  return [p[0] * 1e-3, p[1] * 1e-3, p[2] * 1e-3];
}

function distance(a: readonly [number, number, number], b: readonly [number, number, number]): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
