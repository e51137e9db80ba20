// Parse a `time_s,<channel>,...` CSV trace (recorded or hand-made) and interpolate it in time.
import { CSV_MAX_BYTES, MAX_SIM_DURATION_S, TRACE_MAX_C, TRACE_MIN_C } from "../sim-limits";

/** A parsed trace: one shared time column and one temperature column per channel (NaN = gap). */
export interface CsvTrace {
  /** Channel labels from the header, in column order. */
  readonly labels: readonly string[];
  /** Sample times, s, non-decreasing (a repeated time makes a step). */
  readonly timesS: Float64Array;
  /** Temperatures, degC, one array per label; NaN where the cell was empty or "nan". */
  readonly columns: readonly Float64Array[];
}

/** Stable error codes of the CSV parser. */
export type CsvErrorCode = "CSV_EMPTY" | "CSV_HEADER" | "CSV_COLUMNS" | "CSV_NUMBER" | "CSV_TIME_ORDER" | "CSV_TOO_LONG"
  | "CSV_TOO_LARGE" | "CSV_TIME_RANGE" | "CSV_VALUE_RANGE";

/** A parse error: code, 1-based line number in the text (0 when not tied to a line), message. */
export interface CsvError {
  readonly code: CsvErrorCode;
  readonly line: number;
  readonly message: string;
}

/** Result of {@link parseCsvTrace}. */
export type CsvResult = { readonly success: true; readonly data: CsvTrace } | { readonly success: false; readonly error: CsvError };

/** Default cap on data rows (a 10 Hz recording of 24 h is 864 000 rows). */
export const CSV_MAX_ROWS = 1_000_000;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GAP = /^(|nan|NaN|NAN|-)$/;

/**
 * Parse CSV text. The first line that is neither blank nor a `#` comment is the header; its first
 * field must be `time_s`, the others are unique channel labels. Each data row has the same number
 * of fields: a time in seconds (non-decreasing) and one temperature (degC) per channel; an empty
 * cell, `nan` or `-` is a gap (the channel has no data there). Times lie in 0..MAX_SIM_DURATION_S
 * and temperatures in TRACE_MIN_C..TRACE_MAX_C; the text is at most CSV_MAX_BYTES. Never throws.
 */
export function parseCsvTrace(text: string, maxRows = CSV_MAX_ROWS): CsvResult {
  if (text.length > CSV_MAX_BYTES) return fail("CSV_TOO_LARGE", 0, `CSV is larger than ${CSV_MAX_BYTES} bytes`);
  const lines = text.split(/\r?\n/);
  let header: string[] | null = null;
  let headerLine = 0;
  const times: number[] = [];
  let cols: number[][] = [];
  for (let li = 0; li < lines.length; li++) {
    const lineNo = li + 1;
    const raw = lines[li].trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const fields = raw.split(",").map((f) => f.trim());
    if (header === null) {
      if (fields[0].toLowerCase() !== "time_s") {
        return fail("CSV_HEADER", lineNo, `line ${lineNo}: header must start with "time_s", got "${fields[0]}"`);
      }
      if (fields.length < 2) return fail("CSV_HEADER", lineNo, `line ${lineNo}: header names no channel after time_s`);
      const labels = fields.slice(1);
      const seen = new Set<string>();
      for (const [i, l] of labels.entries()) {
        if (l === "") return fail("CSV_HEADER", lineNo, `line ${lineNo}: channel ${i + 1} has an empty name`);
        if (seen.has(l)) return fail("CSV_HEADER", lineNo, `line ${lineNo}: channel "${l}" appears twice`);
        seen.add(l);
      }
      header = labels;
      headerLine = lineNo;
      cols = labels.map(() => []);
      continue;
    }
    if (fields.length !== header.length + 1) {
      return fail("CSV_COLUMNS", lineNo, `line ${lineNo}: expected ${header.length + 1} fields (time_s + ${header.length} channels), got ${fields.length}`);
    }
    if (!DECIMAL.test(fields[0])) return fail("CSV_NUMBER", lineNo, `line ${lineNo}: time_s "${fields[0]}" is not a number`);
    const t = Number(fields[0]);
    if (!(t >= 0 && t <= MAX_SIM_DURATION_S)) {
      return fail("CSV_TIME_RANGE", lineNo, `line ${lineNo}: time_s ${fields[0]} is outside 0..${MAX_SIM_DURATION_S} s`);
    }
    if (times.length > 0 && t < times[times.length - 1]) {
      return fail("CSV_TIME_ORDER", lineNo, `line ${lineNo}: time_s ${t} is earlier than the previous row (${times[times.length - 1]})`);
    }
    if (times.length >= maxRows) return fail("CSV_TOO_LONG", lineNo, `line ${lineNo}: more than ${maxRows} data rows`);
    for (let c = 0; c < header.length; c++) {
      const cell = fields[c + 1];
      if (GAP.test(cell)) {
        cols[c].push(Number.NaN);
      } else if (DECIMAL.test(cell)) {
        const v = Number(cell);
        if (!(v >= TRACE_MIN_C && v <= TRACE_MAX_C)) {
          return fail("CSV_VALUE_RANGE", lineNo, `line ${lineNo}: channel "${header[c]}" value ${cell} is outside ${TRACE_MIN_C}..${TRACE_MAX_C} degC`);
        }
        cols[c].push(v);
      } else {
        return fail("CSV_NUMBER", lineNo, `line ${lineNo}: channel "${header[c]}" value "${cell}" is not a number`);
      }
    }
    times.push(t);
  }
  if (header === null) return fail("CSV_EMPTY", 0, "CSV has no header line (expected time_s,<channel>,...)");
  if (times.length === 0) return fail("CSV_EMPTY", headerLine, `line ${headerLine}: header but no data rows`);
  return { success: true, data: { labels: header, timesS: Float64Array.from(times), columns: cols.map((c) => Float64Array.from(c)) } };
}

function fail(code: CsvErrorCode, line: number, message: string): CsvResult {
  return { success: false, error: { code, line, message } };
}

/**
 * Value of a piecewise-linear series at tS. At a repeated time the later point wins (a step).
 * Outside [first, last]: the end value when `outside` is "hold", NaN when "gap". NaN neighbours
 * give NaN (a gap spreads to the intervals on both sides of the missing point).
 */
export function interpolateSeries(timesS: Float64Array, values: Float64Array, tS: number, outside: "hold" | "gap"): number {
  const n = timesS.length;
  if (n === 0) return Number.NaN;
  if (tS < timesS[0]) return outside === "hold" ? values[0] : Number.NaN;
  if (tS > timesS[n - 1]) return outside === "hold" ? values[n - 1] : Number.NaN;
  // Last index with time <= tS.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (timesS[mid] <= tS) lo = mid;
    else hi = mid - 1;
  }
  if (timesS[lo] === tS || lo === n - 1) return values[lo];
  const t0 = timesS[lo];
  const t1 = timesS[lo + 1];
  const f = (tS - t0) / (t1 - t0);
  return values[lo] + (values[lo + 1] - values[lo]) * f;
}
