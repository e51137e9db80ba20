// A bounded min-heap that puts a recording's timed items back in time order (resent readings arrive late) before they are aggregated.

/** An item with its time and a tie-break rank (lower first at equal times). */
export interface Timed {
  atMs: number;
  rank: number;
}

/**
 * Holds up to `capacity` items; pushing more releases the earliest. Items older than the last released one
 * can no longer be put in order: the caller learns it from the returned value of `push`.
 */
export class TimeOrderedQueue<T extends Timed> {
  private readonly heap: T[] = [];
  /** atMs of the last released item (-Infinity before any). */
  lastReleasedAtMs = -Infinity;

  constructor(
    readonly capacity: number,
    private readonly release: (item: T) => void,
  ) {}

  /** Adds an item; false (and not queued) when it is earlier than what was already released. */
  push(item: T): boolean {
    if (item.atMs < this.lastReleasedAtMs) return false;
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
    if (h.length > this.capacity) this.releaseOne();
    return true;
  }

  /** Releases everything, in order. */
  drain(): void {
    while (this.heap.length > 0) this.releaseOne();
  }

  get size(): number {
    return this.heap.length;
  }

  private releaseOne(): void {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    this.lastReleasedAtMs = top.atMs;
    this.release(top);
  }
}

function before(a: Timed, b: Timed): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.rank < b.rank);
}
