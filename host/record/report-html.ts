// Procedure report as one self-contained HTML page (inline CSS and SVG, no scripts, no external assets), for screen and print (A4 / Letter).
import { html, joinHtml, safe, type SafeHtml } from "./html";
import type { ChannelSummary, ReportData } from "./report-data";
import { REPORT_THRESHOLDS_CC } from "./report-data";
import { alarmQuantity, clockDuration, degC, durationWords, offset, utc } from "./report-format";
import { CHANNEL_COLOURS, type PlotMarker, renderPlot } from "./svg-plot";

/** How the page was asked for. */
export interface ReportOptions {
  /** Name of the recording file(s) it was built from, oldest first. */
  sources: string[];
  /** The file is still being recorded. */
  live: boolean;
  /** When the report was built, wall ms. */
  nowMs: number;
}

// Print: A4 (210 mm) is the narrower of A4 and Letter; with 12 mm margins the content is 186 mm wide.
const CSS = safe(`body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:1100px;color:#111;padding:0 1em;font-size:14px}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin-top:1.4em;border-bottom:1px solid #ccc;break-after:avoid}h3{font-size:1em;margin:.8em 0 .2em;break-after:avoid}
table{border-collapse:collapse;width:100%;font-size:.92em;table-layout:auto}th,td{border:1px solid #ccc;padding:.2em .4em;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f4f4f4;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.H{color:#B00020;font-weight:bold}.M{color:#8a6100;font-weight:bold}.L{color:#333}
.meta{color:#444}.warn{background:#fff4d6;padding:.5em;border:1px solid #e0c060}.live{background:#e6f0ff;padding:.5em;border:1px solid #7aa0e0}
.sw{display:inline-block;width:1em;height:.7em;margin-right:.3em}.sim{color:#B00020;font-weight:bold;letter-spacing:.1em}
.simbar{border:2px solid #B00020;color:#B00020;font-weight:bold;text-align:center;padding:.3em;letter-spacing:.2em}
.simpage{display:none}.probe{break-inside:avoid}.markers{font-size:.85em;color:#333;margin:.1em 0 .6em}
.sign td{height:2.4em}.case th{width:14em}tr{break-inside:avoid}
@page{margin:12mm}
@media print{body{margin:0;max-width:none;padding:0;font-size:9.5pt}.simpage{display:block;position:fixed;top:0;right:0;color:#B00020;font-weight:bold;font-size:9pt;letter-spacing:.15em}
h2{margin-top:1em}.sign{break-inside:avoid}table{font-size:8pt}th,td{padding:.15em .25em}}`);

const PRIO = { H: "high", M: "medium", L: "low" } as const;

