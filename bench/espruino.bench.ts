// Device on its target: Espruino bundle sizes, variables used with 8 channels in a 5,000-variable interpreter, and the time one sample takes there.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { measureBundleSizes } from "../device/bench/core-bench";
import { bundleForEspruino, ESPRUINO_BUNDLES } from "../device/build/build-espruino";
import type { BenchSection, TargetResult } from "./section";
import { fmt } from "./stats";

/** Built outside the repo (see /work/tools/ESPRUINO-LINUX.md); used only when present. */
const INTERPRETER = "/work/espruino/bin/espruino-5000";
/** The growable-heap build, only to write the bundle into Storage. */
const WRITER = "/work/espruino/bin/espruino-default";
const RUNNER = "/work/tools/espruino-run.sh";
const SIM_RUN_S = 6;
/** Team targets. */
const MAX_BUNDLE_BYTES = 32 * 1024;
const VAR_BUDGET = 5000;
/** "Room to spare": at least this share of the variables left free at the peak. */
const SPARE_SHARE = 0.2;

interface Memory {
  free: number;
  usage: number;
  total: number;
}

/** Runs the Linux runner on `script` in `dir` (its Storage file espruino.flash persists there) with interpreter `bin`. */
function runner(bin: string, dir: string, script: string, seconds: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(RUNNER, [script, String(seconds)], { cwd: dir, env: { ...process.env, ESPRUINO_BIN: bin, ESPRUINO_FLASH_DIR: dir }, timeout: (seconds + 20) * 1000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err && !stdout) reject(new Error(`espruino-run failed: ${err.message} ${stderr.slice(-300)}`));
      else resolve(stdout);
    });
  });
}

/**
 * Runs a bundle as a board does after `SAVE_ON_SEND=1` (device/README.md): the code sits in Storage as .bootcde and
 * executes from there, so its text is not held in variables. Written with the growable interpreter (a 28 KB string
 * does not fit 5,000 variables), then evaluated from Storage in the fixed 5,000-variable one; prints its output.
 */
