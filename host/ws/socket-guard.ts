// Guards the http server's raw sockets: caps per address and in total, and a deadline for the first request's headers (slowloris).
import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { Counters } from "../domain/domain-schemas";
import { countByCode } from "../domain/counters";
import { ConnectionCaps, type ConnectionCapLimits } from "./connection-caps";

/** A socket that has not sent a complete request (or upgrade) within this long is destroyed. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** Open TCP sockets: 128 per address, 512 in total (above the WebSocket caps, so only raw socket floods meet them). */
export const DEFAULT_SOCKET_CAPS: ConnectionCapLimits = { perAddress: 128, total: 512 };

/** Options of guardSockets. */
export interface SocketGuardOptions {
  headersTimeoutMs?: number;
  caps?: ConnectionCapLimits;
}

/** The remote address of a socket, IPv4-mapped IPv6 written as IPv4 ("::ffff:127.0.0.1" -> "127.0.0.1"). */
export function remoteAddressOf(socket: { remoteAddress?: string }): string {
  const a = socket.remoteAddress ?? "?";
  return a.startsWith("::ffff:") && a.includes(".") ? a.slice(7) : a;
}

/**
 * Installs the guard on `server`: sockets over the caps are destroyed at once, and a socket whose first
 * request or upgrade is not complete within headersTimeoutMs is destroyed (node's own headersTimeout is
 * also set, for later requests on a kept-alive socket). Counted in counters.wsGuardCloses.
 */
export function guardSockets(server: Server, counters: Counters, opts: SocketGuardOptions = {}): void {
  const timeoutMs = opts.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const caps = new ConnectionCaps(opts.caps ?? DEFAULT_SOCKET_CAPS);
  const waiting = new WeakMap<Socket, NodeJS.Timeout>();
  server.headersTimeout = Math.min(server.headersTimeout, timeoutMs);
  const started = (socket: Socket) => {
    const t = waiting.get(socket);
    if (t) clearTimeout(t);
    waiting.delete(socket);
  };
  server.on("connection", (socket: Socket) => {
    const address = remoteAddressOf(socket);
    if (caps.acquire(address)) {
      countByCode(counters.wsGuardCloses, "TOO_MANY_SOCKETS");
      socket.destroy();
      return;
    }
    socket.once("close", () => {
      started(socket);
      caps.release(address);
    });
    const t = setTimeout(() => {
      countByCode(counters.wsGuardCloses, "HEADERS_TIMEOUT");
      socket.destroy();
    }, timeoutMs);
    t.unref();
    waiting.set(socket, t);
  });
  server.prependListener("request", (req) => started(req.socket));
  server.prependListener("upgrade", (req) => started(req.socket as Socket));
}