/** Renders the report page. */
export function reportHtml(d: ReportData, o: ReportOptions): string {
  const t0 = d.firstReadingAtMs ?? d.startMs;
  const at = (ms: number) => html`${utc(ms)} <span class="meta">(${offset(ms, t0)})</span>`;
  const sim = d.simulated;
  const c = d.case;
  const name = c.caseId ?? d.session ?? "no case id";
  const modality = c.modality === "other" && c.modalityOther ? "other: " + c.modalityOther : c.modality;
  const l = d.limits;

  const status = o.live
    ? html`<p class="live">In progress: this recording is still being written. The report covers it up to ${utc(o.nowMs)}; reload for the rest.</p>`
    : d.endedCleanly
      ? null
      : html`<p class="warn">The recording has no end record: the bridge stopped abruptly (crash or power cut); at most its last second is missing.</p>`;

  const markers: (PlotMarker & { text: string })[] = [];
  const addMarker = (atMs: number, kind: PlotMarker["kind"], text: string) => markers.push({ atMs: atMs, n: 0, kind: kind, text: text });
  for (const e of d.events) addMarker(e.atMs, "event", e.text);
  for (const a of d.alarms) if (a.prio !== "L") addMarker(a.raisedAtMs, a.prio === "H" ? "alarmH" : "alarmM", `${a.cond} ${a.ch >= 0 ? (d.channels[a.ch]?.label ?? "ch" + a.ch) : ""}`);
  for (const k of d.linkLosses) addMarker(k.fromMs, "link", "link " + k.state);
  markers.sort((a, b) => a.atMs - b.atMs);
  markers.forEach((m, i) => (m.n = i + 1));
  const plotStart = Math.min(t0, d.startMs);

  const probes = d.channels.map((ch) =>
    html`<div class="probe"><h3><span class="sw" style="background:${CHANNEL_COLOURS[ch.ch % 8]}"></span>${ch.label} (${ch.role}${ch.placement ? ", " + ch.placement : ""}): peak ${degC(ch.peakCc)}</h3>${renderPlot({
      label: ch.label,
      colour: CHANNEL_COLOURS[ch.ch % CHANNEL_COLOURS.length],
      series: d.plot.series[ch.ch] ?? null,
      midMs: (i) => d.plot.midMs(i),
      startMs: plotStart,
      endMs: Math.max(d.endMs, plotStart + 1),
      limits: [
        [l.warnCc, `warn ${(l.warnCc / 100).toFixed(1)} °C`],
        [l.interveneCc, `intervene ${(l.interveneCc / 100).toFixed(1)} °C`],
        [l.stopCc, `stop ${(l.stopCc / 100).toFixed(1)} °C`],
      ],
      markers: markers.filter((m) => m.kind === "event" || m.kind === "link" || d.alarms.some((a) => a.raisedAtMs === m.atMs && (a.ch === ch.ch || a.ch < 0))),
    })}</div>`,
  );

  const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${sim ? "SIMULATED — " : ""}thermoguard procedure report — ${name} — ${utc(d.startMs)}</title><style>${CSS}</style></head><body>
${sim ? html`<div class="simpage">SIMULATED</div><p class="simbar">SIMULATED: recorded from a simulated device (demo or replay), not from a patient</p>` : null}
<h1>Procedure report: ${name}</h1>
${status}
<table class="case">
<tr><th>case / patient id (pseudonymous)</th><td>${c.caseId ?? "not given"}</td></tr>
<tr><th>procedure</th><td>${c.procedure ?? "not given"}</td></tr>
<tr><th>modality</th><td>${modality ?? "not given"}</td></tr>
<tr><th>operator</th><td>${c.operator ?? "not given"}</td></tr>
<tr><th>session</th><td>${d.session ?? "none"}</td></tr>
<tr><th>device</th><td>${d.device?.deviceId ?? "?"} (firmware ${d.device?.fw ?? "?"}), ${d.channels.length} probe(s)${sim ? html`, <span class="sim">SIMULATED</span>` : null}</td></tr>
<tr><th>recorded</th><td>${utc(d.startMs)} to ${utc(d.endMs)} (${durationWords(d.endMs - d.startMs)})${d.firstReadingAtMs !== null ? html`; first probe reading ${utc(d.firstReadingAtMs)}` : null}</td></tr>
<tr><th>recording</th><td>${joinHtml(o.sources.map((s) => html`<code>${s}</code>`), ", ")}</td></tr>
</table>
<p class="meta">Research tool, not a certified medical device. Times are UTC; offsets (+m:ss) count from the first probe reading.</p>

<h2>Doses</h2>
${dosesBlock(d)}

<h2>Probes</h2>
<table><tr><th>probe</th><th>role</th><th>placement</th><th>peak</th><th>peak at</th>${REPORT_THRESHOLDS_CC.map((th) => html`<th>time ≥ ${th / 100} °C</th>`)}<th>samples</th><th>fault readings</th></tr>
${d.channels.map((ch) => html`<tr><td><span class="sw" style="background:${CHANNEL_COLOURS[ch.ch % 8]}"></span>${ch.label}</td><td>${ch.role}</td><td>${ch.placement ?? "—"}</td><td class="n">${degC(ch.peakCc)}</td><td>${ch.peakAtMs === null ? "—" : at(ch.peakAtMs)}</td>${ch.aboveMs.map((ms) => html`<td class="n">${durationWords(ms)}</td>`)}<td class="n">${ch.samples}</td><td class="n">${ch.faults}</td></tr>`)}
</table>

<h2>Temperatures</h2>
<p class="meta">One plot per probe: the lowest and highest reading of each time slice (peaks are kept), dashed red: limits in force at the end; numbered markers: ${markers.length === 0 ? "none" : "listed under the plots"}.</p>
${probes}
${markers.length > 0 ? html`<p class="markers">${joinHtml(markers.map((m) => html`<b>${m.n}</b> ${utc(m.atMs)} (${offset(m.atMs, t0)}) ${m.text}`), "; ")}</p>` : null}

<h2>Alarms</h2>
${
  d.alarms.length === 0
    ? html`<p>No alarms.</p>`
    : html`<table><tr><th>raised</th><th>priority</th><th>condition</th><th>probe</th><th>value (peak)</th><th>limit</th><th>description</th><th>acknowledged</th><th>cleared</th></tr>
${d.alarms.map((a) => html`<tr><td>${at(a.raisedAtMs)}</td><td class="${a.prio}">${PRIO[a.prio]}</td><td>${a.cond}</td><td>${a.ch >= 0 ? (d.channels[a.ch]?.label ?? "ch" + a.ch) : "—"}</td><td class="n">${alarmQuantity(a.cond, a.peakValue)}</td><td class="n">${alarmQuantity(a.cond, a.limit)}</td><td>${a.text}</td><td>${a.ackedAtMs === null ? "not acknowledged" : html`${at(a.ackedAtMs)}${a.ackedBy ? html` by ${a.ackedBy}` : " (on the device or unknown)"}`}</td><td>${a.clearedAtMs === null ? (o.live ? "still active" : "still present at the end") : at(a.clearedAtMs)}</td></tr>`)}
</table>`
}

<h2>Procedure events</h2>
${d.events.length === 0 ? html`<p>No events marked.</p>` : html`<table><tr><th>time</th><th>event</th><th>source</th></tr>${d.events.map((e) => html`<tr><td>${at(e.atMs)}</td><td>${e.text}</td><td>${e.source}</td></tr>`)}</table>`}
${d.caseChanges.length > 1 ? html`<h3>Case field changes</h3><table><tr><th>time</th><th>by</th><th>fields set</th></tr>${d.caseChanges.map((k) => html`<tr><td>${at(k.atMs)}</td><td>${k.by ?? "—"}</td><td>${caseFieldsText(k.fields)}</td></tr>`)}</table>` : null}

<h2>Link and data quality</h2>
<p>${d.linkLosses.length} link loss(es); ${d.readingsResent} reading(s) recovered by RESEND; ${d.readingsLost} reading(s) lost; ${d.unreadable} unreadable line(s) in the recording${d.readingsOutOfOrder > 0 ? `; ${d.readingsOutOfOrder} reading(s) arrived too late to be put in order (counted in peaks, not in times above or doses)` : ""}${d.itemsOmitted > 0 ? `; ${d.itemsOmitted} alarm(s), event(s) or change(s) beyond the report's limit not listed` : ""}.</p>
${
  d.linkLosses.length > 0
    ? html`<table><tr><th>from</th><th>to</th><th>duration</th><th>state</th><th>cause</th></tr>${d.linkLosses.map((k) => html`<tr><td>${at(k.fromMs)}</td><td>${k.toMs === null ? (o.live ? "not back yet" : "end of recording") : at(k.toMs)}</td><td class="n">${clockDuration((k.toMs ?? d.endMs) - k.fromMs)}</td><td>${k.state}</td><td>${k.cause ?? ""}</td></tr>`)}</table>`
    : null
}

<h2>Sign-off</h2>
<table class="sign"><tr><th>reviewed by (name, role)</th><td></td></tr><tr><th>date</th><td></td></tr><tr><th>signature</th><td></td></tr><tr><th>remarks</th><td></td></tr></table>
<p class="meta">Generated by thermoguard report at ${utc(o.nowMs)} from the raw recording; every number here can be recomputed from it.${sim ? html` <span class="sim">SIMULATED</span>` : null}</p>
</body></html>`;
  return page.text;
}

/** "canal: 0 min 31 s at ≥ 42.2 °C of 50 min; 0 min 0 s at ≥ 70 °C of 5 min; CEM43 0.51 of 16.5", per nerve probe with a dose. */
function dosesBlock(d: ReportData): SafeHtml {
  const withDose = d.channels.filter((c): c is ChannelSummary & { deviceDose: NonNullable<ChannelSummary["deviceDose"]> } => c.deviceDose !== null);
  if (withDose.length === 0) return html`<p>No dose was reported by the device.</p>`;
  const l = d.limits;
  const cem = (m: number) => (m / 1000).toFixed(2);
  return html`<ul>${withDose.map((c) => {
    const dd = c.deviceDose;
    const r = c.recomputed;
    return html`<li><b>${c.label}</b>: ${durationWords(dd.t42Ms)} at ≥ 42.2 °C of ${l.dose42Min} min; ${durationWords(dd.t70Ms)} at ≥ 70 °C of ${l.dose70Min} min; CEM43 ${cem(dd.cem43M)} of ${(l.cem43Limit / 100).toFixed(1)}${
      r ? html` <span class="meta">(recomputed by the bridge from the readings: ${durationWords(r.t42Ms)}, ${durationWords(r.t70Ms)}, CEM43 ${cem(r.cem43M)})</span>` : null
    }</li>`;
  })}</ul>`;
}

function caseFieldsText(f: ReportData["caseChanges"][number]["fields"]): string {
  const parts: string[] = [];
  for (const k of ["caseId", "procedure", "modality", "modalityOther", "operator"] as const) if (f[k] !== undefined) parts.push(`${k} = ${f[k] ?? "(cleared)"}`);
  for (const p of f.placements ?? []) parts.push(`probe ${p.ch} placement = ${p.placement ?? "(cleared)"}`);
  return parts.join("; ");
}
