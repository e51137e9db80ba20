// The x window shared by all charts: follow the newest data over a span (the toolbar), or a fixed zoom.
import { byId, setAttr, setText } from "./dom";
import type { HistoryBuffer } from "./history-buffer";

/** Default window: the last 10 minutes. */
export const DEFAULT_SPAN_S = 600;

export class ChartWindow {
  follow = true;
  /** Seconds shown while following; 0 = everything held. */
  spanS = DEFAULT_SPAN_S;
  minS = 0;
  maxS = 0;

  constructor(private readonly onChange: () => void) {}

  /**
   * [min, max] in seconds for `now` (local ms). While following, the right edge keeps moving when
   * no data arrives (by the local time since the newest row), so a dead feed shows as a growing gap.
   */
  range(h: HistoryBuffer, lastRowMs: number | null, nowMs: number): [number, number] {
    if (!this.follow) return [this.minS, this.maxS];
    const n = h.length;
    const lastX = n ? h.x[n - 1]! : nowMs / 1000;
    const end = lastX + (n && lastRowMs != null ? Math.max(0, nowMs - lastRowMs) / 1000 : 0);
    const start = this.spanS > 0 ? end - this.spanS : n ? h.x[0]! : end - DEFAULT_SPAN_S;
    return [start, Math.max(end, start + 1)];
  }

  setFollow(spanS = this.spanS): void {
    this.follow = true;
    this.spanS = spanS;
    this.changed();
  }

  zoom(minS: number, maxS: number): void {
    this.follow = false;
    this.minS = minS;
    this.maxS = maxS;
    this.changed();
  }

  /** Hooks up the toolbar buttons (data-span, #follow). */
  wireToolbar(): void {
    for (const b of document.querySelectorAll<HTMLButtonElement>(".toolbar button[data-span]")) b.addEventListener("click", () => this.setFollow(Number(b.dataset.span)));
    byId("follow").addEventListener("click", () => this.setFollow());
    this.syncToolbar();
  }

  private changed(): void {
    this.syncToolbar();
    this.onChange();
  }

  private syncToolbar(): void {
    for (const b of document.querySelectorAll<HTMLButtonElement>(".toolbar button[data-span]")) {
      setAttr(b, "aria-pressed", this.follow && Number(b.dataset.span) === this.spanS ? "true" : "false");
    }
    const f = byId("follow");
    setAttr(f, "aria-pressed", this.follow ? "true" : "false");
    setText(f, this.follow ? "● Live" : "▶ Back to live");
  }
}
