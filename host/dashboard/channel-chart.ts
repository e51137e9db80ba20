// One uPlot chart of one channel: the temperature line, the warn / intervene / stop limits, procedure events.
import uPlot from "uplot";
import type { Limits, ProcedureEvent } from "../ws/ws-messages";
import { placeLabels } from "./chart-labels";
import { fmtClock } from "./format";

/** Readings further apart than this (s) are not joined by a line: a link loss shows as a gap. */
export const MAX_JOIN_GAP_S = 2.5;

/** Limit line styles: dash pattern and label as well as colour, for red-green colour-blind readers. */
const LIMIT_STYLES = [
  { key: "warnCc", name: "WARN", color: "#f0e442", dash: [10, 6], width: 1.5 },
  { key: "interveneCc", name: "INTERVENE", color: "#ff8a3d", dash: [], width: 2 },
  { key: "stopCc", name: "STOP", color: "#ff4f9a", dash: [2, 4], width: 3 },
] as const;

/** Chart text follows the page's root font size (which grows with the screen), so a wall monitor gets readable axes. */
export function chartFontPx(): number {
  const root = parseFloat(getComputedStyle(document.documentElement).fontSize) || 14;
  return Math.round(root * 0.85);
}

export interface ChartOptions {
  /** Nerve channels get the limit lines and a y range that always shows them. */
  nerve: boolean;
  limits: () => Limits | null;
  events: () => readonly ProcedureEvent[];
  /** The user zoomed to [minS, maxS] (drag). */
  onZoom: (minS: number, maxS: number) => void;
  /** The user double-clicked: back to the live window. */
  onReset: () => void;
  ariaLabel: string;
  /** With the rate-of-rise curve (degC/min, right-hand axis); toggling it rebuilds the chart. */
  rate: boolean;
}

/** Rate-of-rise curve colour (a second y axis, °C/min, on the right). */
const RATE_COLOR = "#b2f26b";
/** Event label lanes along the bottom of a chart. */
const EVENT_LANES = 2;

/** Merges sorted pixel gaps from two sources into sorted, non-overlapping ones (uPlot needs that). */
export function mergeGaps(a: [number, number][], b: [number, number][]): [number, number][] {
  const all = [...a, ...b].sort((p, q) => p[0] - q[0]);
  const out: [number, number][] = [];
  for (const g of all) {
    const last = out[out.length - 1];
    if (last && g[0] <= last[1]) last[1] = Math.max(last[1], g[1]);
    else out.push([g[0], g[1]]);
  }
  return out;
}

export class ChannelChart {
  readonly u: uPlot;
  private ro: ResizeObserver;
  private y: (number | null)[] = [];
  private tip: HTMLElement;
  private rateShown = false;
  /** Axis font size the chart was built with (rebuilt when the page's font size changes a lot). */
  fontPx = 0;

