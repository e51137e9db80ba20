// Audible alarm signal with Web Audio: IEC 60601-1-8 style bursts (high 10 pulses, medium 3), and the audio pause.

/** How long an acknowledge or the pause button silences this display: 120 s, the common disclosed pause (clinical.md). */
export const AUDIO_PAUSE_MS = 120_000;
/** Burst repeat intervals; IEC 60601-1-8 allows 2.5-15 s (high) and 2.5-30 s (medium). */
export const HIGH_REPEAT_MS = 8_000;
export const MEDIUM_REPEAT_MS = 15_000;

/** Pulse onsets in ms within one burst. High: 3 + 2 pulses, twice (10); medium: 3 pulses (IEC 60601-1-8 table 3 rhythm). */
export const HIGH_BURST_MS = [0, 200, 400, 1000, 1200, 2000, 2200, 2400, 3000, 3200];
export const MEDIUM_BURST_MS = [0, 250, 500];
const PULSE_MS = 150;
/** Pitch: high priority higher than medium; a square-ish wave carries the >= 4 harmonics the standard asks for. */
const HIGH_HZ = 880;
const MEDIUM_HZ = 660;

export type AudioStateName = "off" | "blocked" | "on" | "paused";

/** Which sound is due now, given the highest unacknowledged priority; pure, for tests. */
export function dueBurst(prio: "H" | "M" | "L" | null, nowMs: number, lastBurst: { prio: "H" | "M" | "L" | null; atMs: number }): "H" | "M" | null {
  if (prio !== "H" && prio !== "M") return null;
  const repeat = prio === "H" ? HIGH_REPEAT_MS : MEDIUM_REPEAT_MS;
  if (lastBurst.prio !== prio || nowMs - lastBurst.atMs >= repeat) return prio;
  return null;
}

export class AlarmAudio {
  private ctx: AudioContext | null = null;
  private last: { prio: "H" | "M" | "L" | null; atMs: number } = { prio: null, atMs: 0 };
  /** Local ms until which the sound is paused (0: not paused). */
  pausedUntilMs = 0;
  bursts = 0;

  /** Creates / resumes the AudioContext; browsers only allow it after a user gesture. */
  unlock(): void {
    try {
      if (!this.ctx) this.ctx = new AudioContext();
      if (this.ctx.state === "suspended") void this.ctx.resume();
    } catch {
      this.ctx = null;
    }
  }

  state(nowMs: number): AudioStateName {
    if (this.pausedUntilMs > nowMs) return "paused";
    if (!this.ctx) return "off";
    return this.ctx.state === "running" ? "on" : "blocked";
  }

  pauseLeftMs(nowMs: number): number {
    return Math.max(0, this.pausedUntilMs - nowMs);
  }

  pause(nowMs: number, ms = AUDIO_PAUSE_MS): void {
    this.pausedUntilMs = nowMs + ms;
  }

  /** A newly raised alarm ends a pause, so a new condition is never silent. */
  resume(): void {
    this.pausedUntilMs = 0;
    this.last = { prio: null, atMs: 0 };
  }

  /** Called a few times a second with the highest priority that still wants sound. */
  tick(prio: "H" | "M" | "L" | null, nowMs: number): void {
    if (this.pausedUntilMs > nowMs) return;
    const due = dueBurst(prio, nowMs, this.last);
    if (!due) {
      if (prio == null) this.last = { prio: null, atMs: 0 };
      return;
    }
    this.last = { prio: due, atMs: nowMs };
    this.play(due);
  }

  private play(prio: "H" | "M"): void {
    const ctx = this.ctx;
    if (!ctx || ctx.state !== "running") return;
    this.bursts++;
    const t0 = ctx.currentTime + 0.02;
    const hz = prio === "H" ? HIGH_HZ : MEDIUM_HZ;
    for (const at of prio === "H" ? HIGH_BURST_MS : MEDIUM_BURST_MS) {
      const osc = ctx.createOscillator();
      const g = ctx.createGain();
      osc.type = "square";
      osc.frequency.value = hz;
      const s = t0 + at / 1000;
      const e = s + PULSE_MS / 1000;
      // 20 ms rise and fall: no clicks.
      g.gain.setValueAtTime(0, s);
      g.gain.linearRampToValueAtTime(0.15, s + 0.02);
      g.gain.setValueAtTime(0.15, e - 0.02);
      g.gain.linearRampToValueAtTime(0, e);
      osc.connect(g).connect(ctx.destination);
      osc.start(s);
      osc.stop(e + 0.01);
    }
  }
}
