// Alarm area (IEC 60601-1-8 conventions): the flashing banner, the list with acknowledge buttons, the log.
import type { Channel } from "../ws/ws-messages";
import type { AlarmView, LogEntry } from "./dashboard-state";
import { alarmWords, compareAlarms } from "./alarm-words";
import { PRIO_MARK, PRIO_WORD } from "./channel-view";
import { h, setAttr, setHidden, setText } from "./dom";
import { fmtClock, fmtDeviceMs } from "./format";

/**
 * How an alarm is signalled: "flash" while it needs attention (unacknowledged and active, or latched
 * after its condition ended), "steady" once acknowledged while the condition lasts (the visual signal
 * is never hidden), low priority is always steady.
 */
export function signalOf(a: AlarmView): "flash" | "steady" {
  return !a.acked && a.prio !== "L" ? "flash" : "steady";
}

/** Display order (compareAlarms): priority, present before ended, severity (STOP first), unacknowledged, newest. */
export function sortAlarms(list: AlarmView[]): AlarmView[] {
  return list.slice().sort(compareAlarms);
}

function stateWord(a: AlarmView): string {
  if (a.active) return a.acked ? "present · acknowledged" : "present";
  return a.acked ? "ended · acknowledged" : "ENDED · latched until acknowledged";
}

/** The banner's sentence: the most severe alarm in words, its probe once, what to do, and how many more. */
export function bannerText(alarms: AlarmView[], channels: Channel[]): string {
  const top = alarms[0];
  if (!top) return "✓ No active alarms";
  const w = alarmWords(top, chLabel(channels, top.ch));
  const when = top.active ? "" : ` (ended ${fmtClock(top.changedAtMs)}, latched)`;
  const more = alarms.length > 1 ? ` +${alarms.length - 1} more alarm${alarms.length > 2 ? "s" : ""}` : "";
  return `${PRIO_MARK[top.prio]} ${w.title}${when}.${w.action ? " " + w.action + "." : ""}${more}`;
}

function chLabel(channels: Channel[], ch: number): string {
  return ch >= 0 ? (channels[ch]?.label ?? `ch ${ch}`) : "";
}

export class AlarmBanner {
  constructor(
    private readonly root: HTMLElement,
    private readonly msg: HTMLElement,
  ) {}

  update(alarms: AlarmView[], channels: Channel[]): void {
    const top = alarms[0];
    if (!top) {
      setAttr(this.root, "data-prio", null);
      setAttr(this.root, "data-signal", null);
      setAttr(this.root, "data-cond", null);
      setText(this.msg, bannerText(alarms, channels));
      return;
    }
    setAttr(this.root, "data-prio", top.prio);
    setAttr(this.root, "data-signal", signalOf(top));
    setAttr(this.root, "data-cond", top.cond);
    setText(this.msg, bannerText(alarms, channels));
  }
}

export class AlarmList {
  private items = new Map<string, { li: HTMLElement; title: HTMLElement; text: HTMLElement; state: HTMLElement; ack: HTMLButtonElement | null }>();
  /** Local ms when each alarm's element first entered the DOM (for the test hook). */
  readonly shownAtMs = new Map<string, number>();

  constructor(
    private readonly ul: HTMLElement,
    private readonly empty: HTMLElement,
    private readonly onAck: (key: string) => void,
  ) {}

  update(alarms: AlarmView[], channels: Channel[], nowMs: number): void {
    const keep = new Set(alarms.map((a) => a.key));
    for (const [k, it] of this.items) {
      if (!keep.has(k)) {
        it.li.remove();
        this.items.delete(k);
        this.shownAtMs.delete(k);
      }
    }
    let prev: Element | null = null;
    for (const a of alarms) {
      let it = this.items.get(a.key);
      if (!it) {
        const text = h("span", { class: "al-text" });
        const state = h("span", { class: "al-state" });
        const title = h("span", { class: "al-cond" });
        const ack = a.source === "display" ? null : h("button", { type: "button", class: "al-ack needs-control", title: "Acknowledge this alarm; silences its sound for 120 s (the visual signal stays while the condition lasts)" }, "Acknowledge · silence 120 s");
        ack?.addEventListener("click", () => this.onAck(a.key));
        const li = h(
          "li",
          { class: "alarm", "data-alarm-key": a.key, "data-alarm-cond": a.cond, "data-prio": a.prio },
          h("span", { class: "al-prio" }, `${PRIO_MARK[a.prio]} ${PRIO_WORD[a.prio]}`),
          title,
          h("time", { class: "al-time", datetime: new Date(a.raisedAtMs).toISOString(), title: a.tMs != null && a.raisedAtMs === a.changedAtMs ? "device time " + fmtDeviceMs(a.tMs) : null }, fmtClock(a.raisedAtMs)),
          text,
          state,
          ack,
        );
        it = { li, title, text, state, ack };
        this.items.set(a.key, it);
        this.shownAtMs.set(a.key, nowMs);
      }
      const w = alarmWords(a, chLabel(channels, a.ch));
      setText(it.title, w.title);
      setText(it.text, w.action);
      setText(it.state, `${stateWord(a)} · ${a.source === "display" ? "this display" : a.source}`);
      setAttr(it.li, "data-signal", signalOf(a));
      setAttr(it.li, "data-acked", a.acked ? "1" : null);
      setAttr(it.li, "data-active", a.active ? "1" : null);
      if (it.ack) setHidden(it.ack, a.acked);
      // Keep DOM order = display order, moving only what is out of place (keeps focus on buttons).
      const want: Element | null = prev ? prev.nextElementSibling : this.ul.firstElementChild;
      if (want !== it.li) this.ul.insertBefore(it.li, want);
      prev = it.li;
    }
    setHidden(this.empty, alarms.length > 0);
  }
}

export class LogView {
  private shown = 0;
  private firstAt = -1;
  constructor(private readonly ol: HTMLElement) {}

  /** Newest first; rebuilt only when the log grew or was trimmed. */
  update(log: LogEntry[]): void {
    if (log.length === this.shown && (log[0]?.atMs ?? -1) === this.firstAt) return;
    this.shown = log.length;
    this.firstAt = log[0]?.atMs ?? -1;
    const sorted = log.slice().sort((a, b) => b.atMs - a.atMs).slice(0, 200);
    const frag = document.createDocumentFragment();
    for (const e of sorted) {
      // Device alarms also carry the device's own time of the transition (its clock since boot, as in the recording).
      const dev = e.tMs != null ? h("span", { class: "log-tms", title: "device time (since its boot)" }, "dev " + fmtDeviceMs(e.tMs)) : null;
      frag.append(
        h("li", { class: "log-" + e.kind, "data-prio": e.prio }, h("time", { datetime: new Date(e.atMs).toISOString() }, fmtClock(e.atMs)), " ", dev, dev ? " " : "", e.prio ? PRIO_MARK[e.prio] + " " : "", e.text),
      );
    }
    this.ol.replaceChildren(frag);
  }
}