  constructor(
    readonly el: HTMLElement,
    private readonly o: ChartOptions,
  ) {
    el.setAttribute("role", "img");
    el.setAttribute("aria-label", o.ariaLabel);
    const self = this;
    const fontPx = chartFontPx();
    this.fontPx = fontPx;
    const AXIS = { stroke: "#b8c2d0", grid: { stroke: "#2a3442", width: 1 }, ticks: { stroke: "#2a3442", width: 1 }, font: `${fontPx}px system-ui, sans-serif` };
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: Math.max(80, el.clientHeight),
      pxAlign: 0,
      legend: { show: false },
      cursor: {
        points: { show: false },
        drag: { x: true, y: false, setScale: true },
        bind: {
          // Double-click returns to the live window instead of uPlot's "show everything".
          dblclick: () => () => {
            o.onReset();
            return null;
          },
        },
      },
      scales: {
        x: { time: true },
        y: {
          range: (u, dmin, dmax) => {
            const l = o.limits();
            if (o.nerve && l) {
              const lo = Math.min(Number.isFinite(dmin) ? dmin : 36, l.warnCc / 100 - 4);
              const hi = Math.max(Number.isFinite(dmax) ? dmax : 40, l.stopCc / 100 + 0.7);
              return [Math.floor(lo), Math.ceil(hi)];
            }
            const lo = Number.isFinite(dmin) ? dmin : 30;
            const hi = Number.isFinite(dmax) ? dmax : 40;
            const pad = Math.max(1, (hi - lo) * 0.08);
            void u;
            return [Math.floor(lo - pad), Math.ceil(hi + pad)];
          },
        },
        rate: { range: (_u, dmin, dmax) => [Math.min(-1, Math.floor(Number.isFinite(dmin) ? dmin : 0)), Math.max(1, Math.ceil(Number.isFinite(dmax) ? dmax : 1))] },
      },
      axes: [
        // 24-hour clock; seconds only when zoomed in far enough to need them.
        { ...AXIS, size: Math.round(fontPx * 2.2), space: fontPx * 4.5, values: (_u, vals) => vals.map((v) => axisTime(v, vals)) },
        { ...AXIS, size: Math.round(fontPx * 3.6), space: fontPx * 2.5, incrs: [0.5, 1, 2, 5, 10, 20, 50, 100], values: (_u, vals) => vals.map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(1)) + "°") },
        ...(o.rate ? [{ ...AXIS, scale: "rate", side: 1, stroke: RATE_COLOR, grid: { show: false }, size: Math.round(fontPx * 5), values: (_u: uPlot, vals: number[]) => vals.map((v) => (v > 0 ? "+" : "") + v + "/min") }] : []),
      ],
      series: [
        {},
        {
          label: "°C",
          stroke: "#7fd3ff",
          width: 2,
          spanGaps: false,
          points: { show: false },
          gaps: (u, sidx, i0, i1, nullGaps) => mergeGaps(nullGaps as [number, number][], timeGaps(u, sidx, i0, i1)),
        },
        ...(o.rate ? [{ label: "°C/min", scale: "rate", stroke: RATE_COLOR, width: 1.5, dash: [6, 3], spanGaps: false, points: { show: false } }] : []),
      ],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 4) return;
            const min = u.posToVal(u.select.left, "x");
            const max = u.posToVal(u.select.left + u.select.width, "x");
            o.onZoom(min, max);
          },
        ],
        draw: [(u) => self.drawOverlays(u)],
        setCursor: [(u) => self.showTip(u)],
      },
    };
    this.rateShown = o.rate;
    this.u = new uPlot(opts, o.rate ? [[], [], []] : [[], []], el);
    this.tip = document.createElement("div");
    this.tip.className = "chart-tip";
    this.tip.hidden = true;
    this.tip.setAttribute("aria-hidden", "true");
    this.u.over.append(this.tip);
    this.u.over.addEventListener("mouseleave", () => (this.tip.hidden = true));
    this.ro = new ResizeObserver(() => this.resize());
    this.ro.observe(el);
  }

  /** New data and x window (seconds), with the rate-of-rise curve (degC/min) when it is shown. One redraw. */
  update(x: number[], y: (number | null)[], minS: number, maxS: number, rate: (number | null)[] | null = null): void {
    this.y = y;
    this.u.batch(() => {
      this.u.setData(this.rateShown ? [x, y, rate ?? y.map(() => null)] : [x, y], false);
      this.u.setScale("x", { min: minS, max: maxS });
    });
  }

  /** Hover: the value, rate and time under the cursor, and an event's text when the cursor is on its line. */
  private showTip(u: uPlot): void {
    const i = u.cursor.idx;
    const left = u.cursor.left ?? -1;
    if (i == null || left < 0) {
      this.tip.hidden = true;
      return;
    }
    const xs = u.data[0] as number[];
    const v = u.data[1]![i];
    const r = this.rateShown ? u.data[2]![i] : null;
    const atS = xs[i]!;
    let text = `${fmtClock(atS * 1000)}  ${v == null ? "no reading" : v.toFixed(2) + " °C"}${r != null ? `  ${r >= 0 ? "+" : "−"}${Math.abs(r).toFixed(1)} °C/min` : ""}`;
    const ev = this.o.events().find((e) => Math.abs(u.valToPos(e.atMs / 1000, "x") - left) <= 4);
    if (ev) text += `\n${fmtClock(ev.atMs)} ${ev.text}`;
    this.tip.textContent = text;
    this.tip.hidden = false;
    const w = u.over.clientWidth;
    this.tip.style.left = left > w / 2 ? "" : `${left + 12}px`;
    this.tip.style.right = left > w / 2 ? `${w - left + 12}px` : "";
  }

  /** Points (non-null values) in the data last given to uPlot; for the test hook (counted on demand). */
  points(): number {
    let n = 0;
    for (const v of this.y) if (v != null) n++;
    return n;
  }

  resize(): void {
    const w = Math.max(200, Math.floor(this.el.clientWidth));
    const h = Math.max(80, Math.floor(this.el.clientHeight));
    if (w !== this.u.width || h !== this.u.height) this.u.setSize({ width: w, height: h });
  }

  destroy(): void {
    this.ro.disconnect();
    this.u.destroy();
  }

  private drawOverlays(u: uPlot): void {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const dpr = devicePixelRatio || 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.font = `${Math.round(this.fontPx * 0.95 * dpr)}px system-ui, sans-serif`;
    ctx.textAlign = "right";
    ctx.textBaseline = "bottom";
    const l = this.o.limits();
    const lineH = this.fontPx * 1.1 * dpr;
    const placed: { xLeft: number; y: number }[] = [];
    if (this.o.nerve && l) {
      for (const s of LIMIT_STYLES) {
        const v = l[s.key] / 100;
        const y = Math.round(u.valToPos(v, "y", true)) + 0.5;
        if (y < top || y > top + height) continue;
        ctx.strokeStyle = s.color;
        ctx.lineWidth = s.width * dpr;
        ctx.setLineDash(s.dash.map((d) => d * dpr));
        ctx.beginPath();
        ctx.moveTo(left, y);
        ctx.lineTo(left + width, y);
        ctx.stroke();
        ctx.fillStyle = s.color;
        // Labels of close limits (a compressed scale) would overprint: move a clashing one to the left.
        const text = `${s.name} ${v.toFixed(1)}°`;
        let x = left + width - 4 * dpr;
        for (const p of placed) if (Math.abs(p.y - y) < lineH) x = Math.min(x, p.xLeft - 12 * dpr);
        // At the top edge the label goes under its line, or the plot's clip would cut it.
        const below = y - lineH < top;
        ctx.textBaseline = below ? "top" : "bottom";
        ctx.fillText(text, x, below ? y + 2 * dpr : y - 2 * dpr);
        placed.push({ xLeft: x - ctx.measureText(text).width, y: below ? y + lineH : y });
      }
    }
    // Procedure events: thin vertical lines with their text.
    ctx.setLineDash([3 * dpr, 3 * dpr]);
    ctx.lineWidth = dpr;
    ctx.strokeStyle = "#c9a7ff";
    ctx.fillStyle = "#c9a7ff";
    ctx.textAlign = "left";
    // Event labels in lanes along the bottom edge, clear of the limit labels at the top right; none overlaps
    // another or runs past the plot (one that finds no room keeps its line; hovering shows its text).
    ctx.textBaseline = "bottom";
    const xMin = u.scales.x!.min ?? -Infinity;
    const xMax = u.scales.x!.max ?? Infinity;
    const shown = this.o.events().filter((e) => e.atMs / 1000 >= xMin && e.atMs / 1000 <= xMax);
    const xsPx = shown.map((e) => Math.round(u.valToPos(e.atMs / 1000, "x", true)) + 0.5);
    const texts = shown.map((e) => e.text);
    const places = placeLabels(texts.map((t, i) => ({ x: xsPx[i]!, width: ctx.measureText(t).width })), left, left + width, EVENT_LANES);
    shown.forEach((_e, i) => {
      const x = xsPx[i]!;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      const p = places[i];
      if (p) ctx.fillText(texts[i]!, p.left, top + height - 2 * dpr - p.lane * lineH);
    });
    /** For the layout test: how many event labels are drawn, and how many found no room. */
    this.el.dataset.eventLabels = String(places.filter(Boolean).length);
    this.el.dataset.eventLabelsHidden = String(places.filter((p) => !p).length);
    ctx.restore();
  }
}

/** Pixel gaps where consecutive readings are more than MAX_JOIN_GAP_S apart. */
function timeGaps(u: uPlot, _sidx: number, i0: number, i1: number): [number, number][] {
  const xs = u.data[0] as number[];
  const out: [number, number][] = [];
  for (let i = Math.max(i0, 0) + 1; i <= i1; i++) {
    if (xs[i]! - xs[i - 1]! > MAX_JOIN_GAP_S) out.push([Math.round(u.valToPos(xs[i - 1]!, "x", true)) + 1, Math.round(u.valToPos(xs[i]!, "x", true)) - 1]);
  }
  return out;
}

function axisTime(sec: number, all: number[]): string {
  const d = new Date(sec * 1000);
  const p = (n: number) => String(n).padStart(2, "0");
  const step = all.length > 1 ? Math.abs(all[1]! - all[0]!) : 60;
  if (step >= 60) return `${p(d.getHours())}:${p(d.getMinutes())}`;
  const hms = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return step >= 1 ? hms : `${hms}.${Math.floor(d.getMilliseconds() / 100)}`;
}
