// What the bridge does with the link's output: into the procedure state, then one output step; notable events logged.
import type { LinkSink } from "./serial/link";
import type { ProcedureState } from "./state/procedure-state";

/**
 * The link's sink: every state change, batch and loss goes into the state and is pumped out as one
 * step. `afterBatch` runs after a batch's step (the periodic work, off the readings' latency path).
 */
export function linkSink(state: ProcedureState, pump: () => void, afterBatch: () => void, log?: (line: string) => void): LinkSink {
  return {
    onState: (s, err, p) => {
      state.applyLinkState(s, err, p);
      log?.(`link ${s}${p ? " (" + p + ")" : ""}${err ? ": " + err.message + " [" + err.code + "]" : ""}`);
      pump();
    },
    onBatch: (items) => {
      for (const it of items) if (it.hello && it.hello !== "same") log?.(`device ${it.msg.type === "HI" ? it.msg.deviceId : "?"}: ${it.hello === "reboot" ? "rebooted" : it.hello === "new-device" ? "another device on the port" : "connected"}`);
      state.applyBatch(items);
      pump();
      afterBatch();
    },
    onLost: (ranges, atMs) => {
      state.applyLost(ranges, atMs);
      pump();
    },
  };
}
