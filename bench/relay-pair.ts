// The bridge, the bare relay and Node-RED side by side: each on its own pty with its own identical device, run at the same time so machine noise hits all alike.
import type { SampleSource } from "../device/source";
import { encode } from "../protocol";
import { BenchClient, RELAY_KINDS, type RelayKind } from "./bench-client";
import { startBenchDevice, type BenchDevice } from "./bench-device";
import { freePort, startRelay, type RelayProc } from "./relay-proc";

/** One side of the comparison: its source (timestamps), device, relay child and clients. */
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
  /** Node-RED, when it could be started (null: see `nodeRedError`). */
  nodeRed: Side<S> | null;
  nodeRedError: string | null;
  /** The sides that run, in RELAY_KINDS order. */
  kinds: RelayKind[];
  side(kind: RelayKind): Side<S>;
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

/** Starts every side, each with a fresh source from `makeSource` (same deterministic lines on each). */
export async function startPair<S extends SampleSource>(makeSource: () => S): Promise<Pair<S>> {
  const started: Side<S>[] = [];
  let nodeRed: Side<S> | null = null;
  let nodeRedError: string | null = null;
  try {
    started.push(await startSide("bridge", makeSource()));
    started.push(await startSide("baseline", makeSource()));
  } catch (e) {
    for (const s of started) await closeSide(s);
    throw e;
  }
  try {
    nodeRed = await startSide("node-red", makeSource());
    started.push(nodeRed);
  } catch (e) {
    nodeRedError = (e as Error).message; // the others still run; the tables say why Node-RED is missing
  }
  const [bridge, baseline] = started as [Side<S>, Side<S>];
  const byKind = new Map(started.map((s) => [s.kind, s]));
  return {
    bridge: bridge,
    baseline: baseline,
    nodeRed: nodeRed,
    nodeRedError: nodeRedError,
    kinds: RELAY_KINDS.filter((k) => byKind.has(k)),
    side(kind) {
      const s = byKind.get(kind);
      if (!s) throw new Error(`relay ${kind} is not running`);
      return s;
    },
    async connect(n, setup) {
      for (let i = 0; i < n; i++) {
        for (const s of started) {
          const c = await BenchClient.connect(s.relay.wsUrl, s.kind);
          s.clients.push(c);
          // The line relays cannot write to their device, so they cannot acknowledge alarm lines; their first client
          // hands the device an AK for each A line instead, so every device sends the same alarm traffic.
          if (s.kind !== "bridge" && s.clients.length === 1) c.ackAlarm = (seq) => s.dev.device.runtime.receive(encode({ type: "AK", seq: seq }), s.dev.device.nowMs());
          setup(s, c);
        }
      }
    },
    async close() {
      await Promise.all(started.map(closeSide));
    },
  };
}
