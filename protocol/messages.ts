// The one declaration of every protocol message: type token, direction, fields with units and bounds.
// Encoder, decoder, TypeScript types, zod schemas, schema hash and PROTOCOL.md tables derive from it.
import { MAX_CHANNELS, SEQ_MAX, UINT_MAX } from "./constants";
import { enm, hex, int, temps, text } from "./fields";

/** Channel roles: nerve (all limits and doses apply), ablation-zone probe, reference. */
export const ROLES = ["nerve", "ablation", "reference"] as const;
/** Alarm conditions. Temperature / dose ones are physiological, the rest technical. */
export const CONDITIONS = [
  "WARN", "INTERVENE", "STOP", "PREDICT",
  "DOSE42_50", "DOSE42_100", "DOSE70_50", "DOSE70_100", "CEM43_50", "CEM43_100",
  "FAULT_OPEN", "FAULT_SHORT_GND", "FAULT_SHORT_VCC", "FAULT_NO_CHIP", "FAULT_RANGE", "FAULT_STUCK",
  "SAMPLE_GAP", "STORAGE_FAIL",
] as const;
/** Alarm transitions: raised, changed (e.g. condition ended but latched), cleared, acknowledged by a user. */
export const ALARM_ACTIONS = ["RAISE", "UPDATE", "CLEAR", "ACK"] as const;
/** Settable limits (LIM command); units and safe bounds in protocol/limits.ts. */
export const LIMIT_PARAMS = ["WARN", "INTERVENE", "STOP", "PREDICT", "DOSE42_MIN", "DOSE70_MIN", "CEM43"] as const;
/** NAK reasons. */
export const NAK_REASONS = ["VERSION", "RANGE", "ORDER", "STATE", "NO_ALARM", "GONE", "BUSY", "NO_HELLO"] as const;

const seqField = int("seq", 0, SEQ_MAX, "count");
const tMs = int("tMs", 0, UINT_MAX, "ms");
const ch = int("ch", 0, MAX_CHANNELS - 1, "index");

/** Device -> host messages. */
export const DEVICE_MESSAGES = {
  HI: [
    int("major", 0, 99, "version"), int("minor", 0, 99, "version"), text("fw", 1, 12), text("deviceId", 1, 16),
    hex("bootId"), int("channels", 1, MAX_CHANNELS, "count"), int("rateHz", 1, 20, "Hz"), text("session", 1, 16),
    hex("schema"), int("restored", 0, 1, "flag"), int("readSeq", 0, SEQ_MAX, "count"), int("alarmSeq", 0, SEQ_MAX, "count"),
  ],
  CH: [ch, text("label", 1, 16), enm("role", ROLES), enm("tc", ["K", "T", "SIM"] as const), enm("chip", ["MAX31855", "MAX31856", "SIM"] as const)],
  LM: [
    int("warnCc", 3000, 4500, "cC"), int("interveneCc", 3000, 4500, "cC"), int("stopCc", 3000, 5000, "cC"),
    int("predictS", 0, 600, "s"), int("dose42Min", 1, 60, "min"), int("dose70Min", 1, 5, "min"), int("cem43Limit", 1, 1650, "cCEM43"),
  ],
  R: [tMs, temps("values")],
  D: [
    tMs, ch, int("t42Ms", 0, UINT_MAX, "ms"), int("t42Pm", 0, UINT_MAX, "permille"),
    int("t70Ms", 0, UINT_MAX, "ms"), int("t70Pm", 0, UINT_MAX, "permille"),
    int("cem43M", 0, UINT_MAX, "mCEM43"), int("cem43Pm", 0, UINT_MAX, "permille"),
  ],
  A: [
    tMs, int("alarmId", 1, SEQ_MAX, "id"), enm("action", ALARM_ACTIONS), enm("cond", CONDITIONS), int("ch", -1, MAX_CHANNELS - 1, "index"),
    enm("prio", ["H", "M", "L"] as const), enm("kind", ["P", "T"] as const), int("active", 0, 1, "flag"), int("acked", 0, 1, "flag"),
    int("latching", 0, 1, "flag"), int("value", -UINT_MAX, UINT_MAX, "cond"), int("limit", -UINT_MAX, UINT_MAX, "cond"),
    int("info", -UINT_MAX, UINT_MAX, "cond"),
  ],
  S: [
    tMs, text("session", 1, 16), int("flags", 0, 255, "bits"), int("pauseS", 0, 120, "s"), int("alarms", 0, 255, "count"),
    int("samples", 0, SEQ_MAX, "count"), int("missed", 0, SEQ_MAX, "count"), int("dropped", 0, SEQ_MAX, "count"),
    int("badRx", 0, SEQ_MAX, "count"), int("retx", 0, SEQ_MAX, "count"), int("spikes", 0, SEQ_MAX, "count"),
  ],
  K: [int("cmd", 0, SEQ_MAX, "id"), tMs, int("info", 0, SEQ_MAX, "count")],
  N: [int("cmd", 0, SEQ_MAX, "id"), enm("reason", NAK_REASONS)],
} as const;

/** Host -> device commands; their seq is the command id, echoed in K / N. AK's seq is the alarm line's seq. */
export const HOST_MESSAGES = {
  HELLO: [int("major", 0, 99, "version"), int("minor", 0, 99, "version")],
  TIME: [int("epochMs", 0, UINT_MAX, "ms")],
  ACKAL: [int("alarmId", 0, SEQ_MAX, "id")],
  PAUSE: [int("seconds", 1, 120, "s")],
  LIM: [enm("param", LIMIT_PARAMS), int("value", 0, 100000, "param")],
  START: [text("session", 1, 16)],
  END: [],
  MARK: [text("text", 1, 48)],
  RESEND: [int("from", 0, SEQ_MAX, "count"), int("count", 1, 1000, "count")],
  AK: [],
} as const;

/* @__NO_SIDE_EFFECTS__ */
function merge<A extends object, B extends object>(a: A, b: B): A & B {
  const out: Record<string, unknown> = {};
  for (const k in a) out[k] = (a as Record<string, unknown>)[k];
  for (const k in b) out[k] = (b as Record<string, unknown>)[k];
  return out as A & B;
}

/** Every message, both directions, keyed by its wire type token. */
export const MESSAGES = merge(DEVICE_MESSAGES, HOST_MESSAGES);
/** The sequence field every message has right after its type token. */
export const SEQ_FIELD = seqField;

/** Status flag bits (S.flags). */
export const FLAG_INTERLOCK = 1;
export const FLAG_AUDIO_PAUSED = 2;
export const FLAG_SESSION = 4;
export const FLAG_TIME_SYNCED = 8;
export const FLAG_STORAGE_OK = 16;
export const FLAG_TX_CONGESTED = 32;
