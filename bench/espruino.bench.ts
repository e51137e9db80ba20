// Device on its target: ARM Thumb-2 instructions per sample in Espruino's own interpreter (1, 3, 8 channels; quiet, alarms, no host; chips), Pico estimate, heap after 120 s, bundle sizes.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { measureBundleSizes } from "../device/bench/core-bench";
import { bundleForEspruino, ESPRUINO_BUNDLES, pretokenisedBundleForEspruino } from "../device/build/build-espruino";
import { FLOOR_LOOPS, floorScript } from "./espruino-floor";
import { max31855Word } from "../sim/chip-words";
import type { BenchSection, TargetResult } from "./section";
import { fmt } from "./stats";

/** Environment variables naming the interpreter build folder and the folder of count.sh / run.sh. */
export const ESPRUINO_OUT_ENV = "ESPRUINO_OUT";
export const ESPRUINO_TOOLS_ENV = "ESPRUINO_TOOLS";

/** Samples counted per configuration, and the second count that checks the figure is per sample. */
const N_SAMPLES = 300;
const N_CHECK = 150;
/** Wall-clock seconds of the heap run (the sim bundle's own 10 Hz loop; heating starts at 60 s). */
const HEAP_RUN_S = 120;
/** Espruino Pico: STM32F401, Cortex-M4 at 84 MHz; assumed cycles per instruction. */
const PICO_HZ = 84e6;
const CPI_LOW = 1.0;
const CPI_HIGH = 1.5;
/** Targets for the worst state at 8 and 3 channels (instructions per sample), heap and bundles. */
const MAX_WORST_8CH = 1.4e6;
const AIM_WORST_8CH = 0.56e6;
const MAX_WORST_3CH = 0.6e6;
const VAR_TOTAL = 5000;
const MIN_FREE_SHARE = 0.3;
const MAX_BUNDLE_BYTES = 32 * 1024;

const CHANNELS = [1, 3, 8];
const STATES: { key: string; label: string }[] = [
  { key: "quiet", label: "quiet (a host listening)" },
  { key: "alarm", label: "heating, alarms raised (a host acknowledging)" },
  { key: "nohost", label: "alarms unacknowledged, no host listening" },
];

