// Dashboard entry: wires the socket, the model, the views, sound and controls; renders once per animation frame.
import type { Command, ServerMessage } from "../ws/ws-messages";
import { AlarmAudio } from "./alarm-audio";
import { AlarmBanner, AlarmList, LogView, sortAlarms } from "./alarm-view";
import { ChannelChart, chartFontPx } from "./channel-chart";
import { ChannelRow, PRIO_WORD, channelAlarm } from "./channel-view";
import { ChartWindow } from "./chart-window";
import { Commands } from "./commands";
import { CaseForm } from "./case-form";
import { showControl, wireControls } from "./controls";
import { showPastProcedures } from "./past-procedures";
import { DashboardState, PRIO_RANK, type AlarmView } from "./dashboard-state";
import { byId, setAttr, setHidden, setText } from "./dom";
import { fmtClock } from "./format";
import { renderHeader } from "./header-view";
import { localConditions, syncLocalAlarms, type LocalAlarm } from "./local-alarms";
import { renderTech } from "./tech-view";
import { installTestHook } from "./test-hook";
import { rateSeries, slopeCPerMin } from "./trend";
import { BridgeSocket, type BadMessage } from "./ws-client";

/** Housekeeping period: ages, staleness, local alarms, sound. */
const TICK_MS = 250;
/** Charts redraw at most 10 times a second: the eye gains nothing from more, a fast demo sends 200 rows/s. */
const CHART_MIN_INTERVAL_MS = 100;
/** At most one resync request per this period after malformed messages. */
const RESYNC_MIN_INTERVAL_MS = 5000;

const state = new DashboardState();
const audio = new AlarmAudio();
/** This display's own alarms (no connection, silent bridge, stale readings), by key "display:<cond>". */
const localAlarms = new Map<string, LocalAlarm>();
const bad = { count: 0, last: null as BadMessage | null, lastResyncMs: 0 };
const view = new ChartWindow(() => {
  state.dirty.chart = true;
  schedule();
});

const wsUrl = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws";
const sock = new BridgeSocket(wsUrl, {
  onOpen() {
    if (cmds.token) sock.send({ type: "hello", token: cmds.token, client: "dashboard" });
    schedule();
  },
  onClose() {
    state.control = false;
    state.dirty.header = state.dirty.channels = true;
    schedule();
  },
  onFrame() {
    state.frameArrived(Date.now());
  },
  onMessage(m) {
    handle(m);
  },
  onBad(b) {
    bad.count++;
    bad.last = b;
    const el = byId("bad-msg");
    setText(el, `⚠ ${bad.count} malformed message${bad.count > 1 ? "s" : ""} from the bridge ignored — last ${fmtClock(b.atMs)}: ${b.code} ${b.detail}`);
    setHidden(el, false);
    // A dropped alarm or link message would leave a wrong picture: ask for a fresh snapshot.
    if (b.code !== "HANDLER" && Date.now() - bad.lastResyncMs > RESYNC_MIN_INTERVAL_MS) {
      bad.lastResyncMs = Date.now();
      sock.send({ type: "resync" });
    }
  },
});
const cmds = new Commands((m) => sock.send(m), byId("cmd-status"), byId("cmd-error"));
const caseForm = new CaseForm(state, cmds);
cmds.onOk = (c: Command) => {
  // Acknowledge silences this display too, like ACKAL pauses the device's local audio for 120 s.
  if (c.name === "ack" || c.name === "pause") audio.pause(Date.now());
  schedule();
};

function handle(m: ServerMessage): void {
  const now = Date.now();
  if (m.type === "commandResult") return cmds.result(m);
  if (m.type === "error") {
    if (!cmds.bridgeError(m)) cmds.error(`✕ bridge says ${m.code}: ${m.message}`);
    return;
  }
  if (m.type === "auth" && cmds.token && !m.control) cmds.error("✕ control token refused by the bridge — commands will be refused");
  if (m.type === "auth" && m.control) cmds.status("✓ control token accepted");
  const fresh = state.apply(m, now);
  if (m.type === "snapshot" || m.type === "status") showReportLink();
  if (fresh.length) announceNew(fresh);
  schedule();
}

