// Writes a 24 h, 8-probe, 10 Hz recording with known answers, fast (lines built as text, written in large chunks).
import { closeSync, openSync, writeSync } from "node:fs";

export const DAY_T0 = Date.UTC(2026, 10, 22, 6, 0, 0);
export const DAY_READINGS = 864_000;
export const DAY_CHANNELS = 8;
/** ch0 (canal) is 43.00 degC from 3600.0 s to 3630.0 s with a 46.50 degC sample at 3615.0 s; ch7 has one 44.00 degC sample at 86000.0 s. */
export const HOT_FROM_MS = 3_600_000;
export const HOT_TO_MS = 3_630_000;
export const PEAK_AT_MS = 3_615_000;
export const LATE_PEAK_AT_MS = 86_000_000;
/** Readings 5000..5009 are missing in place and arrive resent 10 s later. */
export const RESENT_FROM = 5000;
export const RESENT_COUNT = 10;
/** Lines that are not records: 3 garbage lines and one over-long line. */
export const UNREADABLE_LINES = 4;

const LABELS = ["canal", "root-L4", "root-L5", "zone-1", "zone-2", "zone-3", "skin", "ref"];

function value(ch: number, tMs: number): number {
  if (ch === 0 && tMs === PEAK_AT_MS) return 4650;
  if (ch === 0 && tMs >= HOT_FROM_MS && tMs <= HOT_TO_MS) return 4300;
  if (ch === 7 && tMs === LATE_PEAK_AT_MS) return 4400;
  return 3600 + ch * 10;
}

const reading = (seq: number, resent = false) => {
  const tMs = seq * 100;
  let v = "";
  for (let ch = 0; ch < DAY_CHANNELS; ch++) v += (ch ? "," : "") + value(ch, tMs);
  return `{"k":"r","atMs":${DAY_T0 + tMs},"seq":${seq},"tMs":${tMs},"v":[${v}]${resent ? ',"resent":true' : ""}}\n`;
};

/** The device's D line for ch0 at tMs, with the totals the readings up to then give (t42 only; CEM43 left to the recomputation). */
const doseLine = (tMs: number, t42Ms: number) => `{"k":"dev","atMs":${DAY_T0 + tMs + 5},"m":{"type":"D","seq":${Math.floor(tMs / 10000)},"tMs":${tMs},"ch":0,"t42Ms":${t42Ms},"t42Pm":${Math.round((t42Ms / 3_000_000) * 1000)},"t70Ms":0,"t70Pm":0,"cem43M":0,"cem43Pm":0}}\n`;

/** Writes the recording to `file`. */
export function writeDayRecording(file: string): void {
  const fd = openSync(file, "w");
  let buf = "";
  const out = (s: string) => {
    buf += s;
    if (buf.length > 4_000_000) {
      writeSync(fd, buf);
      buf = "";
    }
  };
  const channels = LABELS.map((label, ch) => ({ ch, label, role: ch < 3 ? "nerve" : ch === 7 ? "reference" : "ablation", tc: "T", chip: "MAX31855" }));
  out(JSON.stringify({ k: "start", atMs: DAY_T0, format: 1, bridge: "test", device: { deviceId: "TG-DAY", fw: "1.0", bootId: "0000002A", major: 1, minor: 0, channels: 8, rateHz: 10, session: "day", schemaHash: "00000000", schemaMatches: true, restored: false, port: null }, channels, limits: { warnCc: 4000, interveneCc: 4200, stopCc: 4500, predictS: 15, dose42Min: 50, dose70Min: 5, cem43Limit: 1650 }, alarms: [], doses: [] }) + "\n");
  out(JSON.stringify({ k: "case", atMs: DAY_T0, fields: { caseId: "P-0042", procedure: "facet RF", modality: "RF", operator: "Dr A", placements: [{ ch: 0, placement: "spinal canal L4" }] }, by: "desk" }) + "\n");
  out("not json at all\n{\"k\":\n" + '{"no":"kind"}\n' + '{"k":"event","atMs":1,"x":"' + "y".repeat(300_000) + '"}\n');
  let t42 = 0;
  const alarm = { key: "dev:0000002A:1", source: "device", alarmId: 1, cond: "INTERVENE", ch: 0, prio: "H", kind: "P", active: true, acked: false, latching: true, value: 4300, limit: 4200, info: 0, raisedAtMs: DAY_T0 + HOT_FROM_MS, changedAtMs: DAY_T0 + HOT_FROM_MS, tMs: HOT_FROM_MS, text: "canal: 43.00 °C ≥ intervene 42.00 °C" };
  for (let seq = 0; seq < DAY_READINGS; seq++) {
    const tMs = seq * 100;
    if (seq < RESENT_FROM || seq >= RESENT_FROM + RESENT_COUNT) out(reading(seq));
    if (seq === RESENT_FROM + RESENT_COUNT + 100) for (let s = RESENT_FROM; s < RESENT_FROM + RESENT_COUNT; s++) out(reading(s, true));
    if (seq > 0 && Math.max(value(0, tMs - 100), value(0, tMs)) >= 4220) t42 += 100;
    if (tMs % 10_000 === 0) out(doseLine(tMs, t42));
    if (tMs === HOT_FROM_MS) out(JSON.stringify({ k: "alarm", atMs: DAY_T0 + tMs, action: "RAISE", alarm }) + "\n");
    if (tMs === HOT_FROM_MS + 10_000) {
      out(JSON.stringify({ k: "cmd", atMs: DAY_T0 + tMs - 50, id: 7, command: { name: "ack", alarmKey: alarm.key }, outcome: "ACK", reason: null, info: 1, by: "nurse-station" }) + "\n");
      out(JSON.stringify({ k: "alarm", atMs: DAY_T0 + tMs, action: "ACK", alarm: { ...alarm, acked: true } }) + "\n");
    }
    if (tMs === PEAK_AT_MS) out(JSON.stringify({ k: "alarm", atMs: DAY_T0 + tMs, action: "UPDATE", alarm: { ...alarm, acked: true, value: 4650, text: "canal: 46.50 °C ≥ intervene 42.00 °C" } }) + "\n");
    if (tMs === HOT_TO_MS + 70_000) out(JSON.stringify({ k: "alarm", atMs: DAY_T0 + tMs, action: "CLEAR", alarm: { ...alarm, active: false, acked: true } }) + "\n");
  }
  out(doseLine((DAY_READINGS - 1) * 100, t42));
  out(JSON.stringify({ k: "end", atMs: DAY_T0 + DAY_READINGS * 100, reason: "bridge stopped" }) + "\n");
  writeSync(fd, buf);
  closeSync(fd);
}
