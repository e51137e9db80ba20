// The bridge and the bare relay side by side: each on its own pty with its own identical device, run at the same time so machine noise hits both alike.
import type { SampleSource } from "../device/source";
import { encode } from "../protocol";
import { BenchClient, type RelayKind } from "./bench-client";
import { startBenchDevice, type BenchDevice } from "./bench-device";
import { freePort, startRelay, type RelayProc } from "./relay-proc";

/** One side of the pair: its source (timestamps), device, relay child and clients. */
export interface Side<S extends SampleSource> {
  kind: RelayKind;
  src: S;
  dev: BenchDevice;
  relay: RelayProc;
  clients: BenchClient[];
}

export interface Pair<S extends SampleSource> {
  bridge: Side<S>;
  baseline: Side<S>;
  /** Connects `n` more clients to each relay (returns the new ones of each side). */
  connect(n: number, setup: (side: Side<S>, c: BenchClient) => void): Promise<void>;
  close(): Promise<void>;
}

async function startSide<S extends SampleSource>(kind: RelayKind, src: S): Promise<Side<S>> {
  const dev = await startBenchDevice(src);
  try {
    const relay = await startRelay(kind, dev.hostPath, await freePort());
    return { kind: kind, src: src, dev: dev, relay: relay, clients: [] };
  } catch (e) {
    await dev.close();
    throw e;
  }
}

async function closeSide(s: Side<SampleSource>): Promise<void> {
  for (const c of s.clients) c.close();
  await s.relay.stop();
  await s.dev.close();
}

/** Starts both sides, each with a fresh source from `makeSource` (same deterministic lines on both). */
export async function startPair<S extends SampleSource>(makeSource: () => S): Promise<Pair<S>> {
  const bridge = await startSide("bridge", makeSource());
  let baseline: Side<S>;
  try {
    baseline = await startSide("baseline", makeSource());
  } catch (e) {
    await closeSide(bridge);
    throw e;
  }
  return {
    bridge: bridge,
    baseline: baseline,
    async connect(n, setup) {
      for (let i = 0; i < n; i++) {
        for (const s of [bridge, baseline]) {
          const c = await BenchClient.connect(s.relay.wsUrl, s.kind);
          s.clients.push(c);
          // The bare relay cannot write to its device, so it cannot acknowledge alarm lines; its first client
          // hands the device an AK for each A line instead, so both devices send the same alarm traffic.
          if (s.kind === "baseline" && s.clients.length === 1) c.ackAlarm = (seq) => s.dev.device.runtime.receive(encode({ type: "AK", seq: seq }), s.dev.device.nowMs());
          setup(s, c);
        }
      }
    },
    async close() {
      await Promise.all([closeSide(bridge), closeSide(baseline)]);
    },
  };
}
