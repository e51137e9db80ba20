// One-line human descriptions of alarms, e.g. "canal: 42.31 degC >= intervene 42.00 degC".
import type { AlarmCondition } from "../domain/domain-schemas";

const degC = (cc: number) => (cc / 100).toFixed(2) + " °C";
const pct = (pm: number) => (pm / 10).toFixed(1) + " %";

/** Describes an alarm; `label` is the channel's label ("" for device-wide alarms). */
export function alarmText(cond: AlarmCondition, label: string, value: number, limit: number, info: number): string {
  const who = label ? label + ": " : "";
  switch (cond) {
    case "WARN":
      return `${who}${degC(value)} ≥ warn ${degC(limit)}`;
    case "INTERVENE":
      return `${who}${degC(value)} ≥ intervene ${degC(limit)}`;
    case "STOP":
      return `${who}${degC(value)} ≥ stop ${degC(limit)} (interlock)`;
    case "PREDICT":
      return `${who}${degC(value)}, ${degC(limit)} predicted in ${(info / 1000).toFixed(0)} s`;
    case "DOSE42_50":
    case "DOSE42_100":
      return `${who}time at ≥ 42.2 °C ${pct(value)} of limit`;
    case "DOSE70_50":
    case "DOSE70_100":
      return `${who}time at ≥ 70 °C ${pct(value)} of limit`;
    case "CEM43_50":
    case "CEM43_100":
      return `${who}CEM43 ${pct(value)} of limit`;
    case "FAULT_OPEN":
      return `${who}thermocouple open (${value} readings)`;
    case "FAULT_SHORT_GND":
      return `${who}thermocouple short to GND (${value} readings)`;
    case "FAULT_SHORT_VCC":
      return `${who}thermocouple short to VCC (${value} readings)`;
    case "FAULT_NO_CHIP":
      return `${who}no thermocouple chip answering (${value} readings)`;
    case "FAULT_RANGE":
      return `${who}reading out of plausible range (${value} readings)`;
    case "FAULT_STUCK": return `${who}reading frozen at ${degC(info)} for ${(value / 1000).toFixed(0)} s while other channels change`;
    case "SAMPLE_GAP":
      return `sampling gap of ${value} ms (${info} samples missed)`;
    case "STORAGE_FAIL":
      return "device storage failing: doses may not survive a reboot";
    case "LINK_LOST":
      return "link to the device lost: values are not live";
    case "STALE":
      return `no readings for ${(value / 1000).toFixed(1)} s: values are stale`;
    case "DOSE_MISMATCH":
      return `${who}device dose differs from the bridge's recomputation (${["", "t42", "t70", "CEM43"][info] ?? "?"} ${(value / 1000).toFixed(1)}x tolerance)`;
    case "DEVICE_REBOOT":
      return "device rebooted (doses restored from storage where possible)";
    case "READINGS_LOST":
      return `${value} readings lost in transmission (not recoverable)`;
    case "SCHEMA_MISMATCH":
      return "device firmware was built from another message table (schema hash differs)";
    case "RECORDING_FAILED":
      return value > 0 ? `recording to disk failing: ${value} records dropped, newer ones held in memory` : "recording to disk failing: records held in memory, retried every second";
    case "ALARM_MISMATCH":
      return `device reports ${value} alarms present, the bridge shows ${limit}: alarm lines may be missing (re-handshaking)`;
    case "MQTT_DOWN":
      return `${who}MQTT broker not reachable: ${value} readings not published, alarms and events held for it`;
  }
}
