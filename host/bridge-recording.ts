// The recorder as one consumer of the bridge's output: its file per session, its start record, RECORDING_FAILED, resume after a restart.
import path from "node:path";
import { hex8 } from "../protocol";
import type { BridgeOutputs } from "./core/bridge-output";
import { RECORD_FORMAT, type StartRecord } from "./record/record-types";
import { Recorder } from "./record/recorder";
import { findResumePoint } from "./record/resume-point";
import type { ResumePoint } from "./core/link-core";
import type { ProcedureState } from "./state/procedure-state";
import { REPORT_PATH } from "./ws/report-route";

/**
 * Creates the recorder for `dir` and adds it to `outputs`; `pump` sends what its health changes raise.
 * Returns the recorder, and (resumeRecording) where an earlier recording of the same boot stopped.
 */
export async function attachRecording(
  dir: string,
  state: ProcedureState,
  outputs: BridgeOutputs,
  pump: () => void,
  opts: { bridgeVersion: string; resume: boolean; log?: (line: string) => void },
): Promise<{ recorder: Recorder; resume: ResumePoint | null }> {
  const makeStart = (): StartRecord => ({
    k: "start",
    atMs: Date.now(),
    format: RECORD_FORMAT,
    bridge: opts.bridgeVersion,
    device: state.device,
    channels: state.channels.filter(Boolean),
    limits: state.limits,
    alarms: state.alarms.list(),
    doses: [...state.doses.values()],
  });
  const rec = new Recorder(dir, makeStart);
  state.recording = rec.status;
  state.reportUrl = REPORT_PATH;
  outputs.add({
    onOutput: (o) => {
      // A new session (START / END, or seen in HI / S) starts a new recording file.
      if (o.device) rec.sync(o.atMs, o.device.deviceId, o.device.session);
      for (const r of o.records) rec.write(r);
    },
    close: () => rec.close(),
  });
  // A failing disk is an alarm, never a silent hole in the record (the records wait in memory meanwhile).
  rec.onHealth = (error) => {
    if (error) state.alarms.raiseHost("RECORDING_FAILED", -1, "", rec.status.droppedRecords, 0, 0, Date.now());
    else state.alarms.endHost("RECORDING_FAILED", -1, Date.now());
    opts.log?.(error ? `recording failing: ${error}` : "recording works again");
    pump();
  };
  if (!opts.resume) return { recorder: rec, resume: null };
  const r = await findResumePoint(rec.dir);
  if (!r) return { recorder: rec, resume: null };
  rec.appendTo = { file: r.file, deviceId: r.deviceId, session: r.session };
  opts.log?.(`recording ${path.basename(r.file)}: continued if device ${r.deviceId} (boot ${hex8(r.bootId)}, session ${r.session ?? "-"}) answers, readings from seq ${r.nextSeq} fetched by RESEND`);
  return { recorder: rec, resume: { deviceId: r.deviceId, bootId: r.bootId, session: r.session, nextSeq: r.nextSeq } };
}