async function runFromStorage(code: string, seconds: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tg-espruino-bench-"));
  try {
    await writeFile(path.join(dir, "write.js"), `require("Storage").write(".bootcde",${JSON.stringify(code)});print("TGWRITTEN "+require("Storage").read(".bootcde").length);`);
    const w = await runner(WRITER, dir, path.join(dir, "write.js"), 1);
    if (!w.includes("TGWRITTEN " + code.length)) throw new Error("could not write the bundle to Espruino Storage: " + w.slice(-300));
    await writeFile(path.join(dir, "run.js"), `eval(require("Storage").read(".bootcde"));`);
    return await runner(INTERPRETER, dir, path.join(dir, "run.js"), seconds);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function memLine(out: string, label: string): Memory | null {
  const m = new RegExp(`\\[espruino-run\\] ${label}: (\\{[^}]*\\})`).exec(out);
  return m ? (JSON.parse(m[1]) as Memory) : null;
}

function bucketPercentile(buckets: [number, number][], total: number, p: number): number {
  let acc = 0;
  for (const [us, n] of buckets) {
    acc += n;
    if (acc >= (p / 100) * total) return us;
  }
  return NaN;
}

export async function run(): Promise<BenchSection> {
  const targets: TargetResult[] = [];
  const sizes = await measureBundleSizes();
  let body = `Bundle sizes: ${sizes.map((s) => `${s.name} ${fmt(s.bytes)} bytes (${(s.bytes / 1024).toFixed(1)} KB)`).join(", ")}; limit ${fmt(MAX_BUNDLE_BYTES)} bytes.\n`;
  const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  targets.push({ target: "Espruino bundle <= 32 KB minified", figure: sizes.map((s) => `${s.name} ${(s.bytes / 1024).toFixed(1)} KB`).join(", "), met: largest.bytes <= MAX_BUNDLE_BYTES });

  let method = `Bundle sizes from the same esbuild settings as build:device (device/bench/core-bench.ts measureBundleSizes).`;
  if (!existsSync(INTERPRETER) || !existsSync(WRITER) || !existsSync(RUNNER)) {
    body += `\nEspruino variables and per-sample time: **not measured here** (no Espruino interpreter at ${INTERPRETER}).\n`;
    targets.push({ target: "8 channels within 5,000 Espruino variables with room to spare", figure: "not measured here (no interpreter)", met: false });
    return { title: "Device on Espruino: bundle size, variables, time per sample", method: method, body: body, targets: targets };
  }

  // 1. The real sim bundle with 8 channels, running its own 10 Hz loop for a few seconds.
  const sim = ESPRUINO_BUNDLES.find((b) => b.entry.endsWith("main-sim.ts"))!;
  const simCode = "var TG_SIM_CHANNELS=8;\n" + (await bundleForEspruino(sim.entry));
  const out = await runFromStorage(simCode, SIM_RUN_S);
  const load = memLine(out, "after load");
  const end = memLine(out, `after ${SIM_RUN_S}s`);
  const errors = /errors=(\[[^\]]*\])/.exec(out)?.[1] ?? "?";
  const rLines = out.split("\n").filter((l) => /^\$R,\d+,\d+(,[^,*]+){8}\*/.test(l)).length;

  // 2. A bench bundle: the same runtime and synthetic source, 1,200 ticks in simulated time, each timed with getTime().
  const costOut = await runFromStorage(await bundleForEspruino("bench/espruino-cost-entry.ts"), 40);
  const line = /TGBENCH (\{.*\})/.exec(costOut)?.[1];
  if (!line) throw new Error("Espruino cost bundle printed no result: " + costOut.slice(-400));
  const buckets = [...costOut.matchAll(/TGBUCKET (\d+) (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]);
  const c = JSON.parse(line) as { samples: number; bucketUs: number; sumUs: number; maxUs: number; sourceUs: number; bytes: number; alarms: number; memBefore: number; memSetup: number; memPeak: number; memAfter: number; total: number };
  const p50 = bucketPercentile(buckets, c.samples, 50);
  const p99 = bucketPercentile(buckets, c.samples, 99);
  const mean = c.sumUs / c.samples;

  const peakUse = Math.max(end?.usage ?? 0, load?.usage ?? 0, c.memPeak, c.memAfter);
  const spare = VAR_BUDGET - peakUse;
  body += `\n| Espruino 2v29, i386 build with a fixed ${fmt(VAR_BUDGET)}-variable heap (the 32-bit ARM layout) | value |\n|---|---|\n`;
  body += `| sim bundle, 8 channels, run from Storage: variables used after load / after ${SIM_RUN_S} s of its 10 Hz loop | ${load ? fmt(load.usage) : "?"} / ${end ? fmt(end.usage) : "?"} of ${end ? fmt(end.total) : "?"} (${fmt(spare)} free, ${((100 * spare) / VAR_BUDGET).toFixed(0)} %) |\n`;
  body += `| sim bundle: 8-channel R lines written in ${SIM_RUN_S} s; error flags | ${rLines}; ${errors} |\n`;
  body += `| bench bundle: variables for the runtime (after construction - before), peak while ${c.samples} samples ran incl. alarms, after | ${fmt(c.memSetup - c.memBefore)}; ${fmt(c.memPeak)}; ${fmt(c.memAfter)} of ${fmt(c.total)} |\n`;
  body += `| one sample (runtime tick: synthetic source read, monitor step, R line, D / S lines when due): median / p99 / max / mean | ${p50} / ${p99} / ${c.maxUs.toFixed(0)} / ${mean.toFixed(0)} µs (percentiles to ${c.bucketUs} µs buckets) |\n`;
  body += `| of which the synthetic source's read (8 channels) | ${c.sourceUs.toFixed(0)} µs |\n`;
  body += `| per channel-sample (mean tick / 8) | ${(mean / 8).toFixed(0)} µs |\n`;
  body += `| alarms present at the end; bytes written | ${c.alarms}; ${fmt(c.bytes)} |\n`;
  body += `\nThese are times of the Espruino interpreter on this PC's CPU, not on a board: ESPRUINO-LINUX.md estimates an STM32F4 at 84 MHz 20-100x slower, i.e. roughly ${((mean * 20) / 1000).toFixed(0)}–${((mean * 100) / 1000).toFixed(0)} ms of a 100 ms sample period (not calibrated on a board here).\n`;
  targets.push({
    target: "8 channels run within 5,000 Espruino variables with room to spare",
    figure: `peak ${fmt(peakUse)} of ${fmt(VAR_BUDGET)} variables used, alarms included (${((100 * spare) / VAR_BUDGET).toFixed(0)} % free), ${rLines} 8-channel R lines in ${SIM_RUN_S} s, error flags ${errors}`,
    met: peakUse <= VAR_BUDGET * (1 - SPARE_SHARE) && errors === "[]" && rLines > 0,
  });
  method +=
    ` Variables: the sim bundle (device/espruino/main-sim.ts, TG_SIM_CHANNELS=8) run for ${SIM_RUN_S} s by /work/tools/espruino-run.sh in ${INTERPRETER} (Espruino 2v29 built outside the repo, fixed ${fmt(VAR_BUDGET)} variables, 13-byte variables as on a 32-bit ARM board), ` +
    `loaded as a board runs it after SAVE_ON_SEND=1 (device/README.md): the bundle is written to Storage as .bootcde (with the growable-heap build) and evaluated from there, so function bodies stay in "flash"; process.memory() after load and at the end. "Room to spare" is read as at least ${SPARE_SHARE * 100} % free. ` +
    `Time per sample: a bench bundle (bench/espruino-cost-entry.ts, same esbuild settings) builds the runtime with the Espruino sizes (ring ${"128"} readings, alarm queue 16) and the same 8-channel synthetic source, ` +
    `and ticks it at 100 ms steps of simulated device time for ${c.samples} samples (120 s: the nerve channels heat from 60 s, so WARN, PREDICT and INTERVENE run too), timing each tick with getTime().`;
  return { title: "Device on Espruino: bundle size, variables, time per sample", method: method, body: body, targets: targets };
}
