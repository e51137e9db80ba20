// One row per channel: big current value with level and age, trend and time to limit, dose bars, chart.
import type { Channel, Dose, Limits } from "../ws/ws-messages";
import type { AlarmView, LatestValue } from "./dashboard-state";
import { PRIO_RANK, SPIKE_MARK_MS } from "./dashboard-state";
import { alarmTag } from "./alarm-words";
import { doseBars, type DoseBar } from "./dose-math";
import { h, setAttr, setHidden, setText } from "./dom";
import { fmtAge, fmtCc, fmtDuration, fmtValue } from "./format";
import { etaToLimitMs } from "./trend";

export type Level = "ok" | "warn" | "intervene" | "stop" | "fault" | "none";

/** Level of a value against the limits; shape and words as well as colour. */
export const LEVEL_TEXT: Record<Level, { icon: string; word: string }> = {
  ok: { icon: "▽", word: "below warn" },
  warn: { icon: "▲", word: "WARN" },
  intervene: { icon: "▲▲", word: "INTERVENE" },
  stop: { icon: "▲▲▲", word: "STOP" },
  fault: { icon: "✕", word: "SENSOR FAULT" },
  none: { icon: "–", word: "no reading" },
};

export function levelOf(v: LatestValue | null, l: Limits | null): Level {
  if (!v) return "none";
  if (typeof v.value !== "number") return "fault";
  if (!l) return "ok";
  if (v.value >= l.stopCc) return "stop";
  if (v.value >= l.interveneCc) return "intervene";
  if (v.value >= l.warnCc) return "warn";
  return "ok";
}

/** Trend arrow by slope (degC/min). */
function arrow(slope: number): string {
  if (slope > 1) return "⬆";
  if (slope > 0.1) return "⬈";
  if (slope < -1) return "⬇";
  if (slope < -0.1) return "⬊";
  return "➡";
}

/** What one row needs to draw itself. */
export interface ChannelInput {
  latest: LatestValue | null;
  limits: Limits | null;
  dose: Dose | null;
  slope: number | null;
  peakC: number | null;
  ageMs: number | null;
  stale: boolean;
  /** Highest-priority alarm about this channel that is shown, if any. */
  alarm: AlarmView | null;
  /** Local ms now (the spike marker's age). */
  nowMs: number;
}

interface DoseEls {
  root: HTMLElement;
  val: HTMLElement;
  bar: HTMLElement;
  fill: HTMLElement;
  left: HTMLElement;
}

export class ChannelRow {
  readonly root: HTMLElement;
  readonly chartEl: HTMLElement;
  private num: HTMLElement;
  private level: HTMLElement;
  private trend: HTMLElement;
  private staleEl: HTMLElement;
  private alarmChip: HTMLElement;
  private doseNote: HTMLElement;
  private doses: { t42: DoseEls; t70: DoseEls; cem43: DoseEls } | null = null;
  private peak: HTMLElement | null = null;
  private nervePeak: HTMLElement | null = null;
  private spike: HTMLElement;

