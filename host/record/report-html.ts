// Procedure summary as one self-contained HTML page (inline CSS and SVG, no external assets), readable offline.
import type { ReportData } from "./report-data";
import { REPORT_THRESHOLDS_CC } from "./report-data";
import { CHANNEL_COLOURS, renderPlot } from "./svg-plot";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** mm:ss (or h:mm:ss) of a duration in ms. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return (h > 0 ? h + ":" + String(m).padStart(2, "0") : String(m)) + ":" + String(sec).padStart(2, "0");
}
const clock = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
const rel = (ms: number, start: number) => "+" + duration(ms - start);
const degC = (cc: number | null) => (cc === null ? "—" : (cc / 100).toFixed(2) + " °C");
const pm = (v: number) => (v / 10).toFixed(1) + " %";

const CSS = `body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#111;padding:0 1em}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}.H{color:#B00020;font-weight:bold}.M{color:#8a6100;font-weight:bold}
.meta{color:#444}.warn{background:#fff4d6;padding:.5em;border:1px solid #e0c060}.sw{display:inline-block;width:1em;height:.7em;margin-right:.3em}
@media print{body{margin:0}}`;

/** Renders the report page. `source` names the recording file. */
export function reportHtml(d: ReportData, source: string): string {
  const s = d.startMs;
  const title = `thermoguard procedure report — ${d.session ?? "no session"} — ${clock(s)}`;
  const o: string[] = [];
  o.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${CSS}</style></head><body>`);
  o.push(`<h1>Procedure report${d.session ? ": " + esc(d.session) : ""}</h1>`);
  o.push(`<p class="meta">Device ${esc(d.device?.deviceId ?? "?")} (firmware ${esc(d.device?.fw ?? "?")}), ${d.channels.length} channels. From ${clock(s)} to ${clock(d.endMs)} (${duration(d.endMs - s)}). Recording <code>${esc(source)}</code>.</p>`);
  o.push(`<p class="meta">Research tool, not a certified medical device. Times are wall-clock (UTC) and relative to the start of the recording.</p>`);
  if (!d.endedCleanly) o.push(`<p class="warn">The recording has no end record: the bridge stopped abruptly (crash or power cut); at most its last second is missing.</p>`);

  const l = d.limits;
  const markers: [number, string, "event" | "alarmH" | "alarmM" | "link"][] = [];
  for (const e of d.events) markers.push([e.atMs, e.text, "event"]);
  for (const a of d.alarms) if (a.prio !== "L") markers.push([a.raisedAtMs, a.cond + ": " + a.text, a.prio === "H" ? "alarmH" : "alarmM"]);
  for (const k of d.linkLosses) markers.push([k.fromMs, "link " + k.state, "link"]);
  o.push("<h2>Temperatures</h2>");
  o.push(
    renderPlot({
      readings: d.readings,
      labels: d.channels.map((c) => c.label),
      startMs: s,
      endMs: d.endMs,
      limits: [
        [l.warnCc, "warn " + (l.warnCc / 100).toFixed(1)],
        [l.interveneCc, "intervene " + (l.interveneCc / 100).toFixed(1)],
        [l.stopCc, "stop " + (l.stopCc / 100).toFixed(1)],
      ],
      markers,
      periodMs: d.device ? 1000 / d.device.rateHz : 100,
    }),
  );
  o.push(`<p class="meta">Dashed red: limits. Dotted verticals: procedure events. Triangles: high (red) and medium (amber) alarms, grey: link losses (hover for details).</p>`);

  o.push("<h2>Channels</h2><table><tr><th>channel</th><th>role</th><th>peak</th><th>at</th>");
  for (const th of REPORT_THRESHOLDS_CC) o.push(`<th>time ≥ ${th / 100} °C</th>`);
  o.push("<th>samples</th><th>fault readings</th></tr>");
  for (const c of d.channels) {
    o.push(`<tr><td><span class="sw" style="background:${CHANNEL_COLOURS[c.ch % 8]}"></span>${esc(c.label)}</td><td>${c.role}</td><td class="n">${degC(c.peakCc)}</td><td>${c.peakAtMs === null ? "—" : rel(c.peakAtMs, s)}</td>`);
    for (const ms of c.aboveMs) o.push(`<td class="n">${duration(ms)}</td>`);
    o.push(`<td class="n">${c.samples}</td><td class="n">${c.faults}</td></tr>`);
  }
  o.push("</table>");

  o.push(`<h2>Final doses</h2><table><tr><th>channel</th><th>time ≥ 42.2 °C (of ${l.dose42Min} min)</th><th>time ≥ 70 °C (of ${l.dose70Min} min)</th><th>CEM43 (of ${(l.cem43Limit / 100).toFixed(1)})</th><th>recomputed by the bridge from the readings</th></tr>`);
  for (const c of d.channels) {
    if (!c.deviceDose) continue;
    const dd = c.deviceDose;
    const r = c.recomputed;
    o.push(`<tr><td>${esc(c.label)}</td><td class="n">${duration(dd.t42Ms)} (${pm(dd.t42Pm)})</td><td class="n">${duration(dd.t70Ms)} (${pm(dd.t70Pm)})</td><td class="n">${(dd.cem43M / 1000).toFixed(3)} (${pm(dd.cem43Pm)})</td>`);
    o.push(`<td>${r ? `${duration(r.t42Ms)} / ${duration(r.t70Ms)} / ${(r.cem43M / 1000).toFixed(3)} CEM43` : "—"}</td></tr>`);
  }
  o.push("</table>");

  o.push("<h2>Alarms</h2>");
  if (d.alarms.length === 0) o.push("<p>No alarms.</p>");
  else {
    o.push("<table><tr><th>raised</th><th>priority</th><th>condition</th><th>source</th><th>description</th><th>acknowledged</th><th>cleared</th></tr>");
    for (const a of d.alarms) {
      o.push(`<tr><td>${rel(a.raisedAtMs, s)}</td><td class="${a.prio}">${a.prio === "H" ? "high" : a.prio === "M" ? "medium" : "low"}</td><td>${esc(a.cond)}</td><td>${a.source}</td><td>${esc(a.text)}</td><td>${a.ackedAtMs === null ? "not acknowledged" : rel(a.ackedAtMs, s)}</td><td>${a.clearedAtMs === null ? "still present at the end" : rel(a.clearedAtMs, s)}</td></tr>`);
    }
    o.push("</table>");
  }

  o.push("<h2>Procedure events</h2>");
  if (d.events.length === 0) o.push("<p>No events marked.</p>");
  else {
    o.push("<table><tr><th>time</th><th>event</th></tr>");
    for (const e of d.events) o.push(`<tr><td>${rel(e.atMs, s)} (${clock(e.atMs)})</td><td>${esc(e.text)}</td></tr>`);
    o.push("</table>");
  }

  o.push("<h2>Link and data quality</h2>");
  o.push(`<p>${d.linkLosses.length} link loss(es); ${d.readingsResent} reading(s) recovered by RESEND; ${d.readingsLost} reading(s) lost.</p>`);
  if (d.linkLosses.length > 0) {
    o.push("<table><tr><th>from</th><th>to</th><th>duration</th><th>state</th><th>cause</th></tr>");
    for (const k of d.linkLosses) o.push(`<tr><td>${rel(k.fromMs, s)}</td><td>${k.toMs === null ? "end" : rel(k.toMs, s)}</td><td class="n">${duration((k.toMs ?? d.endMs) - k.fromMs)}</td><td>${k.state}</td><td>${esc(k.cause ?? "")}</td></tr>`);
    o.push("</table>");
  }
  o.push(`<p class="meta">Generated by thermoguard report from the raw recording; every number here can be recomputed from it.</p></body></html>`);
  return o.join("\n");
}
