// A test rig: pty pair + fake device + bridge in-process, in a fresh temporary folder (tests run in parallel).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startBridge, type Bridge, type BridgeOptions } from "../../../host/bridge";
import { openPtyPair, type PtyPair } from "../../../sim/pty-pair";
import { FakeDevice, type FakeDeviceOptions } from "./fake-device";
import { TestClient } from "./ws-client";

export interface Rig {
  dir: string;
  pty: PtyPair;
  device: FakeDevice;
  bridge: Bridge;
  clients: TestClient[];
  connect(headers?: Record<string, string>): Promise<TestClient>;
  /** Unplugs: closes the device and kills socat (both pty ends vanish). */
  unplug(): Promise<void>;
  /** Plugs back in at the same paths with a device that keeps its boot (a new FakeDevice is returned). */
  replug(opts?: Partial<FakeDeviceOptions>): Promise<FakeDevice>;
  close(): Promise<void>;
}

export async function startRig(deviceOpts: Partial<FakeDeviceOptions> = {}, bridgeOpts: Partial<BridgeOptions> = {}): Promise<Rig> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tg-host-test-"));
  let pty = await openPtyPair({ dir });
  let device = await FakeDevice.open({ path: pty.devicePath, ...deviceOpts });
  const bridge = await startBridge({ port: pty.hostPath, listen: "127.0.0.1:0", recordDir: path.join(dir, "rec"), token: "test-token-0123456789", reconnectInitialMs: 100, reconnectMaxMs: 400, ...bridgeOpts });
  const rig: Rig = {
    dir,
    pty,
    device,
    bridge,
    clients: [],
    async connect(headers = {}) {
      const c = await TestClient.connect(bridge.wsUrl, headers);
      rig.clients.push(c);
      return c;
    },
    async unplug() {
      await rig.device.close();
      await rig.pty.close();
    },
    async replug(opts = {}) {
      pty = await openPtyPair({ dir });
      rig.pty = pty;
      device = await FakeDevice.open({ path: pty.devicePath, ...deviceOpts, ...opts });
      rig.device = device;
      return device;
    },
    async close() {
      for (const c of rig.clients) c.close();
      await bridge.close();
      await rig.device.close();
      await rig.pty.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return rig;
}
