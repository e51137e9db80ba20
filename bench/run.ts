// npm run bench: runs every benchmark in one process and writes BENCHMARKS.md (method, machine, medians).
import { writeFileSync } from "node:fs";
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
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const started = new Date().toISOString();
  const machine = describeMachine();
  const sections: string[] = [];
  const targets: TargetResult[] = [];
  for (const b of BENCHES) {
    if (only.length && !only.includes(b.title)) continue;
    process.stdout.write(`bench ${b.title} ... `);
    try {
      const s = await (await b.load())();
      targets.push(...(s.targets ?? []));
      sections.push(`## ${s.title}\n\n*Method:* ${s.method}\n\n${s.body}\n`);
      console.log("done");
    } catch (e) {
      console.log("FAILED");
      sections.push(`## ${b.title}\n\nFAILED in this run: ${(e as Error).message}\n`);
      targets.push({ target: `(${b.title} benchmark)`, figure: "FAILED: " + (e as Error).message, met: false });
    }
  }
  let summary = "";
  if (targets.length > 0) {
    summary = `## Targets\n\n| target | figure in this run | met |\n|---|---|---|\n`;
    for (const t of targets) summary += `| ${t.target} | ${t.figure} | ${t.met ? "met" : "**not met**"} |\n`;
    summary += "\n";
  }
  const md = `# Benchmarks\n\nWritten by \`npm run bench\` on ${started} in ${((Date.now() - Date.parse(started)) / 1000).toFixed(0)} s. All figures in a file come from one run on one machine.\n\n*Machine:* ${machine}; load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(" / ")} (other work shares these two cores: latency tails and CPU figures move with it, which is why the latency and cost benchmarks run the bridge, the bare relay and Node-RED at the same time).\n\n${summary}${sections.join("\n")}`;
  const out = fileURLToPath(new URL("../BENCHMARKS.md", import.meta.url));
  if (only.length === 0) writeFileSync(out, md);
  else console.log(md);
}

await main();
