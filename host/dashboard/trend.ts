// Temperature trend (least-squares slope over a recent window) and the predicted time to a limit.

/** Trend window: 30 s smooths thermocouple noise (0.25 degC steps) yet follows a 30-90 s ablation cycle. */
export const TREND_WINDOW_S = 30;
/** Fewest valid points and shortest span for a trend worth showing. */
export const TREND_MIN_POINTS = 5;
export const TREND_MIN_SPAN_S = 5;
/** Below this rise (degC/min) no time-to-limit is predicted: the value is flat within noise. */
export const TREND_RISING_C_PER_MIN = 0.1;

/**
 * Slope in degC per minute of the valid points of `y` whose `x` (seconds) lies in
 * (x[end] - windowS, x[end]], by least squares. Null when there are too few points.
 * Pass the device clock (tMs / 1000): it is the physical sample time, also in a sped-up demo;
 * a backwards step in `x` (a device reboot restarts its clock) ends the window.
 */
export function slopeCPerMin(x: readonly number[], y: readonly (number | null)[], windowS = TREND_WINDOW_S): number | null {
  const n = Math.min(x.length, y.length);
  if (n === 0) return null;
  const xEnd = x[n - 1]!;
  let prevX = xEnd;
  let k = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let xMin = Infinity;
  for (let i = n - 1; i >= 0; i--) {
    const xi = x[i]!;
    if (xi <= xEnd - windowS || xi > prevX) break;
    prevX = xi;
    const yi = y[i];
    if (yi == null) continue;
    const dx = xi - xEnd; // centred near 0 for numerical stability
    k++;
    sx += dx;
    sy += yi;
    sxx += dx * dx;
    sxy += dx * yi;
    xMin = Math.min(xMin, xi);
  }
  if (k < TREND_MIN_POINTS || xEnd - xMin < TREND_MIN_SPAN_S) return null;
  const den = k * sxx - sx * sx;
  if (den <= 0) return null;
  return ((k * sxy - sx * sy) / den) * 60;
}

/** Milliseconds until `tempC` reaches `limitC` at `slopeCPerMin`; null when not rising or already there. */
export function etaToLimitMs(tempC: number, slope: number | null, limitC: number): number | null {
  if (slope == null || slope < TREND_RISING_C_PER_MIN || tempC >= limitC) return null;
  return ((limitC - tempC) / slope) * 60_000;
}

/** Window of the rate-of-rise curve, s: short enough to show one 30-90 s ablation cycle's rise. */
export const RATE_WINDOW_S = 10;

/**
 * Rate of rise in degC per minute at every point of `y`: the change since the first valid point at
 * least `windowS` earlier on `x` (seconds, device clock). Null where `y` is null, where no point is that
 * old yet, or across a backwards step of `x` (a reboot). O(n).
 */
export function rateSeries(x: readonly number[], y: readonly (number | null)[], windowS = RATE_WINDOW_S): (number | null)[] {
  const n = Math.min(x.length, y.length);
  const out: (number | null)[] = new Array(n).fill(null);
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && x[i]! < x[i - 1]!) j = i; // the device clock restarted
    const yi = y[i];
    if (yi == null) continue;
    // The newest valid point at least windowS before x[i].
    while (j + 1 < i && x[j + 1]! <= x[i]! - windowS) j++;
    let k = j;
    while (k < i && y[k] == null) k++;
    const dx = x[i]! - x[k]!;
    if (k >= i || dx < windowS * 0.5) continue;
    out[i] = ((yi - y[k]!) / dx) * 60;
  }
  return out;
}
