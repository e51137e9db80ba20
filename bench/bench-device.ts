// The device side of the bridge benchmarks: the real device runtime (startNodeDevice) on a fresh socat pty pair, 8 channels at 10 Hz.
import { startNodeDevice, type NodeDevice } from "../device/node/node-device";
import type { ChannelSpec } from "../device/link/channel-spec";
import type { SampleSource } from "../device/source";
import { openPtyPair, type PtyPair } from "../sim/pty-pair";

/** The benchmarks' device layout: 8 nerve channels (limits and doses on every one), 10 Hz. */
export const BENCH_CHANNELS = 8;
export const BENCH_RATE_HZ = 10;

export interface BenchDevice {
  /** The pty end the relay opens. */
  hostPath: string;
  device: NodeDevice;
  close(): Promise<void>;
}

/** Opens a pty pair and starts the device on its device end with `source` (fixed boot id: same lines every run). */
export async function startBenchDevice(source: SampleSource): Promise<BenchDevice> {
  const pty: PtyPair = await openPtyPair();
  const channels: ChannelSpec[] = [];
  for (let i = 0; i < source.channelCount; i++) channels.push({ label: "nerve" + i, role: "nerve", tc: "SIM", chip: "SIM" });
  let device: NodeDevice;
  try {
    device = await startNodeDevice({ portPath: pty.devicePath, source: source, channels: channels, rateHz: BENCH_RATE_HZ, deviceId: "TG-BENCH", bootId: 0x0bec0001 });
  } catch (e) {
    await pty.close();
    throw e;
  }
  return {
    hostPath: pty.hostPath,
    device: device,
    async close() {
      await device.stop();
      await pty.close();
    },
  };
}
