// Per-connection limits on what a client sends: frames before parsing, then resync and command by type; drops counted.
import { TokenBucket, type BucketSpec } from "./token-bucket";

/** The rates one connection may send at. */
export interface ClientRateLimits {
  /** Every frame, checked before it is parsed. */
  frames: BucketSpec;
  /** `resync` requests (each costs a snapshot). */
  resync: BucketSpec;
  /** `command` messages. */
  command: BucketSpec;
  /** A client whose frames are dropped this many times in a row (none admitted between) is flooding: closed. */
  floodCloseDrops: number;
}

/** Frames: 50 at once, 20 per second (a dashboard sends a few per minute). */
export const FRAME_RATE: BucketSpec = { burst: 50, perSecond: 20 };
/** Resync: 3 at once, one per 5 s (a client resyncs after it noticed a gap, rarely). */
export const RESYNC_RATE: BucketSpec = { burst: 3, perSecond: 0.2 };
/** Commands: 10 at once, 2 per second (people press buttons; the device answers one command at a time). */
export const COMMAND_RATE: BucketSpec = { burst: 10, perSecond: 2 };
/** Frames dropped in a row before the connection is closed as a flood. */
export const FLOOD_CLOSE_DROPS = 500;

/** The default per-connection limits. */
export const DEFAULT_CLIENT_RATE_LIMITS: ClientRateLimits = { frames: FRAME_RATE, resync: RESYNC_RATE, command: COMMAND_RATE, floodCloseDrops: FLOOD_CLOSE_DROPS };

/** What to do with one frame or message. */
export type Admission = "ok" | "drop" | "drop-notify" | "flood";

/** The rate state of one connection. */
export class ClientRate {
  private readonly frames: TokenBucket;
  private readonly byType: Record<"resync" | "command", TokenBucket>;
  /** Frames and messages dropped in a row since the last one admitted. */
  dropsInRow = 0;

  constructor(
    readonly limits: ClientRateLimits,
    nowMs: number,
  ) {
    this.frames = new TokenBucket(limits.frames, nowMs);
    this.byType = { resync: new TokenBucket(limits.resync, nowMs), command: new TokenBucket(limits.command, nowMs) };
  }

  /**
   * A frame arrived: "ok" to parse it; "drop-notify" for the first drop of a run (tell the client once);
   * "drop" for the others; "flood" once the run reaches floodCloseDrops (close the connection).
   */
  admitFrame(nowMs: number): Admission {
    return this.verdict(this.frames.take(nowMs));
  }

  /** A parsed message of a rate-limited type; other types are always "ok" here. */
  admitMessage(type: string, nowMs: number): Admission {
    if (type !== "resync" && type !== "command") return "ok";
    return this.verdict(this.byType[type].take(nowMs));
  }

  private verdict(admitted: boolean): Admission {
    if (admitted) {
      this.dropsInRow = 0;
      return "ok";
    }
    this.dropsInRow++;
    if (this.dropsInRow >= this.limits.floodCloseDrops) return "flood";
    return this.dropsInRow === 1 ? "drop-notify" : "drop";
  }
}
