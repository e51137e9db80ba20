// Technical details: device, link, limits in force, device status, bridge counters, this display's own counters.
import type { DashboardState } from "./dashboard-state";
import { h } from "./dom";
import { fmtBytes, fmtCc, fmtClock } from "./format";

export interface DisplayCounters {
  wsConnects: number;
  badMessages: number;
  wsUrl: string;
  /** Median delay device sample -> this page, ms (null: no readings). */
  readingDelayMs: number | null;
}

/** Rebuilds the definition list (only while the section is open, at most on every status message). */
export function renderTech(dl: HTMLElement, s: DashboardState, d: DisplayCounters): void {
  const rows: [string, string][] = [];
  const dev = s.device;
  if (dev) {
    rows.push(["Device", `${dev.deviceId} · fw ${dev.fw} · protocol ${dev.major}.${dev.minor}`]);
    rows.push(["Boot", `${dev.bootId}${dev.restored ? " · doses restored from storage" : ""}`]);
    rows.push(["Port", dev.port ?? s.link?.port ?? "–"]);
    rows.push(["Sampling", `${dev.channels} channels at ${dev.rateHz} Hz`]);
    rows.push(["Schema", `${dev.schemaHash} ${dev.schemaMatches ? "✓ matches" : "✕ differs from the bridge"}`]);
  } else rows.push(["Device", "none connected"]);
  const l = s.link;
  if (l) {
    rows.push(["Link", `${l.state} since ${fmtClock(l.sinceMs)} · ${l.reconnects} reconnects${l.error ? ` · ${l.error.code}: ${l.error.message}` : ""}`]);
    rows.push(["Last line", l.lastLineAtMs != null ? fmtClock(l.lastLineAtMs) : "–"]);
  }
  const lim = s.limits;
  if (lim) {
    rows.push(["Limits", `warn ${fmtCc(lim.warnCc, 1)} · intervene ${fmtCc(lim.interveneCc, 1)} · stop ${fmtCc(lim.stopCc, 1)} °C · predict ${lim.predictS} s`]);
    rows.push(["Dose limits", `≥ 42.2 °C ${lim.dose42Min} min · ≥ 70 °C ${lim.dose70Min} min · CEM43 ${(lim.cem43Limit / 100).toFixed(1)}`]);
  }
  const st = s.status;
  if (st) {
    const flags = [st.interlock && "INTERLOCK", st.audioPaused && `audio paused ${st.pauseS} s`, st.sessionActive && "session", st.timeSynced ? "time synced" : "time NOT synced", st.storageOk ? "storage ok" : "STORAGE FAIL", st.txCongested && "TX CONGESTED"].filter(Boolean);
    rows.push(["Device status", flags.join(" · ")]);
    rows.push(["Device counters", `samples ${st.samples} · missed ${st.missed} · dropped ${st.dropped} · bad rx ${st.badRx} · retx ${st.retx} · spikes ${st.spikes}`]);
  }
  const c = s.counters;
  if (c) {
    const badLines = Object.entries(c.badLines).map(([k, v]) => `${k} ${v}`).join(", ") || "0";
    rows.push(["Bridge lines", `${c.lines} valid · bad: ${badLines} · ${c.droppedBytes} bytes dropped`]);
    rows.push(["Readings", `gaps ${c.readGaps} · missing ${c.readMissing} · recovered ${c.readRecovered} · lost ${c.readLost} · duplicates ${c.readDuplicates}`]);
    rows.push(["Alarm lines", `${c.alarmLines} · retransmits ${c.alarmRetransmits} · held ${c.alarmHeld} · other gaps ${c.otherGaps}`]);
    rows.push(["Commands", `sent ${c.commandsSent} · ACK ${c.commandsAcked} · NAK ${c.commandsNaked} · timeout ${c.commandsTimedOut}`]);
    const wsBad = Object.entries(c.wsBadMessages ?? {}).map(([k, v]) => `${k} ${v}`).join(", ") || "0";
    rows.push(["WebSocket", `${c.wsClients} clients · rows dropped ${c.wsDroppedRows} · slow disconnects ${c.wsSlowDisconnects} · bad messages: ${wsBad}`]);
  }
  const r = s.recording;
  if (r) {
    const trouble = `${r.error ? ` · FAILING: ${r.error}` : ""}${r.droppedRecords ? ` · ${r.droppedRecords} records dropped` : ""}`;
    rows.push(["Recording", r.active ? `${r.file ?? ""} · ${fmtBytes(r.bytes)}${r.lastFlushAtMs ? ` · flushed ${fmtClock(r.lastFlushAtMs)}` : ""}${trouble}` : "off"]);
  }
  rows.push(["Reading delay", d.readingDelayMs == null ? "–" : `${Math.round(d.readingDelayMs)} ms median, device sample → this page (same-clock assumption)`]);
  rows.push(["This display", `${d.wsUrl} · ${d.wsConnects} connects · ${d.badMessages} malformed messages · ${s.history.length} rows held · bridge clock ${s.bridgeOffsetMs >= 0 ? "+" : ""}${Math.round(s.bridgeOffsetMs)} ms`]);
  dl.replaceChildren(...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}
