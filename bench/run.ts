// npm run bench: runs every benchmark in one process and writes BENCHMARKS.md; `npm run bench -- <name>...` re-runs only those and replaces their sections.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { describeMachine } from "./machine";
import type { BenchSection, TargetResult } from "./section";

type BenchModule = { title: string; load: () => Promise<() => Promise<BenchSection>> };

/** Benchmarks in the order they appear in BENCHMARKS.md. Each is loaded lazily so one failing does not stop the rest. */
const BENCHES: BenchModule[] = [
  { title: "codec", load: async () => {
    const { run } = await import("./codec.bench");
    const { validateDeviceMessage } = await import("../host/protocol/zod-schemas");
    return () => run((m) => validateDeviceMessage(m).ok);
  } },
  { title: "device", load: async () => (await import("../device/bench/core-bench")).run },
  { title: "sim", load: async () => (await import("./sim.bench")).run },
  { title: "espruino", load: async () => (await import("./espruino.bench")).run },
  { title: "startup", load: async () => (await import("./startup.bench")).run },
  { title: "latency", load: async () => (await import("./latency.bench")).run },
  { title: "cost", load: async () => (await import("./cost.bench")).run },
  { title: "capacity", load: async () => (await import("./capacity.bench")).run },
  { title: "mqtt", load: async () => (await import("./mqtt.bench")).run },
];

/** Marks the start of a benchmark's section in BENCHMARKS.md, so that a benchmark run alone replaces only its own section. */
const MARK = (title: string): string => `<!-- bench:${title} -->`;
const SUMMARY_HEAD = "## Targets\n\n| benchmark | target | figure in this run | met |\n|---|---|---|---|\n";

function targetRow(bench: string, t: TargetResult): string {
  return `| ${bench} | ${t.target} | ${t.figure} | ${t.met ? "met" : "**not met**"} |`;
}

/**
 * BENCHMARKS.md after re-running only the benchmarks in `sections` (title -> section text, rows of
 * the targets table): their sections and target rows are replaced, everything else is kept as the
 * last full run wrote it.
 */
function mergeInto(md: string, sections: Map<string, { text: string; rows: string[] }>): string {
  const parts = md.split(/(?=<!-- bench:[a-z]+ -->)/);
  const head = parts[0];
  const body: string[] = [];
  const seen = new Set<string>();
  for (const p of parts.slice(1)) {
    const title = /^<!-- bench:([a-z]+) -->/.exec(p)![1];
    const s = sections.get(title);
    if (s) seen.add(title);
    body.push(s ? s.text + "\n" : p);
  }
  for (const [title, s] of sections) if (!seen.has(title)) body.push(s.text + "\n");
  const lines = head.split("\n");
  const kept = lines.filter((l) => {
    const m = /^\| ([a-z]+) \|/.exec(l);
    return !(m && sections.has(m[1]));
  });
  const rows: string[] = [];
  for (const s of sections.values()) rows.push(...s.rows);
  let at = kept.findIndex((l) => l === "|---|---|---|---|");
  if (at < 0) {
    kept.push(...SUMMARY_HEAD.split("\n"));
    at = kept.length - 2;
  }
  while (at + 1 < kept.length && kept[at + 1].startsWith("| ")) at++;
  kept.splice(at + 1, 0, ...rows);
  return kept.join("\n") + body.join("");
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const started = new Date().toISOString();
  const machine = describeMachine();
  const sections = new Map<string, { text: string; rows: string[] }>();
  const rows: string[] = [];
  for (const b of BENCHES) {
    if (only.length && !only.includes(b.title)) continue;
    process.stdout.write(`bench ${b.title} ... `);
    let text: string;
    let own: string[];
    try {
      const s = await (await b.load())();
      own = (s.targets ?? []).map((t) => targetRow(b.title, t));
      const alone = only.length ? `*Run alone* (\`npm run bench -- ${b.title}\`) on ${started}; ${machine}.\n\n` : "";
      text = `${MARK(b.title)}\n## ${s.title}\n\n${alone}*Method:* ${s.method}\n\n${s.body}\n`;
      console.log("done");
    } catch (e) {
      console.log("FAILED");
      text = `${MARK(b.title)}\n## ${b.title}\n\nFAILED in this run: ${(e as Error).message}\n`;
      own = [targetRow(b.title, { target: `(${b.title} benchmark)`, figure: "FAILED: " + (e as Error).message, met: false })];
    }
    sections.set(b.title, { text, rows: own });
    rows.push(...own);
  }
  const out = fileURLToPath(new URL("../BENCHMARKS.md", import.meta.url));
  if (only.length > 0) {
    writeFileSync(out, mergeInto(existsSync(out) ? readFileSync(out, "utf8") : "# Benchmarks\n\n", sections));
    console.log(`BENCHMARKS.md: sections ${[...sections.keys()].join(", ")} replaced`);
    return;
  }
  const summary = rows.length > 0 ? SUMMARY_HEAD + rows.join("\n") + "\n\n" : "";
  const all = [...sections.values()].map((s) => s.text).join("\n");
  const md = `# Benchmarks\n\nWritten by \`npm run bench\` on ${started} in ${((Date.now() - Date.parse(started)) / 1000).toFixed(0)} s. All figures in a file come from one run on one machine, except sections marked *Run alone* (\`npm run bench -- <benchmark>\` replaces only that benchmark's section and target rows).\n\n*Machine:* ${machine}; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(" / ")} (other work shares these two cores: latency tails and CPU figures move with it, which is why the latency and cost benchmarks run the bridge, the bare relay and Node-RED at the same time).\n\n${summary}${all}`;
  writeFileSync(out, md);
}

await main();
