// Protocol codec throughput: encode and decode(+validate) of realistic lines, lines/s, median of runs.
import { decode, encode, type Message } from "../protocol";
import type { BenchSection } from "./section";
import { fmt, median, percentile } from "./stats";

const RUNS = 9;
const LINES = 100_000;

function readings(n: number): Message[] {
  const out: Message[] = [];
  for (let i = 0; i < n; i++) {
    const v: number[] = [];
    for (let c = 0; c < 8; c++) v.push(3700 + ((i * 7 + c * 13) % 900));
    out.push({ type: "R", seq: i, tMs: i * 100, values: v });
  }
  return out;
}

function rate(fn: () => void, count: number): number[] {
  const rates: number[] = [];
  fn(); // warm-up
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(count / s);
  }
  return rates;
}

/** Optional extra validation stage (the host's zod schemas), injected so this file has no host dependency. */
export type Validator = (m: Message) => boolean;

export async function run(validate?: Validator): Promise<BenchSection> {
  const msgs = readings(LINES);
  const lines = msgs.map(encode);
  let sink = 0;
  const enc = rate(() => {
    for (const m of msgs) sink += encode(m).length;
  }, LINES);
  const dec = rate(() => {
    for (const l of lines) if (decode(l).ok) sink++;
  }, LINES);
  const rows = [
    ["encode R (8 channels)", enc],
    ["decode R (CRC + parse + bounds)", dec],
  ] as [string, number[]][];
  if (validate) {
    const decVal = rate(() => {
      for (const l of lines) {
        const r = decode(l);
        if (r.ok && validate(r.msg)) sink++;
      }
    }, LINES);
    rows.push(["decode + zod validate R", decVal]);
  }
  if (sink < 0) console.log(sink);
  let body = `| operation | median lines/s | p10 lines/s | µs per line (median) |\n|---|---|---|---|\n`;
  for (const [name, r] of rows) body += `| ${name} | ${fmt(median(r))} | ${fmt(percentile(r, 10))} | ${(1e6 / median(r)).toFixed(2)} |\n`;
  body += `\nExample line (${lines[1].length - 1} bytes): \`${lines[1].trimEnd()}\`\n`;
  return {
    title: "Protocol codec throughput",
    method: `${LINES.toLocaleString("en-US")} 8-channel reading lines per run, ${RUNS} timed runs after one warm-up, in-process (no I/O).`,
    body,
  };
}
