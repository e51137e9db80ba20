// Caps on open WebSocket connections, per remote address and in total (pure counting; the relay closes what is refused).

/** How many connections may be open. */
export interface ConnectionCapLimits {
  perAddress: number;
  total: number;
}

/** 16 per address (a few displays behind one NAT, reloads), 64 in total. */
export const DEFAULT_CONNECTION_CAPS: ConnectionCapLimits = { perAddress: 16, total: 64 };

/** Why a connection is refused, as a stable code. */
export type CapRefusal = "TOO_MANY_FROM_ADDRESS" | "TOO_MANY_CONNECTIONS";

/** Open connections per address. */
export class ConnectionCaps {
  private readonly byAddress = new Map<string, number>();
  private open = 0;

  constructor(readonly limits: ConnectionCapLimits = DEFAULT_CONNECTION_CAPS) {}

  /** Takes a slot for `address`, or says why not (nothing is taken then). */
  acquire(address: string): CapRefusal | null {
    const n = this.byAddress.get(address) ?? 0;
    if (n >= this.limits.perAddress) return "TOO_MANY_FROM_ADDRESS";
    if (this.open >= this.limits.total) return "TOO_MANY_CONNECTIONS";
    this.byAddress.set(address, n + 1);
    this.open++;
    return null;
  }

  /** Gives back a slot taken by acquire. */
  release(address: string): void {
    const n = this.byAddress.get(address) ?? 0;
    if (n <= 1) this.byAddress.delete(address);
    else this.byAddress.set(address, n - 1);
    if (n > 0) this.open--;
  }

  /** Connections holding a slot. */
  get count(): number {
    return this.open;
  }
}
