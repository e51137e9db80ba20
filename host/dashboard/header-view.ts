// The header bar: link state (with this display's own view of it), session, recording, sound, control, clock.
import type { AlarmAudio } from "./alarm-audio";
import type { DashboardState } from "./dashboard-state";
import { byId, setAttr, setHidden, setText } from "./dom";
import { fmtAge, fmtBytes, fmtClock, fmtDuration } from "./format";

export interface HeaderDeps {
  state: DashboardState;
  audio: AlarmAudio;
  wsOpen: boolean;
  /** Local ms of the next reconnect attempt while the socket is closed. */
  nextRetryAtMs: number | null;
  /** Whether a value received at local time `recvMs` is stale now. */
  isStale(recvMs: number | null, nowMs: number): boolean;
}

export function renderHeader(now: number, d: HeaderDeps): void {
  const { state, audio } = d;
  const link = byId("link-pill");
  const newest = state.lastRowMs;
  let text: string;
  let key: string;
  if (!d.wsOpen) {
    key = "offline";
    const retry = d.nextRetryAtMs != null ? ` · retry ${Math.max(0, Math.ceil((d.nextRetryAtMs - now) / 1000))} s` : "";
    text = "✕ NO BRIDGE CONNECTION" + retry;
  } else if (!state.link) {
    key = "waiting";
    text = "… waiting for the bridge";
  } else {
    key = state.link.state;
    const since = fmtAge(now - (state.link.sinceMs - state.bridgeOffsetMs));
    if (key === "up") text = d.isStale(newest, now) ? `⚠ LINK UP · data ${newest == null ? "missing" : fmtAge(now - newest) + " old"}` : "✓ LINK UP";
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
  setText(byId("rec-pill"), rec?.active ? (rec.error ? `⚠ REC FAILING (held in memory)` : `● REC ${fmtBytes(rec.bytes)}`) : "○ not recording");
  setAttr(byId("rec-pill"), "data-on", rec?.active ? "1" : null);
  // The device's energy-stop output (STOP limit): shown while asserted, never only in the details.
  setHidden(byId("interlock-pill"), !state.status?.interlock);
  const a = audio.state(now);
  const ap = byId("audio-pill");
  const devPause = state.status?.audioPaused ? ` · device ${state.status.pauseS} s` : "";
  setText(ap, a === "paused" ? `♪ AUDIO PAUSED ${fmtDuration(audio.pauseLeftMs(now))}${devPause}` : a === "on" ? `♪ Sound on${devPause}` : `♪ Sound off — click to enable${devPause}`);
  setAttr(ap, "data-audio", a);
  setAttr(ap, "aria-label", a === "paused" ? "Audio paused; press to end the pause" : a === "on" ? "Sound on" : "Sound off; press to enable");
  setText(byId("control-pill"), state.control ? "✓ Control" : "View only");
  setAttr(byId("control-pill"), "data-on", state.control ? "1" : null);
  setText(byId("clock"), fmtClock(now));
}
