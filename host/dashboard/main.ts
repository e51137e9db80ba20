// Dashboard entry: wires the socket, the model, the views, sound and controls; renders once per animation frame.
import type { Command, ServerMessage } from "../ws/ws-messages";
import { AlarmAudio } from "./alarm-audio";
import { AlarmBanner, AlarmList, LogView, sortAlarms } from "./alarm-view";
import { ChannelChart, chartFontPx } from "./channel-chart";
import { ChannelRow, PRIO_WORD, channelAlarm } from "./channel-view";
import { Commands, saveToken } from "./commands";
import { DashboardState, PRIO_RANK, type AlarmView } from "./dashboard-state";
import { byId, setAttr, setHidden, setText } from "./dom";
import { fmtAge, fmtBytes, fmtClock, fmtDuration } from "./format";
import { localConditions } from "./local-alarms";
import { renderTech } from "./tech-view";
import { installTestHook } from "./test-hook";
import { slopeCPerMin } from "./trend";
import { BridgeSocket, type BadMessage } from "./ws-client";

/** Housekeeping period: ages, staleness, local alarms, sound. */
const TICK_MS = 250;
/** Charts redraw at most 10 times a second: the eye gains nothing from more, a fast demo sends 200 rows/s. */
const CHART_MIN_INTERVAL_MS = 100;
/** At most one resync request per this period after malformed messages. */
const RESYNC_MIN_INTERVAL_MS = 5000;

const state = new DashboardState();
const audio = new AlarmAudio();
const localAlarms = new Map<string, AlarmView>();
const bad = { count: 0, last: null as BadMessage | null, lastResyncMs: 0 };
/** Chart x window shared by all charts: follow the newest data over `spanS` (0: all), or a fixed zoom. */
const view = { follow: true, spanS: 600, minS: 0, maxS: 0 };

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
  if (m.type === "snapshot" || m.type === "status") probeReport();
  if (fresh.length) announceNew(fresh);
  schedule();
}

/** A new alarm: speak it (aria-live), and end any audio pause so it is heard. */
function announceNew(fresh: AlarmView[]): void {
  const worst = fresh.reduce((a, b) => (PRIO_RANK[b.prio] > PRIO_RANK[a.prio] ? b : a));
  if (fresh.some((a) => !a.acked && a.prio !== "L")) audio.resume();
  setText(byId("announcer"), `${PRIO_WORD[worst.prio]} priority alarm: ${worst.cond}. ${worst.text}`);
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

interface Row {
  row: ChannelRow;
  chart: ChannelChart;
}
let rows: Row[] = [];
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
      onZoom: (min, max) => {
        Object.assign(view, { follow: false, minS: min, maxS: max });
        updateToolbar();
        state.dirty.chart = true;
        schedule();
      },
      onReset: () => setFollow(view.spanS),
    });
    return { row, chart };
  });
  setAttr(box, "data-count", String(rows.length));
}

/** The alarms shown: the bridge's plus this display's own, most urgent first. */
function shownAlarms(): AlarmView[] {
  return sortAlarms([...state.alarms.values(), ...localAlarms.values()]);
}

function isStale(recvMs: number | null, now: number): boolean {
  if (!sock.open || recvMs == null) return true;
  if (state.link && (state.link.state !== "up" || state.link.readingsStale)) return true;
  return now - recvMs > state.staleAfterMs();
}

function chartWindow(now: number): [number, number] {
  const h = state.history;
  const n = h.length;
  if (!view.follow) return [view.minS, view.maxS];
  // The right edge keeps moving while no data arrives, so a dead feed shows as a growing gap.
  const lastX = n ? h.x[n - 1]! : now / 1000;
  const end = lastX + (n && state.lastRowMs != null ? Math.max(0, now - state.lastRowMs) / 1000 : 0);
  const start = view.spanS > 0 ? end - view.spanS : n ? h.x[0]! : end - 600;
  return [start, Math.max(end, start + 1)];
}

let lastChartDraw = 0;
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
    const [a, b] = chartWindow(now);
    const h = state.history;
    rows.forEach((r, i) => r.chart.update(h.x, h.y[i] ?? [], a, b));
  }
  rows.forEach((r, i) => {
    const latest = state.latest[i] ?? null;
    const stale = isStale(latest?.recvMs ?? null, now);
    r.row.update(
      {
        latest,
        limits: state.limits,
        dose: state.doses.get(i) ?? null,
        slope: stale ? null : slopeCPerMin(state.history.tS, state.history.y[i] ?? []),
        peakC: state.peakC[i] ?? null,
        ageMs: latest ? now - latest.recvMs : null,
        stale,
        alarm: channelAlarm(alarms, i),
      },
      now,
    );
  });
  banner.update(alarms, state.channels);
  alarmList.update(alarms, state.channels, now);
  if (d.log) {
    d.log = false;
    logView.update(state.log);
  }
  renderHeader(now);
  if (d.tech && (byId("tech") as HTMLDetailsElement).open) {
    d.tech = false;
    renderTech(byId("tech-dl"), state, { wsConnects: sock.connects, badMessages: bad.count, wsUrl, readingDelayMs: readingDelayMs() });
  }
}

