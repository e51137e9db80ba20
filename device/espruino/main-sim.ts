// Espruino demo entry for a bare board: the synthetic source instead of probes (4 channels, or TG_SIM_CHANNELS if defined).
import type { ChannelSpec } from "../link/channel-spec";
import { SyntheticSource } from "../synthetic/synthetic-source";
import { BOARD } from "./board-config";
import type { Pin } from "./espruino-api";
import { runOnEspruino } from "./espruino-shell";

declare const global: { [name: string]: unknown };
declare const TG_SIM_CHANNELS: number | undefined;

const ROLES = ["nerve", "nerve", "ablation", "reference", "nerve", "nerve", "nerve", "nerve"];
const n = typeof TG_SIM_CHANNELS === "number" && TG_SIM_CHANNELS >= 1 && TG_SIM_CHANNELS <= 8 ? TG_SIM_CHANNELS : 4;
const channels: ChannelSpec[] = [];
const roles: string[] = [];
for (let i = 0; i < n; i++) {
  roles.push(ROLES[i]);
  channels.push({ label: "sim" + i, role: ROLES[i] as "nerve", tc: "SIM", chip: "SIM" });
}
runOnEspruino({
  source: new SyntheticSource(roles), channels: channels, deviceId: "TG-SIM-01", rateHz: BOARD.rateHz,
  pin: function (name: string): Pin | undefined {
    return global[name];
  },
});
