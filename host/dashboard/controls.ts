// Buttons and forms: acknowledge all, audio pause, procedure events, session start / end, control token.
import type { AlarmAudio } from "./alarm-audio";
import { saveToken, type Commands } from "./commands";
import type { DashboardState } from "./dashboard-state";
import type { LocalAlarm } from "./local-alarms";
import { byId } from "./dom";
import { wireSessionDialog } from "./session-dialog";
import type { BridgeSocket } from "./ws-client";

export interface ControlDeps {
  cmds: Commands;
  sock: BridgeSocket;
  audio: AlarmAudio;
  state: DashboardState;
  localAlarms: Map<string, LocalAlarm>;
  schedule(): void;
}

export function wireControls(d: ControlDeps): void {
  const { cmds, sock, audio, state } = d;
  byId("ack-all").addEventListener("click", () => {
    // This display's own alarms are acknowledged here; the bridge's need the token.
    for (const a of d.localAlarms.values()) a.acked = true;
    cmds.run({ name: "ack", alarmKey: "*" }, "Acknowledge all");
    d.schedule();
  });
  byId("pause-audio").addEventListener("click", () => {
    audio.unlock();
    audio.pause(Date.now());
    if (cmds.token || state.control) cmds.run({ name: "pause", seconds: 120 }, "Pause device audio 120 s");
    else cmds.status("♪ Audio paused on this display for 120 s (the device's own audio needs the control token)");
    d.schedule();
  });
  byId("audio-pill").addEventListener("click", () => {
    audio.unlock();
    if (audio.state(Date.now()) === "paused") audio.resume();
    d.schedule();
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
  wireSessionDialog(state, cmds);
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
    // Control belongs to the connection: reconnect without hello to drop it.
    sock.reconnectNow();
    cmds.status("token forgotten: view only");
  });
  // Browsers allow sound only after a user gesture: any click or key enables it.
  for (const ev of ["pointerdown", "keydown"]) document.addEventListener(ev, () => audio.unlock(), { capture: true });
  audio.unlock();
}

/**
 * View only (no control token accepted): every control that needs one looks disabled (aria-disabled, greyed)
 * but stays focusable and answers a press with why it is refused.
 */
export function showControl(control: boolean): void {
  document.body.toggleAttribute("data-view-only", !control);
  for (const el of document.querySelectorAll<HTMLElement>(".needs-control")) {
    if (control) el.removeAttribute("aria-disabled");
    else el.setAttribute("aria-disabled", "true");
    el.title = control ? el.title.replace(/ \(view only: needs the control token\)$/, "") : el.title.endsWith("(view only: needs the control token)") ? el.title : (el.title ? el.title + " " : "") + "(view only: needs the control token)";
  }
}
