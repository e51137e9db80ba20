// Persistence model: the small state that must survive a reboot (session, doses, limits, latched alarms).

/**
 * Where the snapshot lives: Espruino Storage, a file on Node, memory in tests. `read` returns the
 * last text written (or null / undefined when there is none); `write` replaces it and throws (or
 * returns false) on failure. Both are called rarely (seconds apart), never per sample.
 */
export interface Store {
  read(): string | null | undefined;
  write(text: string): boolean | void;
}

/** Snapshot format version. */
export const SNAPSHOT_VERSION = 1;

/** The persisted state, as JSON. Arrays of numbers keep it small and cheap to parse on Espruino. */
export interface Snapshot {
  /** Format version (SNAPSHOT_VERSION). */
  v: number;
  /** Channel count the doses belong to (a snapshot of another configuration is ignored). */
  n: number;
  /** Session id, "-" when none. */
  s: string;
  /** Per channel: t42Ms, t70Ms, CEM43 in mCEM43 rounded up (conservative), so 3 x n numbers. */
  d: number[];
  /** Limits in LM order: warnCc, interveneCc, stopCc, predictS, dose42Min, dose70Min, cem43Limit. */
  l: number[];
  /** Latched, unacknowledged alarms: cond, ch, value, limit per alarm (4 numbers each). */
  a: number[];
}

function numbers(x: unknown, len: number): x is number[] {
  if (!Array.isArray(x) || (len >= 0 && x.length !== len)) return false;
  for (let i = 0; i < x.length; i++) if (typeof x[i] !== "number" || !(x[i] === x[i])) return false;
  return true;
}

/** Parses stored text; null when absent, corrupt or of another version / channel count. Never throws. */
export function parseSnapshot(text: string | null | undefined, channels: number): Snapshot | null {
  if (typeof text !== "string" || text.length === 0) return null;
  let o: Snapshot;
  try {
    o = JSON.parse(text) as Snapshot;
  } catch (e) {
    return null;
  }
  if (!o || typeof o !== "object" || o.v !== SNAPSHOT_VERSION || o.n !== channels) return null;
  if (typeof o.s !== "string" || o.s.length < 1 || o.s.length > 16) return null;
  if (!numbers(o.d, 3 * channels) || !numbers(o.l, 7) || !numbers(o.a, -1) || o.a.length % 4 !== 0) return null;
  return o;
}