/**
 * Delay from a reading's device time (as wall clock, by the bridge's clock map) to its arrival on
 * this page, median of the last rows held; assumes the bridge's and the browser's clocks agree (same
 * PC, or NTP). The alarm path is the same pipeline, so this discloses the display's part of the alarm delay.
 */
function readingDelayMs(): number | null {
  const h = state.history;
  const n = h.length;
  if (n === 0) return null;
  const d: number[] = [];
  for (let i = Math.max(0, n - 50); i < n; i++) d.push(h.recvMs[i]! - h.atMs[i]!);
  d.sort((a, b) => a - b);
  return d[d.length >> 1]!;
}

function renderHeader(now: number): void {
  const link = byId("link-pill");
  const newest = state.lastRowMs;
  let text: string;
  let key: string;
  if (!sock.open) {
    key = "offline";
    const retry = sock.nextRetryAtMs != null ? ` · retry ${Math.max(0, Math.ceil((sock.nextRetryAtMs - now) / 1000))} s` : "";
    text = "✕ NO BRIDGE CONNECTION" + retry;
  } else if (!state.link) {
    key = "waiting";
    text = "… waiting for the bridge";
  } else {
    key = state.link.state;
    const since = fmtAge(now - (state.link.sinceMs - state.bridgeOffsetMs));
    if (key === "up") text = isStale(newest, now) ? `⚠ LINK UP · data ${newest == null ? "missing" : fmtAge(now - newest) + " old"}` : "✓ LINK UP";
    else if (key === "lost") text = `✕ LINK LOST · ${since}`;
    else if (key === "refused") text = `✕ LINK REFUSED · ${state.link.error?.code ?? ""}`;
    else if (key === "closed") text = "✕ LINK CLOSED";
    else text = `… LINK ${key.toUpperCase()} · ${since}`;
  }
  setAttr(link, "data-link", key);
  setText(link, text);
  const sess = state.status?.session ?? state.device?.session ?? null;
  setText(byId("session-pill"), sess ? `Session ${sess}` : "No session");
  setAttr(byId("session-pill"), "data-on", sess ? "1" : null);
  const rec = state.recording;
  setText(byId("rec-pill"), rec?.active ? `● REC ${fmtBytes(rec.bytes)}` : "○ not recording");
  setAttr(byId("rec-pill"), "data-on", rec?.active ? "1" : null);
  const a = audio.state(now);
  const ap = byId("audio-pill");
  const devPause = state.status?.audioPaused ? ` · device ${state.status.pauseS} s` : "";
  setText(
    ap,
    a === "paused" ? `♪ AUDIO PAUSED ${fmtDuration(audio.pauseLeftMs(now))}${devPause}` : a === "on" ? `♪ Sound on${devPause}` : `♪ Sound off — click to enable${devPause}`,
  );
  setAttr(ap, "data-audio", a);
  setAttr(ap, "aria-label", a === "paused" ? "Audio paused; press to end the pause" : a === "on" ? "Sound on" : "Sound off; press to enable");
  setText(byId("control-pill"), state.control ? "✓ Control" : "View only");
  setAttr(byId("control-pill"), "data-on", state.control ? "1" : null);
  setText(byId("clock"), fmtClock(now));
}

let frame = 0;
function schedule(): void {
  if (!frame) frame = requestAnimationFrame(render);
}

// ---------------------------------------------------------------------------------------------
// Housekeeping: local alarms, sound, ages
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
  const present = new Set(conds.map((c) => c.cond));
  const fresh: AlarmView[] = [];
  for (const c of conds) {
    const key = "display:" + c.cond;
    const cur = localAlarms.get(key);
    if (cur) {
      cur.text = c.text;
      continue;
    }
    const a: AlarmView = { key, source: "display", cond: c.cond, ch: -1, prio: c.prio, kind: "T", active: true, acked: false, latching: false, raisedAtMs: now, changedAtMs: now, text: c.text, seenAtMs: now };
    localAlarms.set(key, a);
    state.logAlarm("RAISE", a);
    fresh.push(a);
  }
  for (const [key, a] of localAlarms) {
    if (present.has(a.cond as never)) continue;
    localAlarms.delete(key);
    a.changedAtMs = now;
    state.logAlarm("CLEAR", a);
  }
  if (fresh.length) announceNew(fresh);
  let soundPrio: "H" | "M" | "L" | null = null;
  for (const a of [...state.alarms.values(), ...localAlarms.values()]) {
    if (!a.acked && (!soundPrio || PRIO_RANK[a.prio] > PRIO_RANK[soundPrio])) soundPrio = a.prio;
  }
  audio.tick(soundPrio, now);
  state.dirty.channels = state.dirty.header = true;
  schedule();
}

