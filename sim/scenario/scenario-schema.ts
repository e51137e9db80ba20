// zod schema of a scenario file (tissue model or synthetic trace) with cross-field checks that name the path.

import * as z from "zod";
import { MAX_CHANNELS } from "../../protocol/constants";
import { COOLING_KINDS } from "../bioheat/cooling";
import { TISSUE_NAMES } from "../bioheat/tissue-properties";
import { MAX_SIM_DURATION_S } from "../sim-limits";
import { CHIP_TYPES, DEFAULT_TIME_CONSTANT_S, FAULT_KINDS, THERMOCOUPLE_TYPES } from "../sensor/sensor-model";

const finite = z.number().refine(Number.isFinite, "must be a finite number");
const nonNegative = finite.refine((v) => v >= 0, "must be >= 0");
const positive = finite.refine((v) => v > 0, "must be > 0");
const fraction = finite.refine((v) => v >= 0 && v <= 1, "must be between 0 and 1");
const label = z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, "must be 1-32 characters of A-Z a-z 0-9 . _ -");
const vec3Mm = z.tuple([finite, finite, finite]);

/** Channel roles: a nerve at risk, the ablation zone itself, or a reference far away. */
export const CHANNEL_ROLES = ["nerve", "ablation", "reference"] as const;

/** One probe / thermocouple channel. */
export const channelSchema = z.strictObject({
  label,
  role: z.enum(CHANNEL_ROLES),
  thermocouple: z.enum(THERMOCOUPLE_TYPES),
  chip: z.enum(CHIP_TYPES),
  /** Probe position, mm (required in model scenarios; x left-right, y anterior-posterior, z cranio-caudal). */
  positionMm: vec3Mm.optional(),
  /** Thermocouple time constant of this probe, s (default: sensor.timeConstantS). */
  timeConstantS: positive.optional(),
  /** Noise standard deviation of this channel, degC (default: sensor.noiseC or the chip's). */
  noiseC: nonNegative.optional(),
});

/** Energy delivery, see sim/bioheat/sources.ts Pulse. */
export const pulseSchema = z
  .strictObject({
    startS: nonNegative,
    durationS: positive,
    powerW: nonNegative,
    repeatEveryS: positive.optional(),
    repeatCount: z.int().min(1).optional(),
  })
  .superRefine((p, ctx) => {
    if ((p.repeatCount ?? 1) > 1) {
      if (p.repeatEveryS === undefined) ctx.addIssue({ code: "custom", path: ["repeatEveryS"], message: "is required when repeatCount > 1" });
      else if (p.repeatEveryS < p.durationS) ctx.addIssue({ code: "custom", path: ["repeatEveryS"], message: "must be >= durationS (pulses would overlap)" });
    }
  });

/** One ablation applicator. */
export const sourceSchema = z.strictObject({
  id: label,
  kind: z.enum(["mwa", "rf", "hifu", "point"]),
  positionMm: vec3Mm,
  efficiency: fraction.optional(),
  penetrationMm: positive.optional(),
  applicatorRadiusMm: positive.optional(),
  focalSigmaMm: positive.optional(),
  pulses: z.array(pulseSchema).min(1),
});

/** A cooling step in the scenario (CO2 / iced glucose), see sim/bioheat/cooling.ts. */
export const coolingSchema = z.strictObject({
  atS: nonNegative,
  kind: z.enum(COOLING_KINDS),
  /** Probe labels cooled (default: every nerve channel). */
  targets: z.array(label).min(1).optional(),
  conductanceWK: nonNegative.optional(),
  coolantC: finite.optional(),
  rampS: nonNegative.optional(),
  durationS: nonNegative.optional(),
  decayS: nonNegative.optional(),
  radiusMm: positive.optional(),
});

const intermittentSchema = z.union([
  z.strictObject({ probability: fraction }),
  z.strictObject({ periodS: positive, onS: positive }),
]);

/** A scheduled sensor fault on one channel. */
export const faultSchema = z.strictObject({
  channel: label,
  kind: z.enum(FAULT_KINDS),
  startS: nonNegative,
  /** End of the fault, s (default: never ends). */
  endS: positive.optional(),
  intermittent: intermittentSchema.optional(),
});

/** Sensor effects, every field optional. */
export const sensorSchema = z.strictObject({
  seed: z.int().min(0).max(0xffffffff).default(1),
  timeConstantS: positive.default(DEFAULT_TIME_CONSTANT_S),
  /** Noise standard deviation for every channel, degC (default per chip). */
  noiseC: nonNegative.optional(),
  emi: z
    .strictObject({ probability: fraction.default(0.02), minC: nonNegative.default(2), maxC: nonNegative.default(20) })
    .prefault({}),
  cjDrift: z.strictObject({ amplitudeC: finite.default(0.2), tauS: nonNegative.default(600) }).prefault({}),
  faults: z.array(faultSchema).default([]),
});

/** Documented figures per probe (true tissue temperature). */
export const expectedSchema = z.strictObject({
  peakC: finite,
  peakAtS: nonNegative.optional(),
  timeAbove42S: nonNegative,
  /** First time the probe reaches 42 degC, s (null: never). */
  firstAbove42S: nonNegative.nullable().optional(),
});

const common = {
  name: z.string().regex(/^[a-z0-9-]{1,64}$/, "must be 1-64 characters of a-z 0-9 -"),
  description: z.string().min(1),
  durationS: positive.refine((v) => v <= MAX_SIM_DURATION_S, `must be <= ${MAX_SIM_DURATION_S} s (24 h)`),
  baselineC: finite.default(37),
  channels: z.array(channelSchema).min(1).max(MAX_CHANNELS),
  sensor: sensorSchema.prefault({}),
  expected: z.record(label, expectedSchema).optional(),
};

