// Alarm conditions as small integers, with priority, kind and latching per PROTOCOL.md section 4.
import { CONDITIONS } from "../../protocol/messages";

/* Condition indices, in the order of CONDITIONS in protocol/messages.ts (a test checks it). */
export const C_WARN = 0;
export const C_INTERVENE = 1;
export const C_STOP = 2;
export const C_PREDICT = 3;
export const C_DOSE42_50 = 4;
export const C_DOSE42_100 = 5;
export const C_DOSE70_50 = 6;
export const C_DOSE70_100 = 7;
export const C_CEM43_50 = 8;
export const C_CEM43_100 = 9;
export const C_FAULT_OPEN = 10;
export const C_FAULT_SHORT_GND = 11;
export const C_FAULT_SHORT_VCC = 12;
export const C_FAULT_NO_CHIP = 13;
export const C_FAULT_RANGE = 14;
/** A nerve channel's reading frozen while others change (stuck-detector.ts). */
export const C_FAULT_STUCK = 15;
export const C_SAMPLE_GAP = 16;
export const C_STORAGE_FAIL = 17;
/** Conditions that exist once per channel (all but SAMPLE_GAP and STORAGE_FAIL). */
export const CHANNEL_CONDITIONS = 16;
export const CONDITION_COUNT = 18;

/** Wire names, index = condition (the protocol's own list; a test checks the indices above against it). */
export const CONDITION_NAMES: readonly string[] = CONDITIONS;

/**
 * Priority per condition, one character each (PROTOCOL.md section 4 table, IEC 60601-1-8):
 * temperature WARN M, INTERVENE H, STOP H, PREDICT M, dose 50 % M, dose 100 % H, sensor faults H
 * (FAULT_STUCK too: the nerve is as unmonitored as with an open probe), SAMPLE_GAP H, STORAGE_FAIL M.
 */
export const COND_PRIO = "MHHMMHMHMHHHHHHHHM";
/** P physiological (temperature, dose: conditions before C_FAULT_OPEN), T technical (sensor, sampling, storage). */
export function condKind(cond: number): string {
  return cond < C_FAULT_OPEN ? "P" : "T";
}
/** "1" = latching (stays after the condition ends until acknowledged): INTERVENE, STOP, dose 100 %. */
export const COND_LATCH = "011001010100000000";

/** Sensor-fault condition for a FAULT_OPEN..FAULT_RANGE code of device/source.ts (1..5). */
export function faultCondition(faultCode: number): number {
  return C_FAULT_OPEN + faultCode - 1;
}
