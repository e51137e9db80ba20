// The confirmation of a session change: what a new procedure zeroes (per probe) or which one an end ends, echoed to the bridge as `confirm`.
import type { Channel, Command, Dose, Limits, SessionConfirm } from "../ws/ws-messages";
import type { Commands } from "./commands";
import type { DashboardState } from "./dashboard-state";
import { byId, h, setHidden, setText } from "./dom";
import { fmtDuration } from "./format";

/** What the dialog shows and what its OK sends. */
export interface SessionChange {
  kind: "start" | "end";
  title: string;
  /** The running session that ends ("" when none runs). */
  ending: string;
  /** Heading of the dose list. */
  zeroHead: string;
  /** One line per nerve probe: what is zeroed (start) or kept (end). */
  lines: string[];
  okLabel: string;
  /** The confirmation echoed to the bridge: the session shown and the doses shown. */
  confirm: SessionConfirm;
}

/** "canal: 31 s at ≥ 42.2 °C of 50 min, 0 s at ≥ 70 °C of 5 min, CEM43 0.51 of 16.5". */
export function doseLine(label: string, d: Dose | undefined, l: Limits | null): string {
  if (!d) return `${label}: no dose received yet`;
  const of = (n: number | undefined, unit: string) => (n === undefined ? "" : ` of ${n} ${unit}`);
  const cem = (d.cem43M / 1000).toFixed(2);
  return `${label}: ${fmtDuration(d.t42Ms)} at ≥ 42.2 °C${of(l?.dose42Min, "min")}, ${fmtDuration(d.t70Ms)} at ≥ 70 °C${of(l?.dose70Min, "min")}, CEM43 ${cem}${l ? " of " + (l.cem43Limit / 100).toFixed(1) : ""}`;
}

/** The confirmation content for starting a new procedure (zeroes every dose) or ending the running one (keeps them). */
export function sessionChange(kind: "start" | "end", session: string | null, channels: Channel[], doses: Map<number, Dose>, limits: Limits | null): SessionChange {
  const nerves = channels.filter((c) => c.role === "nerve");
  const shown = nerves.flatMap((c) => {
    const d = doses.get(c.ch);
    return d ? [{ ch: c.ch, t42Ms: d.t42Ms, t70Ms: d.t70Ms, cem43M: d.cem43M }] : [];
  });
  const lines = nerves.map((c) => doseLine(c.label, doses.get(c.ch), limits));
  if (kind === "end") {
    return {
      kind,
      title: `End procedure ${session ?? ""}`.trim(),
      ending: session ? `Ends procedure ${session}. Its recording and report are closed.` : "No procedure is running.",
      zeroHead: "Doses are kept (until a new procedure starts):",
      lines,
      okLabel: `End ${session ?? ""}`.trim(),
      confirm: { session },
    };
  }
  const any = shown.some((d) => d.t42Ms > 0 || d.t70Ms > 0 || d.cem43M > 0);
  return {
    kind,
    title: "New procedure",
    ending: session ? `Ends procedure ${session} first.` : "",
    zeroHead: any ? "Starting sets these doses to zero on the device (they stay in the recording):" : "Every dose is zero now; nothing is lost:",
    lines,
    okLabel: any ? "Zero these doses and start" : "Start",
    confirm: { session, doses: shown },
  };
}

/** Wires the New… / End… buttons to the dialog; the command goes out only from the dialog's OK. */
export function wireSessionDialog(state: DashboardState, cmds: Commands): void {
  const dlg = byId<HTMLDialogElement>("session-dialog");
  const name = byId<HTMLInputElement>("sd-name");
  const err = byId("sd-error");
  let change: SessionChange | null = null;
  const open = (kind: "start" | "end") => {
    const session = state.status?.session ?? state.device?.session ?? null;
    change = sessionChange(kind, session, state.channels, state.doses, state.limits);
    setText(byId("sd-title"), change.title);
    setText(byId("sd-ending"), change.ending);
    setText(byId("sd-zero-head"), change.zeroHead);
    byId("sd-doses").replaceChildren(...change.lines.map((l) => h("li", {}, l)));
    setText(byId("sd-ok"), change.okLabel);
    setHidden(byId("sd-name-row"), kind === "end");
    setHidden(err, true);
    if (kind === "start" && !name.value) name.value = "";
    // Not modal: the alarms and their buttons stay usable while the dialog is open.
    dlg.show();
    (kind === "start" ? name : byId("sd-cancel")).focus();
  };
  byId("session-new").addEventListener("click", () => open("start"));
  byId("session-end").addEventListener("click", () => open("end"));
  byId("sd-cancel").addEventListener("click", () => dlg.close());
  dlg.addEventListener("keydown", (e) => {
    if (e.key === "Escape") dlg.close();
  });
  byId("sd-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (!change) return;
    let cmd: Command;
    if (change.kind === "start") {
      const n = name.value.trim();
      if (!n) {
        setText(err, "Name the procedure (1–16 characters, e.g. the case number)");
        setHidden(err, false);
        return;
      }
      cmd = { name: "startSession", session: n, confirm: change.confirm };
    } else cmd = { name: "endSession", confirm: change.confirm };
    cmds.run(cmd, change.kind === "start" ? `Start procedure "${(cmd as { session: string }).session}"` : change.title);
    name.value = "";
    dlg.close();
  });
}
