// Alarms in plain words for the banner and the list: what happened, on which probe, what to do; severity order within a priority.
import type { AlarmView } from "./dashboard-state";
import { PRIO_RANK } from "./dashboard-state";
import { fmtDuration } from "./format";

/** An alarm as the clinician reads it: a title (the probe named once) and the action to take. */
export interface AlarmWords {
  title: string;
  action: string;
}

/**
 * Severity within one priority, highest first: the condition that needs the hand on the generator now
 * leads (STOP, which asserts the interlock; a dose limit reached; INTERVENE), then the prediction and
 * the half-dose warnings, then WARN. Unlisted conditions rank below the listed ones.
 */
const SEVERITY = [
  "STOP", "DOSE70_100", "DOSE42_100", "CEM43_100", "INTERVENE",
  "FAULT_OPEN", "FAULT_SHORT_GND", "FAULT_SHORT_VCC", "FAULT_NO_CHIP", "FAULT_RANGE",
  "LINK_LOST", "DISPLAY_OFFLINE", "BRIDGE_SILENT", "SAMPLE_GAP", "DOSE_MISMATCH",
  "PREDICT", "DOSE70_50", "DOSE42_50", "CEM43_50", "WARN",
  "ALARM_MISMATCH", "STALE", "DATA_STALE", "RECORDING_FAILED", "STORAGE_FAIL", "MQTT_DOWN", "READINGS_LOST", "DEVICE_REBOOT", "SCHEMA_MISMATCH",
];
const RANK = new Map(SEVERITY.map((c, i) => [c, SEVERITY.length - i]));

/** Severity rank of a condition (higher is more severe; 0 for unknown). */
export function severityOf(cond: string): number {
  return RANK.get(cond) ?? 0;
}

/** Display order: priority; then a present condition before an ended (latched) one; severity; unacknowledged; newest. */
export function compareAlarms(a: AlarmView, b: AlarmView): number {
  return (
    PRIO_RANK[b.prio] - PRIO_RANK[a.prio] ||
    Number(b.active) - Number(a.active) ||
    severityOf(b.cond) - severityOf(a.cond) ||
    Number(a.acked) - Number(b.acked) ||
    b.raisedAtMs - a.raisedAtMs
  );
}

const c = (cc: number | undefined) => (cc === undefined ? "?" : (cc / 100).toFixed(1));
/** Cooling the canal, the clinical basis's action above the accepted maximum (MWA series, BMC Musculoskelet Disord 2022). */
const COOL = "cool with CO2 or iced 5 % glucose";
const DOSE_NAME: Record<string, string> = { DOSE42: "time at ≥ 42.2 °C", DOSE70: "time at ≥ 70 °C", CEM43: "thermal dose (CEM43)" };
const FAULT_NAME: Record<string, string> = {
  FAULT_OPEN: "sensor open (probe unplugged or broken)",
  FAULT_SHORT_GND: "sensor shorted to ground",
  FAULT_SHORT_VCC: "sensor shorted to supply",
  FAULT_NO_CHIP: "sensor amplifier not answering",
  FAULT_RANGE: "reading out of range",
  FAULT_STUCK: "reading stuck (no change where the tissue must vary)",
};

