// CSV export of a recording's readings: one row per sample instant, one column per channel in degC (or the fault token).
import type { Channel } from "../domain/domain-schemas";
import type { RecordLine, ReadingRecord } from "./record-types";

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/** The CSV text of the readings in `records`, sorted by sample time. Header: time_iso, at_ms, seq, t_ms, resent, then "<label> (degC)" per channel. */
export function readingsCsv(records: readonly RecordLine[]): string {
  const labels = new Map<number, string>();
  const rows: ReadingRecord[] = [];
  let n = 0;
  for (const r of records) {
    if (r.k === "r") {
      rows.push(r);
      n = Math.max(n, r.v.length);
    } else if (r.k === "start") for (const c of r.channels as Channel[]) labels.set(c.ch, c.label);
    else if (r.k === "dev" && r.m.type === "CH") labels.set(r.m.ch, r.m.label);
  }
  rows.sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
  const head = ["time_iso", "at_ms", "seq", "t_ms", "resent"];
  for (let ch = 0; ch < n; ch++) head.push(csvField((labels.get(ch) ?? "ch" + ch) + " (degC)"));
  const lines = [head.join(",")];
  for (const r of rows) {
    const f = [new Date(r.atMs).toISOString(), String(Math.round(r.atMs)), String(r.seq), String(r.tMs), r.resent ? "1" : "0"];
    for (let ch = 0; ch < n; ch++) {
      const v = r.v[ch];
      f.push(v === undefined ? "" : typeof v === "number" ? (v / 100).toFixed(2) : v);
    }
    lines.push(f.join(","));
  }
  return lines.join("\n") + "\n";
}
