// Simulated SampleSource: a scenario (tissue model or trace) seen through the sensor model, driven by nowMs.

import { FAULT_NO_DATA, FAULT_NONE, type SampleSource } from "../device/source";
import { BioheatModel } from "./bioheat/bioheat-model";
import { type CsvTrace, parseCsvTrace } from "./replay/csv-trace";
import { TraceModel } from "./replay/trace-model";
import { type LoadedScenario, ScenarioError, checkedCsv, loadScenarioByName, loadScenarioFile, parseScenario } from "./scenario/load-scenario";
import type { Scenario, ScenarioChannel, ScenarioInput } from "./scenario/scenario-schema";
import { CHIP_NOISE_C, CHIP_RESOLUTION_C, type ChipType, SensorModel, type SensorSettings, type ThermocoupleType } from "./sensor/sensor-model";
import { TruthTimeline } from "./truth-timeline";
import type { TruthModel } from "./truth-model";

/** What a consumer needs to know about a channel. */
export interface ChannelInfo {
  readonly label: string;
  readonly role: "nerve" | "ablation" | "reference";
  readonly thermocouple: ThermocoupleType;
  readonly chip: ChipType;
}

/** Options of a simulated source. */
export interface SimSourceOptions {
  /**
   * Device time (ms) at which scenario time 0 occurs. Default: the nowMs of the first read() or
   * onEvent() call. Before it, every channel reports FAULT_NO_DATA.
   */
  readonly startMs?: number;
  /** Scenario seconds per device second, 1..1000 (replay faster than real time). Default 1. */
  readonly timeScale?: number;
  /** Overrides the scenario's sensor.seed. */
  readonly seed?: number;
  /** No lag, noise, spikes, drift, quantisation or faults: readings equal the tissue truth. */
  readonly idealSensor?: boolean;
}

/** A logged operator event. */
export interface SimEvent {
  readonly atS: number;
  readonly text: string;
  /** What the simulation did (null: nothing). */
  readonly effect: string | null;
}

/** Channel list of a scenario, in channel order. */
export function channelList(scenario: Scenario): ChannelInfo[] {
  return scenario.channels.map((c) => ({ label: c.label, role: c.role, thermocouple: c.thermocouple, chip: c.chip }));
}

/** The truth model of a loaded scenario. */
export function truthModelOf(loaded: LoadedScenario): TruthModel {
  const s = loaded.scenario;
  return s.kind === "model" ? new BioheatModel(s) : new TraceModel(s, loaded.csv);
}

/** Sensor settings of a scenario (per-channel noise and resolution resolved). */
export function sensorSettingsOf(scenario: Scenario, seed?: number): SensorSettings {
  const s = scenario.sensor;
  const index = (label: string): number => scenario.channels.findIndex((c) => c.label === label);
  return {
    seed: seed ?? s.seed,
    noiseC: scenario.channels.map((c: ScenarioChannel) => c.noiseC ?? s.noiseC ?? CHIP_NOISE_C[c.chip]),
    resolutionC: scenario.channels.map((c) => CHIP_RESOLUTION_C[c.chip]),
    emi: s.emi,
    cjDrift: s.cjDrift,
    faults: s.faults.map((f) => ({ channel: index(f.channel), kind: f.kind, startS: f.startS, endS: f.endS ?? Number.POSITIVE_INFINITY, intermittent: f.intermittent })),
  };
}

/** Cap on the logged operator events. */
export const MAX_SIM_EVENTS = 1000;

const IDEAL: Omit<SensorSettings, "noiseC" | "resolutionC" | "seed"> = {
  emi: { probability: 0, minC: 0, maxC: 0 },
  cjDrift: { amplitudeC: 0, tauS: 0 },
  faults: [],
};

/**
 * A simulated thermocouple front end. Everything is a pure function of the nowMs values passed
 * in (and of the operator events): no timers, no wall clock, so a virtual device may run it at
 * x1 or x1000. Time must not go backwards between calls (SimTimeError, code SIM_TIME_BACKWARDS).
 */
export class SimSource implements SampleSource {
  readonly channelCount: number;
  readonly channels: readonly ChannelInfo[];
  readonly scenario: Scenario;
  /** Documented length of the scenario, s (the model keeps running past it). */
  readonly durationS: number;
  /** Operator events received, with their effect (the latest MAX_SIM_EVENTS). */
  readonly events: SimEvent[] = [];

  private readonly timeline: TruthTimeline;
  private readonly sensor: SensorModel;
  private readonly ideal: boolean;
  private readonly timeScale: number;
  private startMs: number | undefined;
  private readonly lagged: Float64Array;

