// The per-sample pass over the channels: stuck detection, the sample filter, doses and the watch bands, in one loop.
import { CONFIRM_TOLERANCE_CC, PLAUSIBLE_MAX_C, PLAUSIBLE_MIN_C, STUCK_MIN_MS, STUCK_OTHERS_RECENT_MS } from "./core-constants";
import type { DoseIntegrator } from "./dose-integrator";
import type { SampleFilter } from "./sample-filter";
import type { StuckDetector } from "./stuck-detector";

/**
 * Takes the raw sample at `nowMs` (`tempC` / `fault` as SampleSource.read writes them) through
 * every channel's state in one pass, the classes holding the state: the stuck detector (all
 * channels, before any filtering), the sample filter (its common case inline: a valid reading
 * within the allowance of the previous accepted one; SampleFilter.one for the rest), and for nerve
 * channels (the integrator's `nerve` list; the others have an empty band) the watch band, then, in
 * one call after the loop, the dose of each nerve channel's confirmed previous reading
 * (DoseIntegrator.addConfirmed).
 * Returns the nerve channels (bit 1 << ch) the monitor must evaluate in full (no valid reading, a
 * reading outside its watch band, a dose at its gate), plus 256 when a stuck flag changed.
 *
 * Stuck readings: a channel is stuck when its raw reading (the exact number, fault 0) has been
 * identical for STUCK_MIN_MS while another channel's valid reading changed after it froze and at
 * most STUCK_OTHERS_RECENT_MS ago (stuck-detector.ts). A channel judged before another that moves
 * in the same sample sees that move one sample later.
 *
 * Cost on Espruino, which pays for every token, lookup, call and declaration: arrays hoisted into
 * locals once per sample, loop variables declared once outside the loop, no call for a channel in
 * the common case. A raw reading identical to the previous one (a converter's
 * 0.25 degC step not crossed) is not converted again: when the previous sample was accepted
 * (filter state 13) its reading is the reference, so the difference is 0; otherwise SampleFilter.one
 * takes the reading from `t` itself.
 */
/** A channel whose raw reading repeated: becomes stuck (returns 256) once STUCK_MIN_MS old while another moved recently after it froze. Out of the loop: rare with real noise, and skipped text costs too on Espruino. */
function stillReading(S: StuckDetector, ch: number, nowMs: number, moved: number): number {
  const since = S.sinceMs[ch];
  if (nowMs - since >= STUCK_MIN_MS && S.stuck[ch] === 0 && moved > since && nowMs - moved <= STUCK_OTHERS_RECENT_MS) {
    S.stuck[ch] = 1;
    return 256;
  }
  return 0;
}

export function stepChannels(nowMs: number, tempC: Float64Array, fault: Uint8Array, F: SampleFilter, S: StuckDetector, D: DoseIntegrator): number {
  let ch = 0;
  let f = 0;
  let t = 0;
  let last = 0;
  let d = 0;
  let l = 0;
  let flags = 0;
  const tol = CONFIRM_TOLERANCE_CC;
  const ntol = -tol;
  F.begin(nowMs);
  const allow = F.stepRecent ? F.stepAllow : -1;
  const nallow = -allow;
  const lastCc = F.lastCc;
  const befCc = F.befCc;
  const fst = F.st;
  const confCode = F.confCode;
  const sT = S.tempC;
  const since = S.sinceMs;
  const stuck = S.stuck;
  let moved = S.movedMs;
  const doseMs = F.confMs;
  const codes = F.code;
  const hi = D.watchHiCc;
  const lo = D.watchLoCc;
  const n = F.channelCount;
  const round = Math.round;
  for (ch = 0; ch < n; ch++) {
    f = fault[ch];
    t = tempC[ch];
    l = sT[ch];
    last = lastCc[ch];
    if (t !== l || f !== 0) {
      if (f !== 0) sT[ch] = NaN;
      else {
        if (l === l) moved = nowMs;
        sT[ch] = t;
      }
      since[ch] = nowMs;
      if (stuck[ch] !== 0) {
        stuck[ch] = 0;
        flags |= 256;
      }
      d = (f === 0 && t >= PLAUSIBLE_MIN_C && t <= PLAUSIBLE_MAX_C ? round(t * 100) : NaN) - last;
    } else {
      flags |= stillReading(S, ch, nowMs, moved);
      d = 0;
    }
    if (fst[ch] === 13 && d <= allow && d >= nallow) {
      confCode[ch] = d > tol ? (last - befCc[ch] < ntol ? 1 : 0) : d < ntol && last - befCc[ch] > tol ? 1 : 0;
      befCc[ch] = last;
      lastCc[ch] = d += last;
    } else {
      F.one(ch, t, f, nowMs);
      d = codes[ch] !== 0 ? Infinity : lastCc[ch];
    }
    if (d >= hi[ch] || d <= lo[ch]) flags |= 1 << ch;
  }
  S.movedMs = moved;
  return flags | D.addConfirmed(doseMs, D.nerve, D.nerveCount, confCode, befCc);
}
