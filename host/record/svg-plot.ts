// Inline SVG temperature plot for the report: one line per channel, limit lines, event and alarm markers; no external assets.
import type { ReadingRecord } from "./record-types";

/** Okabe-Ito palette: distinguishable with red-green colour blindness. */
export const CHANNEL_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
/** Dash patterns per channel, so lines differ by shape as well as colour. */
const DASHES = ["", "6 3", "2 2", "8 3 2 3", "", "6 3", "2 2", "8 3 2 3"];

export interface PlotInput {
  readings: readonly ReadingRecord[];
  labels: string[];
  startMs: number;
  endMs: number;
  /** Horizontal lines: [centi-degC, label]. */
  limits: [number, string][];
  /** Vertical markers: [wall ms, label, kind]. */
  markers: [number, string, "event" | "alarmH" | "alarmM" | "link"][];
  periodMs: number;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * Renders the plot. Each channel is decimated to at most one min and one max point per pixel
 * column (peaks survive) and broken where samples are missing or faulty.
 */
export function renderPlot(p: PlotInput, width = 1000, height = 380): string {
  const left = 52;
  const right = 12;
  const top = 14;
  const bottom = 40;
  const w = width - left - right;
  const h = height - top - bottom;
  const span = Math.max(1, p.endMs - p.startMs);
  let lo = 3000;
  let hi = 4600;
  for (const r of p.readings) for (const v of r.v) if (typeof v === "number") (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  lo = Math.floor(lo / 100 - 1) * 100;
  hi = Math.ceil(hi / 100 + 1) * 100;
  const x = (ms: number) => left + ((ms - p.startMs) / span) * w;
  const y = (cc: number) => top + h - ((cc - lo) / (hi - lo)) * h;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Temperature per channel over the procedure" font-family="sans-serif" font-size="11">`);
  out.push(`<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="#fff" stroke="#999"/>`);
  const stepC = (hi - lo) / 100 > 30 ? 10 : (hi - lo) / 100 > 12 ? 5 : 1;
  for (let c = Math.ceil(lo / 100 / stepC) * stepC; c <= hi / 100; c += stepC) {
    out.push(`<line x1="${left}" x2="${left + w}" y1="${y(c * 100).toFixed(1)}" y2="${y(c * 100).toFixed(1)}" stroke="#eee"/><text x="${left - 4}" y="${(y(c * 100) + 4).toFixed(1)}" text-anchor="end">${c} °C</text>`);
  }
  const minutes = span / 60000;
  const stepMin = minutes > 120 ? 30 : minutes > 30 ? 10 : minutes > 10 ? 2 : minutes > 3 ? 1 : 0.25;
  for (let m = 0; m <= minutes; m += stepMin) {
    const px = x(p.startMs + m * 60000).toFixed(1);
    out.push(`<line x1="${px}" x2="${px}" y1="${top}" y2="${top + h}" stroke="#f3f3f3"/><text x="${px}" y="${top + h + 14}" text-anchor="middle">${m % 1 === 0 ? m : m.toFixed(2)} min</text>`);
  }
  for (const [cc, label] of p.limits) {
    if (cc < lo || cc > hi) continue;
    out.push(`<line x1="${left}" x2="${left + w}" y1="${y(cc).toFixed(1)}" y2="${y(cc).toFixed(1)}" stroke="#B00020" stroke-dasharray="4 4"/><text x="${left + w - 2}" y="${(y(cc) - 3).toFixed(1)}" text-anchor="end" fill="#B00020">${esc(label)}</text>`);
  }
  const gapMs = Math.max(3 * p.periodMs, 1500);
  for (let ch = 0; ch < p.labels.length; ch++) {
    const segs: string[] = [];
    let seg: string[] = [];
    let col = -1;
    let cmin = 0;
    let cmax = 0;
    let lastAt = -Infinity;
    const flushCol = () => {
      if (col < 0) return;
      seg.push(`${col},${y(cmax).toFixed(1)}`);
      if (cmin !== cmax) seg.push(`${col},${y(cmin).toFixed(1)}`);
      col = -1;
    };
    for (const r of p.readings) {
      const v = r.v[ch];
      if (typeof v !== "number" || r.atMs - lastAt > gapMs) {
        flushCol();
        if (seg.length > 1) segs.push(seg.join(" "));
        seg = [];
        if (typeof v !== "number") continue;
      }
      lastAt = r.atMs;
      const c = Math.round(x(r.atMs));
      if (c !== col) {
        flushCol();
        col = c;
        cmin = cmax = v;
      } else {
        cmin = Math.min(cmin, v);
        cmax = Math.max(cmax, v);
      }
    }
    flushCol();
    if (seg.length > 0) segs.push(seg.length === 1 ? seg[0] + " " + seg[0] : seg.join(" "));
    const colour = CHANNEL_COLOURS[ch % CHANNEL_COLOURS.length];
    for (const s of segs) out.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.6" stroke-dasharray="${DASHES[ch % DASHES.length]}" points="${s}"/>`);
  }
  for (const [ms, label, kind] of p.markers) {
    const px = x(ms).toFixed(1);
    const colour = kind === "alarmH" ? "#B00020" : kind === "alarmM" ? "#B8860B" : kind === "link" ? "#555" : "#333";
    const shape = kind === "event" ? `<line x1="${px}" x2="${px}" y1="${top}" y2="${top + h}" stroke="${colour}" stroke-dasharray="1 3"/>` : `<path d="M${px},${top + h} l-5,9 h10 z" fill="${colour}"/>`;
    out.push(`<g>${shape}<title>${esc(label)}</title></g>`);
  }
  let lx = left;
  for (let ch = 0; ch < p.labels.length; ch++) {
    const colour = CHANNEL_COLOURS[ch % CHANNEL_COLOURS.length];
    out.push(`<line x1="${lx}" x2="${lx + 22}" y1="${height - 8}" y2="${height - 8}" stroke="${colour}" stroke-width="2" stroke-dasharray="${DASHES[ch % DASHES.length]}"/><text x="${lx + 26}" y="${height - 4}">${esc(p.labels[ch])}</text>`);
    lx += 40 + p.labels[ch].length * 7;
  }
  out.push("</svg>");
  return out.join("\n");
}