  constructor(readonly ch: Channel) {
    const id = `ch${ch.ch}`;
    const nerve = ch.role === "nerve";
    this.num = h("span", { class: "num" }, "--.-");
    this.level = h("div", { class: "ch-level" });
    this.trend = h("div", { class: "ch-trend" });
    this.staleEl = h("div", { class: "ch-stale", hidden: true });
    this.alarmChip = h("span", { class: "ch-alarm", hidden: true });
    this.spike = h("span", { class: "ch-spike", hidden: true, title: "The device rejected an implausible reading (a spike, e.g. RF pick-up); the value shown is the last plausible one" }, "⚡ spike rejected");
    this.doseNote = h("div", { class: "dose-note", hidden: true });
    this.chartEl = h("div", { class: "ch-chart" });
    let doseBlock: HTMLElement;
    if (nerve) {
      const mk = (label: string) => {
        const val = h("span", { class: "dose-val" });
        const fill = h("i");
        const bar = h("div", { class: "bar", role: "progressbar", "aria-label": `${ch.label} ${label}`, "aria-valuemin": 0, "aria-valuemax": 100 }, fill);
        const left = h("div", { class: "dose-left" });
        const root = h("div", { class: "dose" }, h("div", { class: "dose-head" }, h("span", { class: "dose-name" }, label), val), bar, left);
        return { root, val, bar, fill, left };
      };
      this.doses = { t42: mk("≥ 42.2 °C"), t70: mk("≥ 70 °C"), cem43: mk("CEM43") };
      doseBlock = h("div", { class: "ch-dose" }, this.doses.t42.root, this.doses.t70.root, this.doses.cem43.root, this.doseNote);
      this.nervePeak = h("div", { class: "ch-eta" });
    } else {
      this.peak = h("div", { class: "peak" });
      doseBlock = h("div", { class: "ch-dose ch-dose-na" }, this.peak, h("div", { class: "dose-na" }, `${ch.role} probe: nerve limits and doses do not apply`));
    }
    this.root = h(
      "article",
      { class: `ch role-${ch.role}`, "data-ch": ch.ch, "aria-labelledby": id + "-label" },
      h(
        "div",
        { class: "ch-main" },
        h("div", { class: "ch-head" }, h("h3", { id: id + "-label", class: "ch-label" }, ch.label), h("span", { class: "ch-role" }, `${ch.role} · ${ch.tc}`), this.alarmChip),
        h("div", { class: "ch-value" }, this.num, h("span", { class: "unit" }, "°C"), this.spike),
        this.level,
        this.trend,
        this.nervePeak,
        this.staleEl,
      ),
      doseBlock,
      this.chartEl,
    );
  }

  update(i: ChannelInput): void {
    const nerve = this.ch.role === "nerve";
    const lvl = levelOf(i.latest, nerve ? i.limits : null);
    setAttr(this.root, "data-level", lvl);
    setAttr(this.root, "data-stale", i.stale ? "1" : null);
    setAttr(this.root, "data-alarm", i.alarm ? i.alarm.prio : null);
    // The number: a fault shows the fault, stale shows greyed (CSS) with its age beside it.
    const v = i.latest;
    const numText = v ? fmtValue(v.value, typeof v.value === "number" ? 1 : 0) : "--.-";
    setText(this.num, numText);
    setAttr(this.num, "data-long", numText.length > 4 ? "1" : null);
    setAttr(this.num, "data-fault", v && typeof v.value !== "number" ? "1" : null);
    const lt = LEVEL_TEXT[lvl];
    let levelText = `${lt.icon} ${lt.word}`;
    if (i.limits && nerve) {
      if (lvl === "ok") levelText += ` ${fmtCc(i.limits.warnCc, 1)} °C`;
      else if (lvl === "warn") levelText += ` ≥ ${fmtCc(i.limits.warnCc, 1)} °C`;
      else if (lvl === "intervene") levelText += ` ≥ ${fmtCc(i.limits.interveneCc, 1)} °C`;
      else if (lvl === "stop") levelText += ` ≥ ${fmtCc(i.limits.stopCc, 1)} °C`;
    }
    if (!nerve && lvl !== "fault" && lvl !== "none") levelText = "";
    setText(this.level, levelText);
    // Trend and time to the next limit above (only while live).
    let trendText = "";
    if (!i.stale && i.slope != null && v && typeof v.value === "number") {
      const t = v.value / 100;
      trendText = `${arrow(i.slope)} ${i.slope >= 0 ? "+" : "−"}${Math.abs(i.slope).toFixed(1)} °C/min`;
      if (nerve && i.limits) {
        const target = t < i.limits.interveneCc / 100 ? i.limits.interveneCc : i.limits.stopCc;
        const eta = etaToLimitMs(t, i.slope, target / 100);
        if (eta != null) trendText += ` · ${fmtCc(target, 0)} °C in ${fmtDuration(eta)}`;
      }
    }
    // The trend line carries a nerve probe's peak; the line below it the time to the next limit.
    const [slopeText, etaText = ""] = trendText.split(" · ");
    const peakText = nerve ? (i.peakC == null ? "" : `peak ${i.peakC.toFixed(1)} °C`) : "";
    setText(this.trend, [slopeText, peakText].filter(Boolean).join(" · "));
    if (this.nervePeak) {
      setText(this.nervePeak, etaText);
      setAttr(this.nervePeak, "data-eta", etaText ? "1" : null);
    }
    setHidden(this.staleEl, !i.stale);
    if (i.stale) setText(this.staleEl, i.ageMs == null ? "◷ STALE — no reading yet" : `◷ STALE — last reading ${fmtAge(i.ageMs)} ago`);
    setAttr(this.staleEl, "title", i.stale ? "Not live: the number is the last value received, greyed" : null);
    setHidden(this.alarmChip, !i.alarm);
    if (i.alarm) {
      // Ended but latched: a hollow, dashed chip (shape, not only colour); the list says it in words.
      setText(this.alarmChip, `${PRIO_MARK[i.alarm.prio]} ${alarmTag(i.alarm.cond)}`);
      setAttr(this.alarmChip, "data-ended", i.alarm.active ? null : "1");
      setAttr(this.alarmChip, "title", i.alarm.active ? "alarm condition present" : "condition ended; latched until acknowledged");
    }
    if (this.peak) setText(this.peak, i.peakC == null ? "Peak –" : `Peak ${i.peakC.toFixed(1)} °C`);
    setHidden(this.spike, i.stale || v?.spikeAtMs === undefined || i.nowMs - v.spikeAtMs > SPIKE_MARK_MS);
    if (this.doses) this.updateDoses(i);
  }

