// npm run bench: runs every benchmark in one process and writes BENCHMARKS.md (method, machine, medians).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describeMachine } from "./machine";
import type { BenchSection } from "./section";

type BenchModule = { title: string; load: () => Promise<() => Promise<BenchSection>> };

/** Benchmarks in the order they appear in BENCHMARKS.md. Each is loaded lazily so one failing does not stop the rest. */
const BENCHES: BenchModule[] = [
  { title: "codec", load: async () => (await import("./codec.bench")).run },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const started = new Date().toISOString();
  const machine = describeMachine();
  const sections: string[] = [];
  for (const b of BENCHES) {
    if (only.length && !only.includes(b.title)) continue;
    process.stdout.write(`bench ${b.title} ... `);
    try {
      const s = await (await b.load())();
      sections.push(`## ${s.title}\n\n*Method:* ${s.method}\n\n${s.body}\n`);
      console.log("done");
    } catch (e) {
      console.log("FAILED");
      sections.push(`## ${b.title}\n\nFAILED in this run: ${(e as Error).message}\n`);
    }
  }
  const md = `# Benchmarks\n\nWritten by \`npm run bench\` on ${started}. All figures in a file come from one run on one machine.\n\n*Machine:* ${machine}\n\n${sections.join("\n")}`;
  const out = fileURLToPath(new URL("../BENCHMARKS.md", import.meta.url));
  if (only.length === 0) writeFileSync(out, md);
  else console.log(md);
}

await main();
