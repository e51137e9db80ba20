// The out-of-the-box demo: a virtual device playing a scenario on a pty, the bridge on that pty, the dashboard.
import { startBridge, type Bridge } from "../host/bridge";
import type { MqttBridgeOptions } from "../host/mqtt/bridge-hook";
import { startVirtualDevice, type VirtualDevice } from "../sim/virtual-device";

/** The scenario `npm start` plays: a canal probe crosses 42 degC at ~134 s and is cooled with CO2 (sim/scenarios/README.md). */
export const DEFAULT_DEMO_SCENARIO = "spinal-mwa-cooled";

export interface DemoOptions {
  /** Scenario name, scenario .json path or CSV trace path. Default spinal-mwa-cooled. */
  scenario?: string;
  /** Simulated seconds per wall second, 1..1000. Default 1. */
  timeScale?: number;
  /** Bridge listen address; "127.0.0.1:0" picks a free port. Default 127.0.0.1:8420. */
  listen?: string;
  /** Control token; generated when absent. */
  token?: string;
  /** Recording folder; null disables recording. Default ./recordings. */
  recordDir?: string | null;
  seed?: number;
  rateHz?: number;
  /** Publish to an MQTT broker (docs/MQTT.md). */
  mqtt?: MqttBridgeOptions;
  /** Session the bridge starts (BridgeOptions.autoSession); default "auto". */
  autoSession?: string | "auto" | null;
  log?: (msg: string) => void;
}

export interface Demo {
  url: string;
  token: string;
  bridge: Bridge;
  device: VirtualDevice;
  /** Unplugs the virtual device: the device runtime stops and its pty vanishes. */
  stopDevice(): Promise<void>;
  /** Plugs it back in: the device reboots on the same path and restores its doses. */
  startDevice(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the virtual device and the bridge on it; resolves once the bridge has completed the
 * handshake. The device's clock waits for the bridge's first HELLO and, above x1, slows down while
 * the bridge is not keeping up, so the recording holds every sample from t = 0 at any speed.
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const device = await startVirtualDevice({
    scenario: options.scenario ?? DEFAULT_DEMO_SCENARIO,
    timeScale: options.timeScale ?? 1,
    seed: options.seed,
    rateHz: options.rateHz,
    holdUntilHost: true,
    paceToHost: true,
    log: options.log,
  });
  let bridge: Bridge;
  try {
    bridge = await startBridge({
      port: device.hostPath,
      listen: options.listen,
      token: options.token,
      recordDir: options.recordDir === undefined ? "recordings" : options.recordDir,
      mqtt: options.mqtt,
      log: options.log,
      // The demo is a procedure from its first reading: the bridge starts its session.
      autoSession: options.autoSession === undefined ? "auto" : options.autoSession,
    });
  } catch (e) {
    await device.close();
    throw e;
  }
  return {
    url: bridge.url,
    token: bridge.token,
    bridge,
    device,
    stopDevice: () => device.stop(),
    startDevice: () => device.start(),
    async close() {
      await bridge.close();
      await device.close();
    },
  };
}
