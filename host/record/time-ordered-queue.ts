// A bounded queue that puts a recording's timed items back in time order (resent readings arrive late) before they are aggregated.

/** An item with its time and a tie-break rank (lower first at equal times). */
export interface Timed {
  atMs: number;
  rank: number;
}

/**
 * Holds up to `capacity` items; pushing more releases the earliest. Items older than the last released one
 * can no longer be put in order: the caller learns it from the returned value of `push`. Items arriving in
 * order (nearly all of a recording) are appended in O(1); a late one is inserted by binary search.
 */
export class TimeOrderedQueue<T extends Timed> {
  /** Items in order from `head` on. */
  private items: T[] = [];
  private head = 0;
  /** atMs of the last released item (-Infinity before any). */
  lastReleasedAtMs = -Infinity;

  constructor(
    readonly capacity: number,
    private readonly release: (item: T) => void,
  ) {}

  /** Adds an item; false (and not queued) when it is earlier than what was already released. */
  push(item: T): boolean {
    if (item.atMs < this.lastReleasedAtMs) return false;
    const a = this.items;
    if (a.length === this.head || !before(item, a[a.length - 1])) a.push(item);
    else {
      let lo = this.head;
      let hi = a.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before(item, a[mid])) hi = mid;
        else lo = mid + 1;
      }
      a.splice(lo, 0, item);
    }
    if (a.length - this.head > this.capacity) this.releaseOne();
    return true;
  }

  /** Releases everything, in order. */
  drain(): void {
    while (this.items.length > this.head) this.releaseOne();
    this.items = [];
    this.head = 0;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  private releaseOne(): void {
    const top = this.items[this.head++];
    if (this.head >= 4096 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.lastReleasedAtMs = top.atMs;
    this.release(top);
  }
}

function before(a: Timed, b: Timed): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.rank < b.rank);
}