/** A scenario driven by the bioheat model. */
export const modelScenarioSchema = z.strictObject({
  kind: z.literal("model"),
  ...common,
  tissue: z.enum(TISSUE_NAMES),
  /** Replace some literature values of the tissue (document why in the description). */
  tissueOverrides: z
    .strictObject({
      densityKgM3: positive.optional(),
      specificHeatJKgK: positive.optional(),
      conductivityWMK: positive.optional(),
      perfusionMlMinKg: nonNegative.optional(),
      metabolicWKg: nonNegative.optional(),
    })
    .optional(),
  solver: z
    .strictObject({
      stepS: positive.default(0.25),
      cellMm: positive.default(0.5),
      /** Radius of each radial domain, mm (default: max(60, 2 x farthest probe + 20)). */
      radiusMm: positive.optional(),
    })
    .prefault({}),
  sources: z.array(sourceSchema).min(1),
  cooling: z.array(coolingSchema).default([]),
  /** Probes cooled when the operator marks a CO2 / glucose event (default: every nerve channel). */
  eventCoolingTargets: z.array(label).min(1).optional(),
});

/** A scenario driven by keyframes (synthetic traces) or a CSV file. */
export const traceScenarioSchema = z.strictObject({
  kind: z.literal("trace"),
  ...common,
  /** Per channel label: [time_s, tempC] points, piecewise linear, a repeated time is a step. */
  keyframes: z.record(label, z.array(z.tuple([nonNegative, finite])).min(1)).optional(),
  /** CSV file (`time_s,<label>,...`) relative to the scenario file, instead of keyframes. */
  csvFile: z.string().min(1).optional(),
  /** Intervals [startS, endS] when the generator is on (EMI spikes). */
  generatorOn: z.array(z.tuple([nonNegative, nonNegative])).default([]),
  /** Grid on which the trace is sampled for the sensor lag, s. */
  stepS: positive.default(0.02),
  /** Before the first / after the last point: hold the end value or report no data. */
  outside: z.enum(["hold", "gap"]).default("hold"),
});

/** Any scenario, with the checks that span fields. */
export const scenarioSchema = z.discriminatedUnion("kind", [modelScenarioSchema, traceScenarioSchema]).superRefine((s, ctx) => {
  const labels = new Set<string>();
  s.channels.forEach((c, i) => {
    if (labels.has(c.label)) ctx.addIssue({ code: "custom", path: ["channels", i, "label"], message: `duplicate channel label "${c.label}"` });
    labels.add(c.label);
  });
  const known = (value: string, path: (string | number)[]): void => {
    if (!labels.has(value)) ctx.addIssue({ code: "custom", path, message: `"${value}" is not a channel label (${[...labels].join(", ")})` });
  };
  s.sensor.faults.forEach((f, i) => {
    known(f.channel, ["sensor", "faults", i, "channel"]);
    if (f.endS !== undefined && f.endS <= f.startS) ctx.addIssue({ code: "custom", path: ["sensor", "faults", i, "endS"], message: "must be > startS" });
  });
  if (s.expected !== undefined) for (const key of Object.keys(s.expected)) known(key, ["expected", key]);
  if (s.sensor.emi.maxC < s.sensor.emi.minC) ctx.addIssue({ code: "custom", path: ["sensor", "emi", "maxC"], message: "must be >= minC" });

  if (s.kind === "model") {
    s.channels.forEach((c, i) => {
      if (c.positionMm === undefined) ctx.addIssue({ code: "custom", path: ["channels", i, "positionMm"], message: "is required in a model scenario" });
    });
    const ids = new Set<string>();
    s.sources.forEach((src, i) => {
      if (ids.has(src.id)) ctx.addIssue({ code: "custom", path: ["sources", i, "id"], message: `duplicate source id "${src.id}"` });
      ids.add(src.id);
    });
    s.cooling.forEach((c, i) => c.targets?.forEach((t, j) => known(t, ["cooling", i, "targets", j])));
    s.eventCoolingTargets?.forEach((t, j) => known(t, ["eventCoolingTargets", j]));
  } else {
    if ((s.keyframes === undefined) === (s.csvFile === undefined)) {
      ctx.addIssue({ code: "custom", path: ["keyframes"], message: "give exactly one of keyframes or csvFile" });
    }
    if (s.keyframes !== undefined) {
      for (const c of s.channels) {
        if (s.keyframes[c.label] === undefined) ctx.addIssue({ code: "custom", path: ["keyframes", c.label], message: "is missing (every channel needs keyframes)" });
      }
      for (const [key, points] of Object.entries(s.keyframes)) {
        known(key, ["keyframes", key]);
        points.forEach((p, i) => {
          if (i > 0 && p[0] < points[i - 1][0]) ctx.addIssue({ code: "custom", path: ["keyframes", key, i, 0], message: "time must not decrease" });
        });
      }
    }
    s.generatorOn.forEach((g, i) => {
      if (g[1] < g[0]) ctx.addIssue({ code: "custom", path: ["generatorOn", i, 1], message: "end must be >= start" });
    });
  }
});

/** A validated scenario (defaults filled in). */
export type Scenario = z.output<typeof scenarioSchema>;
/** A validated model scenario. */
export type ModelScenario = Extract<Scenario, { kind: "model" }>;
/** A validated trace scenario. */
export type TraceScenario = Extract<Scenario, { kind: "trace" }>;
/** One channel of a scenario. */
export type ScenarioChannel = Scenario["channels"][number];
/** Scenario file as written (defaults optional). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