/** Runs one of the tool's scripts; resolves with its stdout (rejects on a non-zero exit). */
function tool(script: string, args: string[], timeoutS: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile("bash", [script, ...args], { timeout: timeoutS * 1000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(script)} failed: ${err.message.split("\n")[0]} ${stderr.slice(-300)} ${stdout.slice(-300)}`));
      else resolve(stdout);
    });
  });
}

interface Count {
  instructions: number;
  summary: { [k: string]: number | string };
}

/** count.sh on the cost bundle with a prelude; the guest instruction count and the bundle's summary line. */
async function count(countSh: string, out: string, bundle: string, prelude: string): Promise<Count> {
  const text = await tool(countSh, ["-o", out, "-e", prelude, bundle], 900);
  const n = /instructions: (\d+)/.exec(text);
  const s = /TGCOST (\{.*\})/.exec(text);
  if (!n || !s) throw new Error("count.sh printed no count or summary: " + text.slice(-300));
  return { instructions: Number(n[1]), summary: JSON.parse(s[1]) as Count["summary"] };
}

/** count.sh on a plain script (no summary line): the guest instruction count. */
async function instructionsOf(countSh: string, out: string, js: string, prelude: string): Promise<number> {
  const n = /instructions: (\d+)/.exec(await tool(countSh, ["-o", out, "-e", prelude, js], 300));
  if (!n) throw new Error("count.sh printed no count for " + path.basename(js));
  return Number(n[1]);
}

interface PerSample {
  /** (count(N) - count(0)) / N. */
  perSample: number;
  /** The same from N_CHECK samples. */
  check: number;
  end: Count["summary"];
}

async function perSample(countSh: string, out: string, bundle: string, prelude: string): Promise<PerSample> {
  const c0 = await count(countSh, out, bundle, `var TG_N=0;${prelude}`);
  const cn = await count(countSh, out, bundle, `var TG_N=${N_SAMPLES};${prelude}`);
  const ch = await count(countSh, out, bundle, `var TG_N=${N_CHECK};${prelude}`);
  return { perSample: (cn.instructions - c0.instructions) / N_SAMPLES, check: (ch.instructions - c0.instructions) / N_CHECK, end: cn.summary };
}

const M = (x: number): string => (x / 1e6).toFixed(2) + " M";
/** Pico ms per sample (= % of the 100 ms period) at CPI_LOW..CPI_HIGH. */
const picoMs = (instr: number): string => `${((instr * CPI_LOW) / (PICO_HZ / 1000)).toFixed(1)}–${((instr * CPI_HIGH) / (PICO_HZ / 1000)).toFixed(1)}`;

function notMeasured(why: string, sizesBody: string, targets: TargetResult[]): BenchSection {
  const body = sizesBody +
    `\nInstructions per sample and heap: **not measured** in this run (${why}). To measure them, build Espruino 2v29's public source ` +
    `(espruino/Espruino, tag RELEASE_2V29) for ARM with a 5,000-variable heap and the instruction-counting QEMU plugin, in a folder ` +
    `outside this repository, with the build script of the Espruino instruction-count tool; then set ${ESPRUINO_OUT_ENV} to that build's ` +
    `output folder and ${ESPRUINO_TOOLS_ENV} to the tool's folder (the one holding count.sh and run.sh), and run \`npm run bench -- espruino\`.\n`;
  targets.push({ target: `Espruino worst state, 8 ch x 10 Hz <= ${M(MAX_WORST_8CH)} instructions per sample`, figure: "not measured (no interpreter)", met: false });
  return { title: TITLE, method: METHOD_SIZES, body: body, targets: targets };
}

const TITLE = "Device on Espruino: instructions per sample, Pico estimate, heap, bundle size";
const METHOD_SIZES = "Bundle sizes from the same esbuild settings as build:device (device/bench/core-bench.ts measureBundleSizes).";

export async function run(): Promise<BenchSection> {
  const targets: TargetResult[] = [];
  const sizes = await measureBundleSizes();
  const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const sizesBody = `Bundle sizes: ${sizes.map((s) => `${s.name} ${fmt(s.bytes)} bytes (${(s.bytes / 1024).toFixed(1)} KB)`).join(", ")}; limit ${fmt(MAX_BUNDLE_BYTES)} bytes.\n`;
  targets.push({ target: "Espruino bundles <= 32 KB minified", figure: sizes.map((s) => `${s.name} ${(s.bytes / 1024).toFixed(1)} KB`).join(", "), met: largest.bytes <= MAX_BUNDLE_BYTES });

  const out = process.env[ESPRUINO_OUT_ENV];
  const tools = process.env[ESPRUINO_TOOLS_ENV];
  if (!out || !tools) return notMeasured(`${!out ? ESPRUINO_OUT_ENV : ESPRUINO_TOOLS_ENV} is not set`, sizesBody, targets);
  const countSh = path.join(tools, "count.sh");
  const runSh = path.join(tools, "run.sh");
  if (!existsSync(countSh) || !existsSync(runSh)) return notMeasured(`no count.sh / run.sh in ${ESPRUINO_TOOLS_ENV}`, sizesBody, targets);

  const dir = await mkdtemp(path.join(os.tmpdir(), "tg-espruino-bench-"));
  try {
    const costJs = path.join(dir, "cost.js");
    await writeFile(costJs, await bundleForEspruino("bench/espruino-cost-entry.ts"));
    const sim = ESPRUINO_BUNDLES.find((b) => b.entry.endsWith("main-sim.ts"))!;
    const simJs = path.join(dir, "sim.js");
    await writeFile(simJs, await bundleForEspruino(sim.entry));
    const words: number[] = [];
    for (let i = 0; i < 8; i++) words.push(max31855Word(37 + 0.1 * i, 25, "T"));

    const rows: string[] = [];
    const worst = new Map<number, number>();
    const quiet = new Map<number, number>();
    let maxSpread = 0;
    for (const ch of CHANNELS) {
      const cells: string[] = [];
      for (const st of STATES) {
        const r = await perSample(countSh, out, costJs, `var TG_CH=${ch},TG_STATE="${st.key}";`);
        maxSpread = Math.max(maxSpread, Math.abs(r.check - r.perSample) / r.perSample);
        worst.set(ch, Math.max(worst.get(ch) ?? 0, r.perSample));
        if (st.key === "quiet") quiet.set(ch, r.perSample);
        cells.push(`${M(r.perSample)} (${picoMs(r.perSample)} ms; ${r.end.present} alarms, ${r.end.retx} retx)`);
      }
      rows.push(`| ${ch} | ${cells.join(" | ")} |`);
    }
    const chip = await perSample(countSh, out, costJs, `var TG_CH=8,TG_STATE="chip",TG_WORDS=${JSON.stringify(words)};`);
    const chipVary = await perSample(countSh, out, costJs, `var TG_CH=8,TG_STATE="chipvary",TG_WORDS=${JSON.stringify(words)};`);
    for (const c of [chip, chipVary]) maxSpread = Math.max(maxSpread, Math.abs(c.check - c.perSample) / c.perSample);

    let body = sizesBody + `\n| channels | ${STATES.map((s) => s.label).join(" | ")} |\n|---|---|---|---|\n` + rows.join("\n") + "\n";
    body += `\nEach cell: ARM Thumb-2 instructions per sample (the Espruino Pico estimate in brackets: ms per 100 ms sample at ${CPI_LOW.toFixed(1)}–${CPI_HIGH.toFixed(1)} cycles per instruction at 84 MHz, which is also the % of the period; alarms present and alarm retransmissions at the end).\n`;
    const quiet8 = quiet.get(8) ?? NaN;
    body += `\nChip path (8 MAX31855T converters on a fake SPI bus, type T probes at 37.0-37.7 degC, cold junction 25 degC; quiet, a host listening): ` +
      `steady probes (each chip repeats its word, as a probe at a steady temperature does between 0.25 degC steps) **${M(chip.perSample)}** per sample (${picoMs(chip.perSample)} ms); ` +
      `every word different from the chip's previous one (each decoded with the ITS-90 correction) **${M(chipVary.perSample)}** (${picoMs(chipVary.perSample)} ms). ` +
      `The synthetic source's 8-channel quiet figure above is the same runtime with arithmetic instead of SPI transfers and decoding (${M(quiet8)}).\n`;
    body += `\nPer-sample figures from ${N_SAMPLES} samples agree with those from ${N_CHECK} within ${(100 * maxSpread).toFixed(1)} %.\n`;

    const tokJs = path.join(dir, "cost.pretok.js");
    await writeFile(tokJs, await pretokenisedBundleForEspruino("bench/espruino-cost-entry.ts"), "latin1");
    const tok8 = await perSample(countSh, out, tokJs, `var TG_CH=8,TG_STATE="nohost";`);
    const tok3 = await perSample(countSh, out, tokJs, `var TG_CH=3,TG_STATE="nohost";`);
    body += `\nPretokenised (the same cost bundle through device/build/pretokenise.ts, as Espruino's "Pretokenise code before upload" sends it), worst state: ` +
      `8 channels **${M(tok8.perSample)}** (${picoMs(tok8.perSample)} ms), 3 channels **${M(tok3.perSample)}** (${picoMs(tok3.perSample)} ms), against ${M(worst.get(8) ?? NaN)} and ${M(worst.get(3) ?? NaN)} plain.\n`;

    const floor: string[] = [];
    let least = NaN;
    for (const loop of FLOOR_LOOPS) {
      const js = path.join(dir, "floor.js");
      await writeFile(js, floorScript(loop));
      const a = await instructionsOf(countSh, out, js, "var N=0;");
      const b = await instructionsOf(countSh, out, js, `var N=${N_SAMPLES};`);
      least = (b - a) / N_SAMPLES;
      floor.push(`${loop.label} ${M(least)}`);
    }
    body += `\nThe interpreter's floor (bench/espruino-floor.ts: a step function over 8 channels of typed arrays, called once per sample, nothing else): ${floor.join("; ")} per sample. ` +
      `Every executed token, variable lookup and call is paid for (2-7 k instructions per elementary operation), so the least a sample can be (the reading compared, converted and held to the spike allowance, one band compare, three doses, the R line) already costs ${M(least)}, ${Math.round((100 * least) / MAX_WORST_8CH)} % of the ${M(MAX_WORST_8CH)} budget and above the ${M(AIM_WORST_8CH)} aim, ` +
      `before confirmation, trend and PREDICT, alarm handling, D and S lines, annunciation, the tick and the source.\n`;

    const w8 = worst.get(8) ?? NaN;
    const w3 = worst.get(3) ?? NaN;
    targets.push({ target: `Espruino worst state, 8 ch x 10 Hz <= ${M(MAX_WORST_8CH)} instructions per sample (aim ${M(AIM_WORST_8CH)})`, figure: `${M(w8)} (Pico ${picoMs(w8)} % of the period)`, met: w8 <= MAX_WORST_8CH });
    targets.push({ target: `Espruino worst state, 3 ch x 10 Hz <= ${M(MAX_WORST_3CH)} instructions per sample`, figure: `${M(w3)} (Pico ${picoMs(w3)} %)`, met: w3 <= MAX_WORST_3CH });

    // Heap: the sim bundle with 8 channels in its own 10 Hz loop for HEAP_RUN_S s (alarms from 60 s, no host: the alarm queue fills).
    const heapText = await tool(runSh, ["-o", out, "-s", String(HEAP_RUN_S), "-e", "var TG_SIM_CHANNELS=8;", simJs], HEAP_RUN_S * 3 + 120);
    const mem = (label: string) => {
      const m = new RegExp(`\\[run\\.sh\\] memory ${label}: used (\\d+) free (\\d+) total (\\d+) flags (\\S+)`).exec(heapText);
      return m ? { used: Number(m[1]), free: Number(m[2]), total: Number(m[3]), flags: m[4] } : null;
    };
    const load = mem("after load");
    const end = mem(`after ${HEAP_RUN_S} s`);
    const alarms = (heapText.match(/\$A,/g) || []).length;
    const readings = (heapText.match(/\$R,/g) || []).length;
    if (!load || !end) throw new Error("run.sh printed no memory report: " + heapText.slice(-300));
    body += `\nHeap (the sim bundle, 8 channels, its own 10 Hz loop for ${HEAP_RUN_S} s of wall time, heating from 60 s, no host: alarms stay unacknowledged): ` +
      `variables used after load ${fmt(load.used)}, after ${HEAP_RUN_S} s ${fmt(end.used)} of ${fmt(end.total)} (${fmt(end.free)} free, ${((100 * end.free) / end.total).toFixed(0)} %); ` +
      `error flags ${end.flags}; ${fmt(readings)} R and ${fmt(alarms)} A lines written.\n`;
    targets.push({ target: `Espruino heap at 8 channels >= ${MIN_FREE_SHARE * 100} % of ${fmt(VAR_TOTAL)} variables free after ${HEAP_RUN_S} s`, figure: `${fmt(end.free)} free (${((100 * end.free) / end.total).toFixed(0)} %), flags ${end.flags}`, met: end.free >= MIN_FREE_SHARE * VAR_TOTAL && end.flags === "[]" });

    const method = METHOD_SIZES +
      ` Instructions: Espruino 2v29's own interpreter (public source, tag RELEASE_2V29), built for ARM Thumb-2 with a fixed ${fmt(VAR_TOTAL)}-variable heap (an Espruino Pico's) and doubles in software as on a Cortex-M4F, outside this repository; ` +
      `count.sh runs a bundle under qemu-arm with an instruction-counting plugin and reports the guest instructions of the whole process (the bundle evaluated from memory, as a board runs saved code). ` +
      `The cost bundle (bench/espruino-cost-entry.ts, the same esbuild settings) builds the runtime with the Pico's sizes (ring 128 readings, alarm queue 16) and the sim bundle's channel layout, ` +
      `warms it up for 80 samples, then ticks it for N more samples of simulated time, calling tick() whenever the runtime asks (sample instants and output pattern edges), as the board's loop does; ` +
      `per sample = (count(N) - count(0)) / N with N = ${N_SAMPLES}, checked with N = ${N_CHECK}. States: quiet = 0-38 s of the synthetic cycle, a host that sent HELLO; ` +
      `heating = 120-150 s, nerve sites at 40-43 degC (WARN, INTERVENE, PREDICT present), the host answering every A line with AK; no host = the same without HELLO or AK. ` +
      `Pico estimate: ms = instructions x CPI / 84,000 (STM32F401 at 84 MHz), CPI ${CPI_LOW}–${CPI_HIGH}; qemu counts instructions, not cycles (flash wait states, interrupts and USB are not modelled). ` +
      `Heap: run.sh (the same interpreter in real time) on the sim bundle, process.memory() after a garbage collection.`;
    return { title: TITLE, method: method, body: body, targets: targets };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
