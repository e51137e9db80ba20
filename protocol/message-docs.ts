// Human descriptions of every message and field, for PROTOCOL.md and the host. Not bundled into device code.
import type { MessageType } from "./message-types";

/** What each message is, one sentence. */
export const MESSAGE_DOCS: { readonly [T in MessageType]: string } = {
  HI: "Device identity and handshake answer (also sent unsolicited after boot).",
  CH: "One channel's description; one line per channel after HI.",
  LM: "The alarm limits in force.",
  R: "One sample instant, every channel.",
  D: "Cumulative doses of one nerve channel; every second and on alarm transitions.",
  A: "An alarm transition; reliable (acknowledged with AK, retransmitted until then).",
  S: "Status heartbeat from the sampling loop, every second.",
  K: "ACK of a host command.",
  N: "NAK of a host command, with the reason.",
  HELLO: "Host handshake; the device answers HI, CH..., LM, A restatements, K.",
  TIME: "Host wall-clock time for the device's time offset.",
  ACKAL: "Acknowledge an alarm (0 = all); pauses local audio for 120 s.",
  PAUSE: "Pause local audio; the visual alarm signal is never hidden.",
  LIM: "Set one limit within its safe bounds.",
  START: "Start a session; doses reset to zero.",
  END: "End the running session.",
  MARK: "Procedure event (e.g. CO2 injected), recorded with device time.",
  RESEND: "Resend readings from the ring buffer, with their original seq.",
  AK: "Link-level acknowledgement of alarm line seq; not answered.",
};

/** What each field means, keyed "TYPE.field" (or "*.field" for shared meanings). */
export const FIELD_DOCS: Record<string, string> = {
  "*.tMs": "device monotonic time since boot",
  "HI.major": "protocol major version", "HI.minor": "protocol minor version", "HI.fw": "firmware version",
  "HI.deviceId": "device identity (stable across boots)", "HI.bootId": "random per boot", "HI.channels": "channel count",
  "HI.rateHz": "sample rate", "HI.session": "session id, `-` when none", "HI.schema": "CRC-32 of the message table text",
  "HI.restored": "1 when doses were restored from storage at boot", "HI.readSeq": "seq of the next R line", "HI.alarmSeq": "seq of the next A line",
  "CH.ch": "channel index", "CH.label": "where the probe is, e.g. canal, foramen-L", "CH.role": "nerve: limits and doses apply; ablation: ablation-zone probe, shown only; reference",
  "CH.tc": "thermocouple type (SIM = simulated)", "CH.chip": "converter chip",
  "LM.warnCc": "warning limit (medium)", "LM.interveneCc": "intervention limit (high, latching)", "LM.stopCc": "stop limit (high, latching, interlock)",
  "LM.predictS": "horizon of the predicted-crossing alarm", "LM.dose42Min": "limit of time at >= 42.2 degC", "LM.dose70Min": "limit of time at >= 70 degC",
  "LM.cem43Limit": "CEM43 limit (1650 = 16.5 CEM43)",
  "R.values": "per channel: centi-degC, or fault token OC SG SV NC OR SP ND",
  "D.ch": "nerve channel", "D.t42Ms": "time at >= 42.2 degC", "D.t42Pm": "t42 as permille of its limit", "D.t70Ms": "time at >= 70 degC",
  "D.t70Pm": "t70 as permille of its limit", "D.cem43M": "CEM43 (saturates at 1e15)", "D.cem43Pm": "CEM43 as permille of its limit",
  "A.alarmId": "one alarm for its life within a boot", "A.action": "RAISE UPDATE CLEAR ACK", "A.cond": "condition (section 4 table)",
  "A.ch": "channel, -1 for device-wide", "A.prio": "High Medium Low", "A.kind": "Physiological or Technical", "A.active": "condition present",
  "A.acked": "acknowledged by a user", "A.latching": "stays until acknowledged", "A.value": "by condition (section 4)", "A.limit": "by condition (section 4)", "A.info": "by condition (section 4)",
  "S.session": "session id, `-` when none", "S.flags": "1 interlock, 2 audio paused, 4 session, 8 time synced, 16 storage ok, 32 tx congested",
  "S.pauseS": "audio pause left", "S.alarms": "alarms active or latched", "S.samples": "samples taken since boot", "S.missed": "sample instants missed",
  "S.dropped": "frames dropped (tx congestion)", "S.badRx": "bad lines received", "S.retx": "alarm retransmissions", "S.spikes": "spikes rejected",
  "K.cmd": "command id acknowledged", "K.info": "command-specific (section 5)", "N.cmd": "command id refused", "N.reason": "why",
  "HELLO.major": "host protocol major", "HELLO.minor": "host protocol minor", "TIME.epochMs": "host Unix time",
  "ACKAL.alarmId": "alarm to acknowledge, 0 = all", "PAUSE.seconds": "audio pause", "LIM.param": "limit to set", "LIM.value": "in the limit's unit (section 5)",
  "START.session": "session id", "MARK.text": "event text", "RESEND.from": "first reading seq", "RESEND.count": "how many readings",
};