/** A new alarm: speak it (aria-live), and end any audio pause so a new condition is heard. */
function announceNew(fresh: AlarmView[]): void {
  const worst = fresh.reduce((a, b) => (PRIO_RANK[b.prio] > PRIO_RANK[a.prio] ? b : a));
  if (fresh.some((a) => !a.acked && a.prio !== "L")) audio.resume();
  setText(byId("announcer"), `${PRIO_WORD[worst.prio]} priority alarm: ${worst.cond}. ${worst.text}`);
}

// ---------------------------------------------------------------------------------------------
// Views, rendered once per animation frame when something changed
// ---------------------------------------------------------------------------------------------

let rows: { row: ChannelRow; chart: ChannelChart }[] = [];
const banner = new AlarmBanner(byId("alarm-banner"), byId("banner-msg"));
const alarmList = new AlarmList(byId("alarm-list"), byId("alarm-empty"), (key) => cmds.run({ name: "ack", alarmKey: key }, "Acknowledge " + (state.alarms.get(key)?.cond ?? key)));
const logView = new LogView(byId("log-list"));

function buildRows(): void {
  for (const r of rows) r.chart.destroy();
  const box = byId("channel-rows");
  box.replaceChildren();
  rows = state.channels.map((ch) => {
    const row = new ChannelRow(ch);
    box.append(row.root);
    const chart = new ChannelChart(row.chartEl, {
      nerve: ch.role === "nerve",
      limits: () => state.limits,
      events: () => state.events,
      ariaLabel: `Temperature chart of ${ch.label}`,
      onZoom: (min, max) => view.zoom(min, max),
      onReset: () => view.setFollow(),
      rate: showRate,
    });
    return { row, chart };
  });
  setAttr(box, "data-count", String(rows.length));
  // Row height sets the value's size: every probe fits the screen at once (app.css --rows).
  document.documentElement.style.setProperty("--rows", String(Math.max(1, rows.length)));
  caseForm.build(state.channels);
}

/** The alarms shown: the bridge's plus this display's own, most urgent first. */
function shownAlarms(): AlarmView[] {
  return sortAlarms([...state.alarms.values(), ...localAlarms.values()]);
}

/** Stale: no socket, the bridge says the link is down or readings are stale, or too old by this page's own clock. */
function isStale(recvMs: number | null, now: number): boolean {
  if (!sock.open || recvMs == null) return true;
  if (state.link && (state.link.state !== "up" || state.link.readingsStale)) return true;
  return now - recvMs > state.staleAfterMs();
}

let frame = 0;
let lastChartDraw = 0;
/** The optional rate-of-rise curve on every chart (toolbar toggle). */
let showRate = false;
function schedule(): void {
  if (!frame) frame = requestAnimationFrame(render);
}

