// Inline SVG plot of one probe for the report: min / max per time bucket, its limit lines, numbered event and alarm markers.
import { html, joinHtml, type SafeHtml } from "./html";
import type { BucketSeries } from "./plot-buckets";

/** Okabe-Ito palette: distinguishable with red-green colour blindness. */
export const CHANNEL_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

/** A vertical marker: wall ms, its number in the marker list below the plot, kind. */
export interface PlotMarker {
  atMs: number;
  n: number;
  kind: "event" | "alarmH" | "alarmM" | "link";
}

export interface PlotInput {
  label: string;
  colour: string;
  series: BucketSeries | null;
  /** Wall time of the middle of bucket i. */
  midMs: (i: number) => number;
  startMs: number;
  endMs: number;
  /** Horizontal lines: [centi-degC, label]. */
  limits: [number, string][];
  markers: PlotMarker[];
}

/** Rows of marker numbers above the plot, and the least distance between two numbers in one row, px. */
const MARKER_ROWS = 3;
const MARKER_GAP_PX = 14;

const MARKER_COLOURS = { alarmH: "#B00020", alarmM: "#8a6100", link: "#555", event: "#333" } as const;

/** Renders one probe's plot; the line is broken at buckets without a valid sample. */
export function renderPlot(p: PlotInput, width = 1000, height = 246): SafeHtml {
  const left = 52;
  const right = 12;
  const top = 34;
  const bottom = 24;
  const w = width - left - right;
  const h = height - top - bottom;
  const span = Math.max(1, p.endMs - p.startMs);
  let lo = 3000;
  let hi = 4600;
  const s = p.series;
  if (s) for (let i = 0; i < s.min.length; i++) if (!Number.isNaN(s.min[i])) (lo = Math.min(lo, s.min[i])), (hi = Math.max(hi, s.max[i]));
  lo = Math.floor(lo / 100 - 1) * 100;
  hi = Math.ceil(hi / 100 + 1) * 100;
  const x = (ms: number) => left + ((Math.min(Math.max(ms, p.startMs), p.endMs) - p.startMs) / span) * w;
  const y = (cc: number) => top + h - ((cc - lo) / (hi - lo)) * h;
  const parts: SafeHtml[] = [];
  parts.push(html`<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="#fff" stroke="#999"/>`);
  const stepC = (hi - lo) / 100 > 30 ? 10 : (hi - lo) / 100 > 12 ? 5 : 2;
  for (let c = Math.ceil(lo / 100 / stepC) * stepC; c <= hi / 100; c += stepC) {
    const py = y(c * 100).toFixed(1);
    parts.push(html`<line x1="${left}" x2="${left + w}" y1="${py}" y2="${py}" stroke="#eee"/><text x="${left - 4}" y="${(y(c * 100) + 4).toFixed(1)}" text-anchor="end">${c} °C</text>`);
  }
  const minutes = span / 60000;
  const stepMin = minutes > 720 ? 120 : minutes > 240 ? 60 : minutes > 120 ? 30 : minutes > 30 ? 10 : minutes > 10 ? 2 : minutes > 3 ? 1 : 0.25;
  for (let m = 0; m <= minutes; m += stepMin) {
    const px = x(p.startMs + m * 60000).toFixed(1);
    const label = m >= 60 && m % 60 === 0 ? `${m / 60} h` : m % 1 === 0 ? `${m} min` : `${m.toFixed(2)} min`;
    parts.push(html`<line x1="${px}" x2="${px}" y1="${top}" y2="${top + h}" stroke="#f3f3f3"/><text x="${px}" y="${top + h + 14}" text-anchor="middle">${label}</text>`);
  }
  for (const [cc, label] of p.limits) {
    if (cc < lo || cc > hi) continue;
    parts.push(html`<line x1="${left}" x2="${left + w}" y1="${y(cc).toFixed(1)}" y2="${y(cc).toFixed(1)}" stroke="#B00020" stroke-dasharray="4 4"/><text x="${left + w - 2}" y="${(y(cc) - 3).toFixed(1)}" text-anchor="end" fill="#B00020">${label}</text>`);
  }
  if (s) {
    let seg: string[] = [];
    const segs: string[][] = [];
    for (let i = 0; i < s.min.length; i++) {
      if (Number.isNaN(s.min[i])) {
        if (seg.length > 0) segs.push(seg);
        seg = [];
        continue;
      }
      const px = x(p.midMs(i)).toFixed(1);
      seg.push(`${px},${y(s.max[i]).toFixed(1)}`);
      if (s.min[i] !== s.max[i]) seg.push(`${px},${y(s.min[i]).toFixed(1)}`);
    }
    if (seg.length > 0) segs.push(seg);
    for (const sg of segs) parts.push(html`<polyline fill="none" stroke="${p.colour}" stroke-width="1.4" points="${(sg.length === 1 ? [sg[0], sg[0]] : sg).join(" ")}"/>`);
  }
  // Marker numbers closer than MARKER_GAP_PX go on the next of MARKER_ROWS rows above the plot, so they never overlap.
  const lastInRow = new Array<number>(MARKER_ROWS).fill(-Infinity);
  for (const m of [...p.markers].sort((a, b) => a.atMs - b.atMs)) {
    const xm = x(m.atMs);
    const px = xm.toFixed(1);
    let row = lastInRow.findIndex((last) => xm - last >= MARKER_GAP_PX);
    if (row < 0) row = lastInRow.indexOf(Math.min(...lastInRow));
    lastInRow[row] = xm;
    const colour = MARKER_COLOURS[m.kind];
    const shape = m.kind === "event" ? html`<line x1="${px}" x2="${px}" y1="${top}" y2="${top + h}" stroke="${colour}" stroke-dasharray="1 3"/>` : html`<path d="M${px},${top + h} l-4,8 h8 z" fill="${colour}"/>`;
    parts.push(html`<g>${shape}<text x="${px}" y="${top - 4 - row * 10}" text-anchor="middle" fill="${colour}" font-size="9">${m.n}</text></g>`);
  }
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${"Temperature of " + p.label}" font-family="sans-serif" font-size="11">${joinHtml(parts, "\n")}</svg>`;
}
