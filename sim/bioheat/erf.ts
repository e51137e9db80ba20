// Error function for the source profiles and the analytic test solutions.

/**
 * erf(x) by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7), odd-extended to x < 0.
 */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Math.exp(-ax * ax));
}

/** erfc(x) = 1 - erf(x). */
export function erfc(x: number): number {
  return 1 - erf(x);
}
