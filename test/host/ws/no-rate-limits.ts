// Relay limits for tests that send thousands of messages on purpose (fuzzers, every-edge sweeps): rates and snapshot spacing off.
import type { RelayLimits } from "../../../host/ws/relay";
import { DEFAULT_CLIENT_RATE_LIMITS } from "../../../host/ws/client-rate";

const UNLIMITED = { burst: 1e9, perSecond: 1e9 };

/** Per-connection rates and the snapshot interval lifted; caps and the token lock-out stay as they are. */
export const NO_RATE_LIMITS: Partial<RelayLimits> = {
  rate: { ...DEFAULT_CLIENT_RATE_LIMITS, frames: UNLIMITED, resync: UNLIMITED, command: UNLIMITED, floodCloseDrops: 1e9 },
  snapshotMinIntervalMs: 0,
};
