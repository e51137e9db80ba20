// Bounds on what one simulation run may ask for: its length, a trace's size and its temperatures.
import { MAX31856_TC_RANGE_C } from "./chip-words";

/** Longest scenario, trace or headless run, s: 24 h, the longest session the host is sized for. */
export const MAX_SIM_DURATION_S = 86_400;

/** Largest CSV trace file, bytes (24 h at 10 Hz on 8 channels is about 50 MB of text). */
export const CSV_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Lowest and highest temperature a trace may hold, degC: the widest thermocouple range the
 * front-end chips decode (MAX31856 datasheet, type T low end and type K high end). Anything
 * outside is no reading a probe can give, so the trace is refused rather than clipped.
 */
export const TRACE_MIN_C = Math.min(MAX31856_TC_RANGE_C.T[0], MAX31856_TC_RANGE_C.K[0]);
/** See {@link TRACE_MIN_C}. */
export const TRACE_MAX_C = Math.max(MAX31856_TC_RANGE_C.T[1], MAX31856_TC_RANGE_C.K[1]);
