// A device runtime in its own process (node --import tsx), so a test can kill it with SIGKILL: no final save, no clean close.
// Usage: device-child.ts <portPath> <statePath> <timeScale>. Prints "ready" once the port is open and the boot lines are out.
import { startNodeDevice } from "../../../device/node/node-device";
import { ScriptedSource } from "../../device/runtime-harness";

/** The nerve probe sits at 43 degC: t42 grows 1 ms per ms, CEM43 1 per minute (0.5^(43-43)). */
export const CHILD_NERVE_C = 43;

const [portPath, statePath, timeScale] = process.argv.slice(2);
const source = new ScriptedSource([() => CHILD_NERVE_C, () => 60]);
await startNodeDevice({
  portPath,
  statePath,
  timeScale: Number(timeScale),
  source,
  channels: [
    { label: "canal", role: "nerve", tc: "SIM", chip: "SIM" },
    { label: "zone", role: "ablation", tc: "SIM", chip: "SIM" },
  ],
  rateHz: 10,
  deviceId: "KILL-1",
  log: (m) => process.stderr.write(m + "\n"),
});
process.stdout.write("ready\n");