function render(): void {
  frame = 0;
  const now = Date.now();
  const d = state.dirty;
  if (d.layout) {
    d.layout = false;
    buildRows();
    d.chart = true;
  }
  const alarms = shownAlarms();
  // Charts: on new data (at most every CHART_MIN_INTERVAL_MS), and once a second while following (the window moves).
  const chartDue = d.chart ? now - lastChartDraw >= CHART_MIN_INTERVAL_MS : view.follow && now - lastChartDraw > 1000;
  if (d.chart && !chartDue) setTimeout(schedule, CHART_MIN_INTERVAL_MS);
  if (chartDue) {
    d.chart = false;
    lastChartDraw = now;
    const [a, b] = view.range(state.history, state.lastRowMs, now);
    const h = state.history;
    rows.forEach((r, i) => r.chart.update(h.x, h.y[i] ?? [], a, b, showRate ? rateSeries(h.tS, h.y[i] ?? []) : null));
  }
  rows.forEach((r, i) => {
    const latest = state.latest[i] ?? null;
    const stale = isStale(latest?.recvMs ?? null, now);
    r.row.update({
      latest,
      limits: state.limits,
      dose: state.doses.get(i) ?? null,
      slope: stale ? null : slopeCPerMin(state.history.tS, state.history.y[i] ?? []),
      peakC: state.peakC[i] ?? null,
      ageMs: latest ? now - latest.recvMs : null,
      stale,
      alarm: channelAlarm(alarms, i),
      nowMs: now,
    });
  });
  banner.update(alarms, state.channels);
  alarmList.update(alarms, state.channels, now);
  if (d.log) {
    d.log = false;
    logView.update(state.log);
  }
  renderHeader(now, { state, audio, wsOpen: sock.open, nextRetryAtMs: sock.nextRetryAtMs, isStale });
  if (d.header) {
    d.header = false;
    showControl(state.control);
    caseForm.show();
    const sess = state.status?.session ?? state.device?.session ?? null;
    setText(byId("session-now"), sess ?? "none running");
  }
  if (d.tech && (byId("tech") as HTMLDetailsElement).open) {
    d.tech = false;
    renderTech(byId("tech-dl"), state, { wsConnects: sock.connects, badMessages: bad.count, wsUrl, readingDelayMs: state.readingDelayMs() });
  }
}

// ---------------------------------------------------------------------------------------------
// Housekeeping: this display's own alarms, sound, ages
// ---------------------------------------------------------------------------------------------

function tick(): void {
  const now = Date.now();
  const conds = localConditions({
    nowMs: now,
    wsOpen: sock.open,
    retryInMs: sock.nextRetryAtMs != null ? sock.nextRetryAtMs - now : null,
    lastFrameMs: state.lastFrameMs,
    lastRowMs: state.lastRowMs,
    snapshotMs: sock.open ? state.snapshotMs : null,
    staleAfterMs: state.staleAfterMs(),
  });
  const { raised, cleared } = syncLocalAlarms(localAlarms, conds, now);
  for (const a of raised) state.logAlarm("RAISE", a);
  for (const a of cleared) state.logAlarm("CLEAR", a);
  if (raised.length) announceNew(raised);
  // Sound for the highest priority not yet acknowledged (acknowledged alarms stay visible, silently).
  let soundPrio: "H" | "M" | "L" | null = null;
  for (const a of [...state.alarms.values(), ...localAlarms.values()]) {
    if (!a.acked && (!soundPrio || PRIO_RANK[a.prio] > PRIO_RANK[soundPrio])) soundPrio = a.prio;
  }
  audio.tick(soundPrio, now);
  state.dirty.channels = state.dirty.header = true;
  schedule();
}

/** Shows the report link while the bridge says where the recording's report is (recording.reportUrl, e.g. "/report"). */
function showReportLink(): void {
  const url = state.recording?.reportUrl ?? null;
  if (url) setAttr(byId("report-link"), "href", url);
  setHidden(byId("report-row"), !url);
}

view.wireToolbar();
byId("rate-toggle").addEventListener("click", () => {
  showRate = !showRate;
  setAttr(byId("rate-toggle"), "aria-pressed", String(showRate));
  state.dirty.layout = true;
  schedule();
});
wireControls({ cmds, sock, audio, state, localAlarms, schedule });
byId("past").addEventListener("toggle", () => {
  if ((byId("past") as HTMLDetailsElement).open) void showPastProcedures();
});
byId("tech").addEventListener("toggle", () => {
  state.dirty.tech = true;
  schedule();
});
window.addEventListener("resize", () => {
  // Moving between a laptop and a wall monitor changes the font size: rebuild the charts' axes.
  if (rows[0] && Math.abs(chartFontPx() - rows[0].chart.fontPx) >= 2) {
    state.dirty.layout = true;
    schedule();
  }
});
installTestHook({ state, sock, rows: () => rows.map((r) => r.chart), alarms: shownAlarms, shownAtMs: alarmList.shownAtMs, bad, audio });
sock.start();
setInterval(tick, TICK_MS);
schedule();