  private updateDoses(i: ChannelInput): void {
    const d = this.doses!;
    if (!i.dose || !i.limits) {
      for (const e of [d.t42, d.t70, d.cem43]) {
        setText(e.val, "–");
        setText(e.left, "no dose received");
        e.fill.style.width = "0%";
      }
      setHidden(this.doseNote, true);
      return;
    }
    const t = !i.stale && i.latest && typeof i.latest.value === "number" ? i.latest.value / 100 : null;
    const bars = doseBars(i.dose, i.limits, t);
    const minS = (m: number) => fmtDuration(m * 60_000);
    this.bar(d.t42, bars.t42, `${minS(bars.t42.used)} of ${bars.t42.limit} min`, t);
    this.bar(d.t70, bars.t70, `${minS(bars.t70.used)} of ${bars.t70.limit} min`, t);
    this.bar(d.cem43, bars.cem43, `${bars.cem43.used.toFixed(2)} of ${bars.cem43.limit.toFixed(1)}`, t);
    const c = i.dose.check;
    setHidden(this.doseNote, !c || c.ok);
    if (c && !c.ok) setText(this.doseNote, "⚠ bridge's own recomputation disagrees with the device");
  }

  private bar(e: DoseEls, b: DoseBar, valText: string, tempC: number | null): void {
    const pct = Math.min(100, b.fraction * 100);
    setText(e.val, valText);
    e.fill.style.width = pct.toFixed(1) + "%";
    setAttr(e.bar, "aria-valuenow", pct.toFixed(0));
    setAttr(e.bar, "aria-valuetext", `${pct.toFixed(0)} % of limit`);
    setAttr(e.root, "data-band", b.fraction >= 1 ? "over" : b.fraction >= 0.5 ? "half" : null);
    let left: string;
    if (b.fraction >= 1) left = "✕ LIMIT REACHED";
    else if (tempC == null) left = "remaining: – (not live)";
    else if (b.remainingMs == null) left = "not accumulating now";
    else left = `${fmtDuration(b.remainingMs)} left at ${tempC.toFixed(1)} °C`;
    setText(e.left, left);
  }
}

/** IEC 60601-1-8 style priority marks: the number of "!" tells the priority without colour. */
export const PRIO_MARK = { H: "!!!", M: "!!", L: "!" } as const;
export const PRIO_WORD = { H: "HIGH", M: "MEDIUM", L: "LOW" } as const;

/** The most urgent shown alarm about channel `ch`. */
export function channelAlarm(alarms: Iterable<AlarmView>, ch: number): AlarmView | null {
  let best: AlarmView | null = null;
  for (const a of alarms) if (a.ch === ch && (!best || PRIO_RANK[a.prio] > PRIO_RANK[best.prio])) best = a;
  return best;
}
