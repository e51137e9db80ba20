// The central station's page: one tile per room, the cross-room alarm list, a read-only room view, IEC 60601-1-8 sound.
import { AlarmAudio } from "../../dashboard/alarm-audio";
import { PRIO_MARK, PRIO_WORD } from "../../dashboard/channel-view";
import { byId, h, setAttr, setHidden, setText } from "../../dashboard/dom";
import { fmtAge, fmtCc, fmtClock, fmtValue } from "../../dashboard/format";
import type { CentralAlarm, RoomDetail, RoomTile } from "../central-state";
import type { CentralServerMessage, CentralViewMsg } from "../central-messages";

const RANK = { H: 3, M: 2, L: 1 } as const;
const audio = new AlarmAudio();
let ws: WebSocket | null = null;
let last: CentralViewMsg | null = null;
let watching: string | null = new URLSearchParams(location.search).get("room");
let ackSeq = 0;

/** The alarm that decides banner and sound: highest priority, unacknowledged first. */
function topAlarm(alarms: CentralAlarm[]): CentralAlarm | null {
  let top: CentralAlarm | null = null;
  for (const a of alarms) if (!top || RANK[a.prio] > RANK[top.prio] || (RANK[a.prio] === RANK[top.prio] && top.acked && !a.acked)) top = a;
  return top;
}

function renderTile(t: RoomTile, now: number): HTMLElement {
  const temp = t.worstNerveCc === null ? "—" : fmtCc(t.worstNerveCc, 1) + " °C";
  const cls = t.worstNerveCc !== null && t.stopCc !== null && t.worstNerveCc >= t.stopCc ? "t-temp t-stop" : t.worstNerveCc !== null && t.interveneCc !== null && t.worstNerveCc >= t.interveneCc ? "t-temp t-over" : "t-temp";
  const linkWord = t.silent ? (t.online ? "SILENT" : "OFFLINE (Last Will)") : !t.online ? "offline (stopped)" : t.link === "up" ? "link up" : "link " + t.link;
  const b = h(
    "button",
    { type: "button", class: "tile", "data-room": t.room, "data-prio": t.topPrio, "data-signal": t.topPrio ? (t.flashing ? "flash" : "steady") : null, "data-silent": t.silent || null },
    h("h3", {}, h("span", {}, t.name), h("span", { class: "t-prio" }, t.topPrio ? `${PRIO_MARK[t.topPrio]} ${PRIO_WORD[t.topPrio]}` : "✓")),
    h("div", { class: cls, title: t.worstNerveLabel ?? "" }, temp),
    h("div", { class: "t-row" }, h("span", {}, "limit " + (t.interveneCc === null ? "—" : fmtCc(t.interveneCc, 1) + " °C")), h("span", {}, t.worstNerveLabel ?? "")),
    h("div", { class: "t-row" }, h("span", {}, "dose " + (t.nearestDosePm === null ? "—" : (t.nearestDosePm / 10).toFixed(1) + " %")), h("span", {}, t.nearestDose ?? "")),
    h("div", { class: "t-row" }, h("span", { class: "t-age" }, "data " + (t.dataAgeMs === null ? "—" : fmtAge(t.dataAgeMs))), h("span", { class: "t-link" }, linkWord)),
    h("div", { class: "t-row" }, h("span", {}, t.site + " · " + t.deviceId), h("span", {}, t.session ?? "no session")),
  );
  void now;
  b.addEventListener("click", () => watch(t.room));
  return b;
}

function alarmItem(a: CentralAlarm, withAck: boolean): HTMLElement {
  const li = h(
    "li",
    { class: "alarm", "data-alarm-key": a.key, "data-alarm-cond": a.cond, "data-room": a.room, "data-prio": a.prio, "data-signal": !a.acked && a.prio !== "L" ? "flash" : "steady" },
    h("span", { class: "al-prio" }, `${PRIO_MARK[a.prio]} ${PRIO_WORD[a.prio]}`),
    h("span", { class: "al-room" }, a.room.split("/")[1] ?? a.room),
    h("span", { class: "al-cond" }, a.cond),
    h("time", { class: "al-time" }, fmtClock(a.raisedAtMs)),
    h("span", { class: "al-text" }, a.text),
    h("span", { class: "al-state" }, (a.active ? "ACTIVE" : "ended") + (a.acked ? " · acknowledged" : "")),
  );
  if (withAck && !a.acked && a.source !== "central") {
    const btn = h("button", { type: "button", class: "al-ack" }, "Acknowledge (room token)");
    btn.addEventListener("click", () => ack(a));
    li.append(btn);
  }
  return li;
}

