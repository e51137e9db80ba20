// Display formatting: temperatures, durations, clock times, the bridge's "degC" text.
import type { ChannelValue } from "../ws/ws-messages";

/** What each fault token means, for the value display (PROTOCOL.md section 4). */
export const FAULT_TEXT: Record<string, string> = {
  OC: "OPEN thermocouple",
  SG: "SHORT to GND",
  SV: "SHORT to VCC",
  NC: "NO CHIP answering",
  OR: "OUT of range",
  SP: "SPIKE rejected",
  ND: "NO DATA",
};

/** "42.31" from centi-degC. */
export function fmtCc(cc: number, digits = 2): string {
  return (cc / 100).toFixed(digits);
}

/** "41.2" / "OPEN thermocouple". */
export function fmtValue(v: ChannelValue, digits = 1): string {
  return typeof v === "number" ? fmtCc(v, digits) : (FAULT_TEXT[v] ?? v);
}

/**
 * Duration in words, never a clock-like "14:51:20" that reads as a time of day: "14 h 51 min"
 * (hours: minutes rounded down), "3 min 05 s", "42 s", "> 24 h"; ms.
 */
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms >= 86_400_000) return "> 24 h";
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${s} s`;
}

/** Age as "0.4 s", "12 s", "3 min", "2 h". */
export function fmtAge(ms: number): string {
  if (ms < 10_000) return (Math.max(0, ms) / 1000).toFixed(1) + " s";
  if (ms < 120_000) return Math.round(ms / 1000) + " s";
  if (ms < 7_200_000) return Math.round(ms / 60_000) + " min";
  return Math.round(ms / 3_600_000) + " h";
}

/** Local clock time "14:03:07" of a wall-clock ms. */
export function fmtClock(atMs: number): string {
  const d = new Date(atMs);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Device time (ms since its boot) as "m:ss.mmm" or "h:mm:ss.mmm", to match recordings and device logs to the millisecond. */
export function fmtDeviceMs(tMs: number): string {
  const ms = Math.max(0, Math.floor(tMs));
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0") + "." + String(ms % 1000).padStart(3, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** The bridge writes "degC" (ASCII); show the degree sign. */
export function prettyText(s: string): string {
  return s.replace(/degC/g, "°C");
}

/** Bytes as "12.3 MB". */
export function fmtBytes(n: number): string {
  if (n < 1024) return n + " B";
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + " KB";
  return (n / 1024 / 1024).toFixed(1) + " MB";
}
