// Starts what the dashboard e2e test drives: the lead's startDemo (sim/demo.ts) when present, else a stand-in rig.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The subset of startDemo's result the test uses (sim/demo.ts). */
export interface DemoHandle {
  url: string;
  token: string;
  /** Unplug: the virtual device and its pty vanish. */
  stopDevice(): Promise<void>;
  /** Plug back in. */
  startDevice(): Promise<void>;
  close(): Promise<void>;
  /** "demo": the real simulator + device runtime; "rig": the host tests' scripted FakeDevice (interim). */
  kind: "demo" | "rig";
  /** Simulated ms per wall ms. */
  timeScale: number;
}

export interface HarnessOptions {
  scenario: string;
  timeScale: number;
  token: string;
  recordDir: string;
  seed?: number;
}

const DEMO = new URL("../../sim/demo.ts", import.meta.url);

export async function startHarness(o: HarnessOptions): Promise<DemoHandle> {
  if (existsSync(fileURLToPath(DEMO)) && process.env.TG_E2E_STANDIN !== "1") {
    // Resolved at run time so this file type-checks before sim/demo.ts exists.
    const mod = (await import(DEMO.href)) as { startDemo(opts: Record<string, unknown>): Promise<Omit<DemoHandle, "kind" | "timeScale">> };
    const d = await mod.startDemo({ scenario: o.scenario, timeScale: o.timeScale, listen: "127.0.0.1:0", token: o.token, recordDir: o.recordDir, seed: o.seed ?? 1 });
    return { url: d.url, token: d.token, stopDevice: () => d.stopDevice(), startDevice: () => d.startDevice(), close: () => d.close(), kind: "demo", timeScale: o.timeScale };
  }
  return startRigStandIn(o);
}

/**
 * Interim stand-in: the real bridge and a real pty with the host tests' FakeDevice, whose canal
 * channel ramps through 42 degC; the INTERVENE alarm is raised by this script on the crossing sample
 * (the real device core does that in the demo). Wall time = device time here (timeScale 1).
 */
async function startRigStandIn(o: HarnessOptions): Promise<DemoHandle> {
  const { startRig } = await import("../host/helpers/rig");
  let t0 = 0;
  let crossing: number | null = null;
  const rig = await startRig(
    {
      labels: ["canal", "foramen-L", "foramen-R", "ablation-zone"],
      temp: (_tMs, ch) => {
        if (!t0) return 3700;
        const s = (Date.now() - t0) / 1000;
        if (ch === 0) {
          const v = Math.min(4300, Math.round(3950 + s * 60));
          if (v >= 4200 && crossing == null) crossing = v;
          return v;
        }
        if (ch === 1) return Math.min(4100, Math.round(3800 + s * 20));
        if (ch === 2) return 3720;
        return Math.min(6800, Math.round(3900 + s * 300));
      },
    },
    { listen: "127.0.0.1:0", token: o.token, recordDir: o.recordDir },
  );
  t0 = Date.now();
  const watch = setInterval(() => {
    if (crossing == null) return;
    rig.device.raise("INTERVENE", 0, crossing, 4200, "H", true);
    clearInterval(watch);
  }, 5);
  return {
    url: rig.bridge.url,
    token: rig.bridge.token,
    stopDevice: () => rig.unplug(),
    startDevice: async () => {
      await rig.replug();
    },
    close: async () => {
      clearInterval(watch);
      await rig.close();
    },
    kind: "rig",
    timeScale: 1,
  };
}
