// `thermoguard demo --rooms N`: N simulated rooms (different scenarios), each a virtual device + bridge publishing to a private Mosquitto, and the central station.
import { startCentral, type Central } from "../host/central/central-server";
import { startDemo, type Demo } from "./demo-wiring";
import { startPrivateBroker, type PrivateBroker } from "./rooms-demo-broker";

/** The scenarios the rooms play, in turn: a cooled canal probe, an overshoot to STOP, a safe procedure, a plateau at 42.5 degC (sim/scenarios/README.md). */
export const ROOM_SCENARIOS = ["spinal-mwa-cooled", "spinal-mwa-overshoot", "spinal-mwa-safe", "synthetic-plateau-42-5"] as const;
/** Most rooms the demo starts. */
export const MAX_DEMO_ROOMS = 8;
/** Site name of the demo's topics. */
export const DEMO_SITE = "demo-site";

export interface RoomsDemoOptions {
  rooms: number;
  timeScale?: number;
  seed?: number;
  /** Central station's listen address (default 127.0.0.1:8430; port 0 picks a free one). */
  centralListen?: string;
  /** Recording folder root (one sub-folder per room); null: no recording. */
  recordDir?: string | null;
  log?: (line: string) => void;
}

export interface RoomsDemo {
  broker: PrivateBroker;
  central: Central;
  rooms: { name: string; scenario: string; demo: Demo }[];
  close(): Promise<void>;
}

/** Starts the broker, the rooms and the central station; cleans up what started when a later step fails. */
export async function startRoomsDemo(o: RoomsDemoOptions): Promise<RoomsDemo> {
  const names = Array.from({ length: o.rooms }, (_, i) => `room-${i + 1}`);
  const broker = await startPrivateBroker(names.map((n) => ({ site: DEMO_SITE, room: n, user: n })));
  const rooms: RoomsDemo["rooms"] = [];
  let central: Central | null = null;
  const close = async () => {
    await central?.close();
    for (const r of rooms) await r.demo.close();
    await broker.close();
  };
  try {
    for (const [i, name] of names.entries()) {
      const scenario = ROOM_SCENARIOS[i % ROOM_SCENARIOS.length];
      const demo = await startDemo({
        scenario: scenario,
        timeScale: o.timeScale ?? 1,
        seed: o.seed === undefined ? undefined : o.seed + i,
        listen: "127.0.0.1:0",
        recordDir: o.recordDir == null ? null : `${o.recordDir}/${name}`,
        mqtt: { broker: { url: broker.urlFor(name) }, site: DEMO_SITE, room: name },
      });
      rooms.push({ name: name, scenario: scenario, demo: demo });
    }
    central = await startCentral({ broker: { url: broker.urlFor("central") }, listen: o.centralListen, log: o.log });
  } catch (e) {
    await close();
    throw e;
  }
  return { broker: broker, central: central, rooms: rooms, close: close };
}
