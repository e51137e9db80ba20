// Snapshots shared between clients: at most one build per control flag per interval, reused until the state changes.

/** Builds the snapshot frame (JSON text, UTF-8) for a connection with or without control. */
export type BuildSnapshot = (control: boolean) => Buffer;

/** Shortest time between two builds of the same snapshot variant (a resync waits at most this long). */
export const SNAPSHOT_MIN_INTERVAL_MS = 250;

/**
 * Requests for snapshots, coalesced per client, served from one shared frame. A frame is reused until
 * `invalidate()` (something was broadcast, so a client given the old frame would miss it) and rebuilt at most
 * once per `minIntervalMs`; time is passed in. The work of `serve` depends on the clients waiting, never on how
 * many requests they sent.
 */
export class SnapshotCache<C> {
  private readonly waiting = new Map<C, boolean>();
  private readonly frames: [Buffer | null, Buffer | null] = [null, null];
  private readonly builtAtMs = [-Infinity, -Infinity];
  /** Snapshots built so far. */
  builds = 0;

  constructor(
    private readonly build: BuildSnapshot,
    readonly minIntervalMs = SNAPSHOT_MIN_INTERVAL_MS,
  ) {}

  /** `client` wants a snapshot (one pending request per client; the latest control flag wins). */
  request(client: C, control: boolean): void {
    this.waiting.set(client, control);
  }

  /** Forgets a client's pending request (it disconnected). */
  cancel(client: C): void {
    this.waiting.delete(client);
  }

  /** Whether `client` is waiting for a snapshot. */
  isWaiting(client: C): boolean {
    return this.waiting.has(client);
  }

  /** The state changed: the next client needs a fresh frame. */
  invalidate(): void {
    this.frames[0] = this.frames[1] = null;
  }

  /**
   * Sends the shared frame to every waiting client that is `ready` (its send buffer has room); builds a stale
   * frame only when its last build is minIntervalMs old. Returns how many clients were served.
   */
  serve(nowMs: number, ready: (c: C) => boolean, send: (c: C, frame: Buffer) => void): number {
    let served = 0;
    for (const [c, control] of this.waiting) {
      if (!ready(c)) continue;
      const frame = this.frame(control ? 1 : 0, nowMs);
      if (!frame) continue;
      this.waiting.delete(c);
      send(c, frame);
      served++;
    }
    return served;
  }

  /** Clients waiting. */
  get pending(): number {
    return this.waiting.size;
  }

  private frame(i: 0 | 1, nowMs: number): Buffer | null {
    const cached = this.frames[i];
    if (cached) return cached;
    if (nowMs - this.builtAtMs[i] < this.minIntervalMs) return null;
    const built = this.build(i === 1);
    this.frames[i] = built;
    this.builtAtMs[i] = nowMs;
    this.builds++;
    return built;
  }
}
