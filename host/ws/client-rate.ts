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

/** What to do with one frame or message: "drop-notify" is the first drop since that limit last admitted one (tell the client once). */
export type Admission = "ok" | "drop" | "drop-notify" | "flood";

/** One bucket and its current run of drops. */
class Limit {
  private readonly bucket: TokenBucket;
  dropsInRow = 0;
  constructor(spec: BucketSpec, nowMs: number) {
    this.bucket = new TokenBucket(spec, nowMs);
  }
  admit(nowMs: number): boolean {
    if (this.bucket.take(nowMs)) this.dropsInRow = 0;
    else this.dropsInRow++;
    return this.dropsInRow === 0;
  }
}

/** The rate state of one connection. */
export class ClientRate {
  private readonly frames: Limit;
  private readonly byType: Record<"resync" | "command", Limit>;

  constructor(
    readonly limits: ClientRateLimits,
    nowMs: number,
  ) {
    this.frames = new Limit(limits.frames, nowMs);
    this.byType = { resync: new Limit(limits.resync, nowMs), command: new Limit(limits.command, nowMs) };
  }

  /** Frames dropped in a row, unparsed. */
  get framesDroppedInRow(): number {
    return this.frames.dropsInRow;
  }

  /** A frame arrived: "ok" to parse it; a drop otherwise; "flood" once floodCloseDrops were dropped in a row (close the connection). */
  admitFrame(nowMs: number): Admission {
    if (this.frames.admit(nowMs)) return "ok";
    if (this.frames.dropsInRow >= this.limits.floodCloseDrops) return "flood";
    return this.frames.dropsInRow === 1 ? "drop-notify" : "drop";
  }

  /** A parsed message of a rate-limited type (resync, command); other types are always "ok" here. */
  admitMessage(type: string, nowMs: number): Admission {
    if (type !== "resync" && type !== "command") return "ok";
    const l = this.byType[type];
    if (l.admit(nowMs)) return "ok";
    return l.dropsInRow === 1 ? "drop-notify" : "drop";
  }
}
