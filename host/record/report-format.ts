// How the report writes times, durations, temperatures, doses and alarm values.

/** "0 min 31 s", "14 h 51 min": a duration in words (ms). */
export function durationWords(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s % 60} s`;
}

/** h:mm:ss or m:ss of a non-negative duration (ms). */
export function clockDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/** Signed offset from a reference time: "+12:03", "−0:04" (before the reference), "+1:02:03". */
export function offset(ms: number, fromMs: number): string {
  const d = ms - fromMs;
  return (d < 0 && Math.round(-d / 1000) > 0 ? "−" : "+") + clockDuration(d);
}

/** Absolute wall time, UTC: "2026-11-22 08:00:20 UTC". */
export function utc(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return "invalid time";
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** "42.15 °C" of centi-degC (— when unknown). */
export function degC(cc: number | null): string {
  return cc === null ? "—" : (cc / 100).toFixed(2) + " °C";
}

const TEMP_CONDS = new Set(["WARN", "INTERVENE", "STOP", "PREDICT"]);
const DOSE_CONDS = new Set(["DOSE42_50", "DOSE42_100", "DOSE70_50", "DOSE70_100", "CEM43_50", "CEM43_100"]);

/** An alarm's value or limit in its unit (PROTOCOL.md section 4 table: cC for limit alarms, permille for doses, counts for faults). */
export function alarmQuantity(cond: string, v: number): string {
  if (TEMP_CONDS.has(cond)) return degC(v);
  if (DOSE_CONDS.has(cond)) return (v / 10).toFixed(1) + " % of the limit";
  if (cond.startsWith("FAULT_")) return `${v} bad reading(s)`;
  if (cond === "SAMPLE_GAP") return `${v} ms`;
  return String(v);
}