// ---------------------------------------------------------------------------------------------
// Controls
// ---------------------------------------------------------------------------------------------

function setFollow(spanS: number): void {
  Object.assign(view, { follow: true, spanS });
  updateToolbar();
  state.dirty.chart = true;
  schedule();
}

function updateToolbar(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>(".toolbar button[data-span]")) {
    setAttr(b, "aria-pressed", view.follow && Number(b.dataset.span) === view.spanS ? "true" : "false");
  }
  const f = byId("follow");
  setAttr(f, "aria-pressed", view.follow ? "true" : "false");
  setText(f, view.follow ? "● Live" : "▶ Back to live");
}

function wireControls(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>(".toolbar button[data-span]")) b.addEventListener("click", () => setFollow(Number(b.dataset.span)));
  byId("follow").addEventListener("click", () => setFollow(view.spanS));
  byId("ack-all").addEventListener("click", () => {
    // This display's own alarms are acknowledged here; the bridge's need the token.
    for (const a of localAlarms.values()) a.acked = true;
    cmds.run({ name: "ack", alarmKey: "*" }, "Acknowledge all");
    schedule();
  });
  byId("pause-audio").addEventListener("click", () => {
    audio.unlock();
    audio.pause(Date.now());
    if (cmds.token || state.control) cmds.run({ name: "pause", seconds: 120 }, "Pause device audio 120 s");
    else cmds.status("♪ Audio paused on this display for 120 s (the device's own audio needs the control token)");
    schedule();
  });
  byId("audio-pill").addEventListener("click", () => {
    audio.unlock();
    if (audio.state(Date.now()) === "paused") audio.resume();
    schedule();
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-mark]")) b.addEventListener("click", () => cmds.run({ name: "mark", text: b.dataset.mark! }, `Mark "${b.dataset.mark}"`));
  byId("note-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const inp = byId<HTMLInputElement>("note");
    const text = inp.value.trim();
    if (!text) return;
    cmds.run({ name: "mark", text }, `Mark "${text}"`);
    inp.value = "";
  });
  byId("session-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const name = byId<HTMLInputElement>("session-name").value.trim();
    cmds.run({ name: "startSession", session: name }, `Start session "${name}"`);
  });
  // Two-step confirmation instead of confirm(): a native dialog would block this page's alarm handling and sound.
  const endBtn = byId<HTMLButtonElement>("session-end");
  let armedTimer: ReturnType<typeof setTimeout> | undefined;
  const disarm = () => {
    clearTimeout(armedTimer);
    delete endBtn.dataset.armed;
    setText(endBtn, "End");
  };
  endBtn.addEventListener("click", () => {
    if (endBtn.dataset.armed === undefined) {
      endBtn.dataset.armed = "1";
      setText(endBtn, "Confirm end?");
      cmds.status("Press again within 5 s to end the session (doses stay until the next start)");
      armedTimer = setTimeout(disarm, 5000);
      return;
    }
    disarm();
    cmds.run({ name: "endSession" }, "End session");
  });
  const tokenInput = byId<HTMLInputElement>("token");
  tokenInput.value = cmds.token;
  byId("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    cmds.token = tokenInput.value.trim();
    saveToken(cmds.token);
    if (cmds.token) sock.send({ type: "hello", token: cmds.token, client: "dashboard" });
    cmds.status(cmds.token ? "… token sent" : "token cleared");
  });
  byId("token-forget").addEventListener("click", () => {
    cmds.token = "";
    tokenInput.value = "";
    saveToken("");
    // Drop control held by this connection: reconnect without hello.
    sock.reconnectNow();
    cmds.status("token forgotten: view only");
  });
  window.addEventListener("resize", () => {
    // Moving between a laptop and a wall monitor changes the font size: rebuild the charts' axes.
    if (rows[0] && Math.abs(chartFontPx() - rows[0].chart.fontPx) >= 2) {
      state.dirty.layout = true;
      schedule();
    }
  });
  byId("tech").addEventListener("toggle", () => {
    state.dirty.tech = true;
    schedule();
  });
  // Browsers allow sound only after a user gesture: any click or key enables it.
  for (const ev of ["pointerdown", "keydown"]) document.addEventListener(ev, () => audio.unlock(), { capture: true });
  audio.unlock();
}

/** Shows the report link when the bridge serves one (HEAD report -> 200). */
let reportProbedMs = 0;
function probeReport(): void {
  const now = Date.now();
  if (now - reportProbedMs < 30_000) return;
  reportProbedMs = now;
  fetch("report", { method: "HEAD", cache: "no-store" })
    .then((r) => setHidden(byId("report-row"), !r.ok))
    .catch(() => setHidden(byId("report-row"), true));
}

wireControls();
updateToolbar();
installTestHook({ state, sock, rows: () => rows.map((r) => r.chart), alarms: shownAlarms, shownAtMs: alarmList.shownAtMs, bad, audio });
sock.start();
setInterval(tick, TICK_MS);
schedule();