/** The plain words of an alarm; `probe` is its channel's label ("" for an alarm not about one probe). */
export function alarmWords(a: Pick<AlarmView, "cond" | "value" | "limit" | "info" | "text">, probe: string): AlarmWords {
  const p = probe || "probe";
  const cond = a.cond;
  if (cond === "STOP") return { title: `STOP — ${p} ${c(a.value)} °C ≥ stop limit ${c(a.limit)} °C; generator interlock asserted`, action: `Energy off now; ${COOL}` };
  if (cond === "INTERVENE") return { title: `${p} ${c(a.value)} °C ≥ intervene limit ${c(a.limit)} °C`, action: `Cool now: CO2 or iced 5 % glucose; shorten the cycle` };
  if (cond === "WARN") return { title: `${p} ${c(a.value)} °C ≥ warn limit ${c(a.limit)} °C`, action: "Watch it; have cooling ready" };
  if (cond === "PREDICT") return { title: `${p} ${c(a.value)} °C, rising: ${c(a.limit)} °C expected in ${fmtDuration(a.info ?? 0)}`, action: `Prepare to ${COOL}; consider pausing energy` };
  const dose = /^(DOSE42|DOSE70|CEM43)_(50|100)$/.exec(cond);
  if (dose) {
    const name = DOSE_NAME[dose[1]!]!;
    return dose[2] === "100"
      ? { title: `${p}: ${name} limit reached`, action: "Stop heating near this nerve; note it in the report" }
      : { title: `${p}: half of the ${name} limit used`, action: "Keep it below 42 °C: cool, shorten cycles" };
  }
  if (cond.startsWith("FAULT_")) return { title: `${p}: ${FAULT_NAME[cond] ?? "sensor fault"}; its temperature is unknown`, action: "Check the probe and its connector" };
  switch (cond) {
    case "SAMPLE_GAP":
      return { title: `The device missed samples (${fmtDuration(a.value ?? 0)} gap)`, action: "Watch the device's own display; check the device" };
    case "STORAGE_FAIL":
      return { title: "The device cannot save doses", action: "A restart would lose the doses: note them" };
    case "LINK_LOST":
      return { title: "No data from the device: link lost", action: "Watch the device's own display and alarm; check the USB cable" };
    case "STALE":
      return { title: "The device sends no readings: values are old", action: "Watch the device's own display" };
    case "DOSE_MISMATCH":
      return { title: `${p}: the bridge's dose check disagrees with the device`, action: "Go by the higher dose; tell engineering" };
    case "DEVICE_REBOOT":
      return { title: "The device restarted", action: "Check its doses were restored" };
    case "READINGS_LOST":
      return { title: "Some readings could not be recovered", action: "Doses stay the device's; the record has a gap" };
    case "SCHEMA_MISMATCH":
      return { title: "The device's firmware does not match this bridge", action: "Values may be misread: update the bridge or firmware" };
    case "RECORDING_FAILED":
      return { title: "Recording is failing (held in memory)", action: "Free disk space: the procedure is not being saved" };
    case "MQTT_DOWN":
      return { title: "The central station link (MQTT) is down", action: "This display and the device keep working; tell engineering" };
    case "ALARM_MISMATCH":
      return { title: "The device's and the bridge's alarms disagree", action: "Go by the device's own display; tell engineering" };
    case "DISPLAY_OFFLINE":
      return { title: a.text || "This display lost the bridge", action: "Watch the device's own display" };
    case "BRIDGE_SILENT":
      return { title: a.text || "The bridge has gone silent", action: "Watch the device's own display" };
    case "DATA_STALE":
      return { title: a.text || "Readings on this display are old", action: "Watch the device's own display" };
  }
  return { title: probe ? `${probe}: ${a.text}` : a.text, action: "" };
}

/** Short word for a probe's chip and the list's tag: "STOP", "INTERVENE", "DOSE LIMIT", "SENSOR FAULT", ... */
export function alarmTag(cond: string): string {
  if (/_100$/.test(cond)) return "DOSE LIMIT";
  if (/_50$/.test(cond)) return "HALF DOSE";
  if (cond.startsWith("FAULT_")) return "SENSOR FAULT";
  if (cond === "DOSE_MISMATCH") return "DOSE CHECK";
  if (cond === "PREDICT") return "RISING";
  if (cond === "LINK_LOST" || cond === "DISPLAY_OFFLINE" || cond === "BRIDGE_SILENT") return "NO DATA";
  if (cond === "STALE" || cond === "DATA_STALE") return "OLD DATA";
  if (cond === "MQTT_DOWN") return "CENTRAL LINK";
  return cond.replace(/_/g, " ");
}