function renderRoom(d: RoomDetail | null): void {
  setHidden(byId("room-view"), !d);
  setHidden(byId("tiles"), !!d);
  if (!d) return;
  setText(byId("room-title"), `${d.tile.name} (${d.tile.site} · ${d.tile.deviceId})${d.tile.silent ? " — SILENT, values not live" : ""}`);
  byId("room-channels").replaceChildren(
    ...d.channels.map((c) => h("div", { class: "rv-ch", "data-ch": c.ch }, h("div", { class: "muted" }, `${c.label} (${c.role})`), h("b", {}, d.lastRow ? fmtValue(d.lastRow.valuesCc[c.ch] ?? "ND") : "—"))),
  );
  byId("room-doses").replaceChildren(...d.doses.map((x) => h("div", {}, `${d.channels.find((c) => c.ch === x.ch)?.label ?? "ch" + x.ch}: t42 ${(x.t42Pm / 10).toFixed(1)} % · t70 ${(x.t70Pm / 10).toFixed(1)} % · CEM43 ${(x.cem43Pm / 10).toFixed(1)} %`)));
  byId("room-alarms").replaceChildren(...d.alarms.map((a) => alarmItem(a, true)));
  byId("room-events").replaceChildren(...d.events.slice().reverse().map((e) => h("li", {}, `${fmtClock(e.atMs)} ${e.kind}: ${e.text}`)));
}

function render(v: CentralViewMsg): void {
  last = v;
  const now = Date.now();
  setText(byId("clock"), fmtClock(now));
  const bp = byId("broker-pill");
  setText(bp, v.broker.connected ? `broker ${v.broker.name}` : `BROKER DOWN: ${v.broker.error ?? v.broker.name}`);
  setAttr(bp, "data-up", v.broker.connected ? "1" : null);
  byId("tiles").replaceChildren(...v.tiles.map((t) => renderTile(t, now)));
  byId("alarm-list").replaceChildren(...v.alarms.map((a) => alarmItem(a, false)));
  setHidden(byId("no-alarms"), v.alarms.length > 0);
  byId("log-list").replaceChildren(...v.log.slice().reverse().slice(0, 100).map((e) => h("li", { "data-prio": e.prio }, `${fmtClock(e.atMs)} ${e.room.split("/")[1] ?? e.room} ${e.action} ${e.cond}: ${e.text}`)));
  const top = topAlarm(v.alarms);
  const banner = byId("alarm-banner");
  setAttr(banner, "data-prio", top?.prio ?? null);
  setAttr(banner, "data-signal", top ? (!top.acked && top.prio !== "L" ? "flash" : "steady") : null);
  setText(byId("banner-msg"), top ? `${PRIO_MARK[top.prio]} ${PRIO_WORD[top.prio]} · ${top.room.split("/")[1]} · ${top.cond} · ${top.text}${v.alarms.length > 1 ? `  (+${v.alarms.length - 1} more)` : ""}` : "✓ No active alarms in any room");
  renderRoom(v.room);
  setText(byId("audio-pill"), { off: "🔇 sound off: click to enable", blocked: "🔇 sound blocked: click", on: "🔊 sound on", paused: "⏸ sound paused" }[audio.state(now)]);
}

function soundTick(): void {
  // Sound follows the highest unacknowledged priority of any room (IEC 60601-1-8 bursts from the dashboard).
  let prio: "H" | "M" | "L" | null = null;
  for (const a of last?.alarms ?? []) if (!a.acked && (prio === null || RANK[a.prio] > RANK[prio])) prio = a.prio;
  audio.tick(prio, Date.now());
}

function watch(room: string | null): void {
  watching = room;
  const u = new URL(location.href);
  if (room) u.searchParams.set("room", room);
  else u.searchParams.delete("room");
  history.replaceState(null, "", u);
  ws?.send(JSON.stringify({ type: "watch", room: room }));
}

function ack(a: CentralAlarm): void {
  const token = byId<HTMLInputElement>("room-token").value.trim();
  if (!token) {
    setText(byId("ack-msg"), "enter the room's control token to acknowledge from here");
    return;
  }
  ws?.send(JSON.stringify({ type: "ack", id: "c" + ++ackSeq, room: a.room, alarmKey: a.key, token: token }));
  setText(byId("ack-msg"), "sent to the room's bridge…");
}

function connect(): void {
  const s = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
  ws = s;
  s.onopen = () => s.send(JSON.stringify({ type: "watch", room: watching }));
  s.onmessage = (ev) => {
    const m = JSON.parse(String(ev.data)) as CentralServerMessage;
    if (m.type === "view") render(m);
    else setText(byId("ack-msg"), (m.ok ? "acknowledged: " : "not acknowledged: ") + m.message);
  };
  s.onclose = () => {
    ws = null;
    setText(byId("broker-pill"), "CENTRAL STATION NOT CONNECTED");
    setAttr(byId("broker-pill"), "data-up", null);
    setTimeout(connect, 1000);
  };
}

byId("room-back").addEventListener("click", () => watch(null));
byId("audio-pill").addEventListener("click", () => audio.unlock());
byId("pause-audio").addEventListener("click", () => audio.pause(Date.now()));
setInterval(soundTick, 250);
connect();
