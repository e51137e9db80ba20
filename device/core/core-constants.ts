// Device-core constants: channel roles, timing, filter and alarm tuning, each with its reason.

/** Channel role codes (Uint8Array-friendly). nerve: limits and doses apply. */
export const ROLE_NERVE = 0;
/** Ablation-zone probe: shown and recorded, no nerve alarms (reaches 60-100 degC by design). */
export const ROLE_ABLATION = 1;
/** Reference probe: shown and recorded only. */
export const ROLE_REFERENCE = 2;
/** Role names in code order, as on the wire (CH.role). */
export const ROLE_NAMES = ["nerve", "ablation", "reference"];

/** Default sample rate (10 Hz, configurable 1-20 Hz: the MAX31855 converts in up to 100 ms). */
export const DEFAULT_RATE_HZ = 10;
export const MIN_RATE_HZ = 1;
export const MAX_RATE_HZ = 20;

/** A sample interval longer than this raises SAMPLE_GAP (PROTOCOL.md section 4). */
export const SAMPLE_GAP_LIMIT_MS = 1000;
/**
 * SAMPLE_GAP is an event, not a lasting state: the alarm stays active this long after the last gap
 * so that it is seen (and heard) before it clears by itself.
 */
export const SAMPLE_GAP_HOLD_MS = 10000;

/** Consecutive bad readings before a sensor-fault alarm (a fault is declared after several consecutive bad readings, never on one). */
export const FAULT_DEBOUNCE_COUNT = 3;

/**
 * Plausible temperature range (degC) of any probe. Outside it the reading is FAULT_RANGE (token OR).
 * Cryoablation reaches about -40 degC, HIFU foci 60-100 degC (clinical.md); a thermocouple reading
 * beyond -50..300 degC in or next to tissue is a broken probe or pick-up, not tissue.
 */
export const PLAUSIBLE_MIN_C = -50;
export const PLAUSIBLE_MAX_C = 300;

/**
 * Spike rule (see sample-filter.ts): a sample that differs from the last accepted one by more than
 * SPIKE_JUMP_CC + SPIKE_SLEW_CC_PER_S * elapsed seconds is rejected (at most SPIKE_MAX_RUN times in
 * a row): 1.2 degC per sample at
 * 10 Hz, 3 degC across one second. Tissue next to a nerve heats far slower: the fastest true rise at
 * any nerve probe of the shipped bioheat scenarios (spinal MWA at 40 W, lung MWA, HIFU) is
 * 0.13 degC/s, i.e. 0.013 degC per 100 ms sample, and MAX31855 quantisation + noise move a reading
 * by about 0.5 degC at most. RF / microwave pick-up spikes are 2-20 degC (clinical.md: "spikes and
 * implausible jumps are filtered and counted"). With the earlier 5 degC allowance, 2-5 degC pick-up
 * spikes near 40 degC latched INTERVENE / STOP (and the interlock) in the demo; this allowance
 * rejects them while any physiological crossing still alarms on its own sample. The slew term
 * widens the allowance after a gap so that a real change across a gap is not rejected.
 */
export const SPIKE_JUMP_CC = 100;
export const SPIKE_SLEW_CC_PER_S = 200;

/**
 * Longest run of consecutive samples the spike rule may reject on one channel; the next sample has
 * nothing left to be judged by and is held until the one after it agrees (REFERENCE_MAX_AGE_MS). So
 * a jump beyond the allowance is accepted once it has persisted for SPIKE_MAX_RUN + 2 samples: its
 * alarm comes SPIKE_MAX_RUN + 1 periods late (400 ms at 10 Hz), never more.
 *
 * Why 3 and not 1 (one rejection, the rule until the EMI regression test): pick-up spikes are
 * independent per conversion, so at 2 % per sample (the shipped scenarios) two in a row happen about
 * twice per spinal run, and with a single rejection the second one of a pair was accepted: in 450
 * runs of the three spinal MWA scenarios (150 seeds) 791 spike samples were accepted, 319 of them
 * falsely at or above 42 degC (a latching INTERVENE, or STOP + interlock, e.g. a foramen at 44.0
 * degC read as 45.9). At the second sample a persisting step and a pair of spikes that happen to
 * agree cannot be told apart (accepting on agreement within 0.3 degC still let 15 of them through),
 * so the rule waits: a run of 2 rejections let 6 through (triple bursts), a run of 3 none (a burst
 * of 4 at 2 % is 1.6e-7 per sample). The price is the latency of an implausible jump that is real:
 * 300 ms instead of 100 ms at 10 Hz (400 ms with the held sample after the run). Tissue next to a nerve cannot make such a jump (the fastest
 * true rise is 0.13 degC/s, 0.04 degC in 300 ms), so only a moved probe or a reconnected one can,
 * and for those 0.2 s more at the new temperature is clinically nothing (45 degC for 0.2 s is
 * 0.013 CEM43 against a 16.5 limit); a false latching alarm stops the ablation and erodes trust.
 */
export const SPIKE_MAX_RUN = 3;

/**
 * A reference (the last accepted reading of a channel) older than this is "nothing recent": a reading
 * after a longer fault, "no data" run or sample gap, or the first after boot, is held (SP) until the
 * next sample agrees with it within the spike allowance; only then may it raise an alarm or add dose.
 * Equal to SAMPLE_GAP_LIMIT_MS: within it the allowance is at most 1 + 2 x 1 = 3 degC, about the
 * INTERVENE-to-STOP band; beyond it the slew term would accept most RF / microwave pick-up spikes
 * (2-25 degC) as plausible. The price is 100 ms of latency once after boot or a long fault.
 */
