// Buttons and forms: acknowledge all, audio pause, procedure events, session start / end, control token.
import type { AlarmAudio } from "./alarm-audio";
import { saveToken, type Commands } from "./commands";
import type { DashboardState } from "./dashboard-state";
import type { LocalAlarm } from "./local-alarms";
import { byId, setText } from "./dom";
import type { BridgeSocket } from "./ws-client";

/** How long the "End" button waits for its confirming second press. */
export const END_CONFIRM_MS = 5000;

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
  byId("session-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const name = byId<HTMLInputElement>("session-name").value.trim();
    cmds.run({ name: "startSession", session: name }, `Start session "${name}"`);
  });
  wireEndSession(cmds);
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

/** Two-step confirmation instead of confirm(): a native dialog would block this page's alarm handling and sound. */
function wireEndSession(cmds: Commands): void {
  const endBtn = byId<HTMLButtonElement>("session-end");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const disarm = () => {
    clearTimeout(timer);
    delete endBtn.dataset.armed;
    setText(endBtn, "End");
  };
  endBtn.addEventListener("click", () => {
    if (endBtn.dataset.armed === undefined) {
      endBtn.dataset.armed = "1";
      setText(endBtn, "Confirm end?");
      cmds.status(`Press again within ${END_CONFIRM_MS / 1000} s to end the session (doses stay until the next start)`);
      timer = setTimeout(disarm, END_CONFIRM_MS);
      return;
    }
    disarm();
    cmds.run({ name: "endSession" }, "End session");
  });
}