  constructor(loaded: LoadedScenario, options: SimSourceOptions = {}) {
    const s = loaded.scenario;
    const timeScale = options.timeScale ?? 1;
    if (!(timeScale >= 1 && timeScale <= 1000)) throw new RangeError(`SimSource: options.timeScale must be within 1..1000 (got ${timeScale})`);
    this.scenario = s;
    this.channelCount = s.channels.length;
    this.channels = channelList(s);
    this.durationS = s.durationS;
    this.timeScale = timeScale;
    this.startMs = options.startMs;
    this.ideal = options.idealSensor ?? false;
    const taus = s.channels.map((c) => (this.ideal ? 0 : (c.timeConstantS ?? s.sensor.timeConstantS)));
    this.timeline = new TruthTimeline(truthModelOf(loaded), taus);
    const settings = sensorSettingsOf(s, options.seed);
    this.sensor = new SensorModel(this.ideal ? { ...IDEAL, seed: settings.seed, noiseC: [], resolutionC: [] } : settings);
    this.lagged = new Float64Array(this.channelCount);
  }

  /** Source for a shipped scenario (`sim/scenarios/<name>.json`), e.g. "spinal-mwa-cooled". */
  static fromName(name: string, options?: SimSourceOptions): SimSource {
    return new SimSource(loadScenarioByName(name), options);
  }

  /** Source for a scenario file on disk. */
  static fromFile(path: string, options?: SimSourceOptions): SimSource {
    return new SimSource(loadScenarioFile(path), options);
  }

  /** Source for scenario data already in memory (validated here; throws ScenarioError). */
  static fromScenario(input: ScenarioInput | Scenario, options?: SimSourceOptions, csv?: CsvTrace): SimSource {
    const r = parseScenario(input);
    if (!r.success) throw r.error;
    return new SimSource({ scenario: r.data, csv }, options);
  }

  /**
   * Replay a CSV trace (`time_s,<channel>,...`): the columns drive the probes. Channels default to
   * one nerve / type T / MAX31856 channel per column; the sensor is ideal unless
   * options.idealSensor is false (a recording already contains its sensor's effects).
   * Past the last row every channel reports FAULT_NO_DATA.
   */
  static fromCsv(csvText: string, options: SimSourceOptions & { readonly channels?: readonly ChannelInfo[]; readonly name?: string } = {}): SimSource {
    const parsed = parseCsvTrace(csvText);
    if (!parsed.success) {
      throw new ScenarioError("SCENARIO_CSV", `CSV replay: ${parsed.error.message} (${parsed.error.code})`, [{ path: "csv", message: parsed.error.message }]);
    }
    const csv = parsed.data;
    const channels = options.channels ?? csv.labels.map((label) => ({ label, role: "nerve" as const, thermocouple: "T" as const, chip: "MAX31856" as const }));
    const durationS = Math.max(csv.timesS[csv.timesS.length - 1], 1e-3);
    const r = parseScenario(
      { kind: "trace", name: "csv-replay", description: `CSV replay${options.name ? ` of ${options.name}` : ""}`, durationS, channels: channels.map((c) => ({ ...c })), csvFile: "(inline)", outside: "gap" },
      "CSV replay",
    );
    if (!r.success) throw r.error;
    checkedCsv(csvText, r.data, "CSV replay"); // every channel has a column
    return new SimSource({ scenario: r.data, csv }, { idealSensor: true, ...options });
  }

  /** Scenario time (s) at device time nowMs (negative before the start). */
  scenarioTimeS(nowMs: number): number {
    if (this.startMs === undefined) this.startMs = nowMs;
    return ((nowMs - this.startMs) * this.timeScale) / 1000;
  }

  read(nowMs: number, tempC: Float64Array, fault: Uint8Array): void {
    const tS = this.scenarioTimeS(nowMs);
    if (tS < 0) {
      fault.fill(FAULT_NO_DATA, 0, this.channelCount);
      tempC.fill(Number.NaN, 0, this.channelCount);
      return;
    }
    this.timeline.laggedAt(tS, this.lagged);
    const on = this.timeline.model.generatorOnAt(tS);
    for (let ch = 0; ch < this.channelCount; ch++) {
      const y = this.lagged[ch];
      const f = Number.isNaN(y) ? FAULT_NO_DATA : this.sensor.faultAt(ch, tS);
      fault[ch] = f;
      tempC[ch] = f === FAULT_NONE ? this.sensor.measure(ch, tS, y, on) : Number.NaN;
    }
  }

  /** An operator event: a text naming CO2 or glucose (any case) starts cooling at the scenario's targets. */
  onEvent(text: string, nowMs: number): void {
    const tS = Math.max(this.scenarioTimeS(nowMs), this.timeline.earliestS);
    const effect = this.timeline.model.onEvent(text, tS);
    this.events.push({ atS: tS, text, effect });
    if (this.events.length > MAX_SIM_EVENTS) this.events.splice(0, this.events.length - MAX_SIM_EVENTS);
  }

  /** True tissue temperature at each probe at device time nowMs, degC (NaN = no data), into out. */
  trueTemperatures(nowMs: number, out: Float64Array): void {
    const tS = this.scenarioTimeS(nowMs);
    if (tS < 0) {
      out.fill(Number.NaN, 0, this.channelCount);
      return;
    }
    this.timeline.trueAt(tS, out);
  }

  /** Whether the generator is delivering power at device time nowMs. */
  generatorOn(nowMs: number): boolean {
    const tS = this.scenarioTimeS(nowMs);
    return tS >= 0 && this.timeline.model.generatorOnAt(tS);
  }
}