export const REFERENCE_MAX_AGE_MS = 1000;

/**
 * Confirmation (sample-filter.ts): a reading farther than this from both of its neighbours, on the
 * same side (a lone excursion the next sample contradicts), or from its predecessor when no accepted
 * reading follows it, never counts for the dose: its interval is bridged by the neighbours. 0.5 degC
 * is above what noise and quantisation do to one sample (MAX31855: 0.25 degC steps, noise ~0.1 degC
 * 1 sigma, so a lone 3-step excursion on both sides is beyond 4 sigma of the difference) and far
 * above what tissue next to a nerve does in 100 ms (0.013 degC). Within it every reading counts as
 * read, so the host's recomputation from the wire values (each interval at its hotter end) agrees
 * with the device except at such excursions.
 */
export const CONFIRM_TOLERANCE_CC = 50;

/**
 * Stuck reading (stuck-detector.ts): a nerve channel whose reading has not changed at all for this
 * long, while another channel's reading changed within STUCK_OTHERS_RECENT_MS, raises FAULT_STUCK
 * (a frozen converter or a latched SPI bus repeats its last word; live chips move the last digit).
 * From the sensor model (test/device/stuck-study.ts): the longest exactly-constant run of a live
 * channel is 5.2 s for a MAX31855 (0.25 degC steps, noise 0.1 degC) on the calmest trace (flat
 * 37-38 degC on a step centre, synthetic-faults, 1000 seeds = 33 h per channel) and 3.9 s over
 * every shipped scenario (20 seeds); 0.6 s for a MAX31856. Each further second at a step centre
 * is ~10x less likely (0.79 per sample), so 10 s is ~1e-5 of the observed worst run. Clinically:
 * tissue next to a nerve rises at most ~0.13 degC/s, so a frozen reading hides at most ~1.3 degC.
 */
export const STUCK_MIN_MS = 10000;
/** "Other channels change": some other channel's reading changed at most this long ago (so a quiet, noiseless trace on every channel raises nothing). */
export const STUCK_OTHERS_RECENT_MS = 1000;

/**
 * Hysteresis of the non-latching temperature conditions (cC): WARN ends when the temperature falls
 * this far below its limit, so noise around a limit does not flood the link with RAISE/CLEAR pairs.
 * Raising is never delayed: a condition starts on the first sample at or above its limit.
 */
export const TEMP_HYSTERESIS_CC = 20;

/** Acknowledging an alarm pauses local audio this long (clinical.md: 120 s is common). */
export const ACK_AUDIO_PAUSE_MS = 120000;
/** Longest audio pause a PAUSE command may request (PROTOCOL.md section 5). */
export const MAX_AUDIO_PAUSE_S = 120;

/**
 * Trend fit for PREDICT: exponentially weighted least squares with this time constant (the
 * "recent trend" is about the last 2 x 3 s). Shorter reacts faster, longer is less noisy.
 */
export const TREND_TAU_MS = 3000;
/**
 * The trend is fed (and PREDICT evaluated) at most this often, from the sample due at that time.
 * Fitting every sample costs too much on Espruino (it interprets source text) and a 15 s early
 * warning gains nothing from 100 ms resolution; PREDICT may therefore come up to 0.5 s later.
 */
export const TREND_STEP_MS = 500;
/** PREDICT needs at least this much history in the fit before it may raise. */
export const TREND_MIN_SPAN_MS = 2000;
/** Slopes below this (cC per s) are treated as flat: no prediction (0.01 degC/s = 0.6 degC/min). */
export const TREND_MIN_SLOPE_CC_PER_S = 1;
/** PREDICT ends when the predicted time exceeds the horizon by this factor (hysteresis). */
export const PREDICT_CLEAR_FACTOR = 1.5;

/** Doses and latched alarms are saved at most this often (plus on every alarm transition). */
export const SAVE_PERIOD_MS = 5000;

/** Heartbeat (S) and dose (D) line period (PROTOCOL.md section 4: at least once per second). */
export const STATUS_PERIOD_MS = 1000;
/** Unacknowledged alarm lines are retransmitted this often (PROTOCOL.md section 2). */
export const ALARM_RETRANSMIT_MS = 500;
/**
 * Retransmission back-off when the host is silent: after this many retransmission rounds without
 * any valid line from the host, each further round waits twice as long, up to
 * ALARM_RETRANSMIT_MAX_MS; any valid host line (an AK, a command) returns to ALARM_RETRANSMIT_MS.
 * 4 rounds (2 s) cover a listening host that lost lines (the host itself declares the link lost
 * after 2.5 s without a valid line); a host that comes back sends HELLO, which restates every
 * present alarm at once, so the back-off delays nothing a returning host needs. Resending every
 * 500 ms to no host cost a Pico more than sampling itself.
 */
export const ALARM_RETRANSMIT_FULL_ROUNDS = 4;
export const ALARM_RETRANSMIT_MAX_MS = 8000;

/** CEM43 saturates here on the wire (PROTOCOL.md section 4: cem43M saturates at 10^15 mCEM43). */
export const CEM43_M_MAX = 1e15;
