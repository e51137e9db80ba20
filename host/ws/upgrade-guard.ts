// Origin and Host checks for http requests and WebSocket upgrades (cross-site WebSocket hijacking, DNS rebinding).
import type { IncomingMessage } from "node:http";
import os from "node:os";

/** The names a client may use in the Host header to reach a bridge bound to `host`:`port`. */
export function allowedHostNames(host: string, port: number): string[] {
  const names = new Set<string>();
  const add = (h: string) => names.add((h.includes(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port);
  const wildcard = host === "0.0.0.0" || host === "::" || host === "";
  if (wildcard) {
    for (const list of Object.values(os.networkInterfaces())) for (const a of list ?? []) add(a.address);
    add(os.hostname());
    add(os.hostname() + ".local");
  } else add(host);
  if (wildcard || host === "127.0.0.1" || host === "::1" || host === "localhost") {
    add("127.0.0.1");
    add("localhost");
    add("::1");
  }
  return [...names];
}

/** The default Origin allowlist: the bridge's own http origins. */
export function defaultOrigins(hostNames: readonly string[]): string[] {
  return hostNames.map((h) => "http://" + h);
}

/** Why a request is refused, or null when it may proceed. */
export interface Refusal {
  status: number;
  reason: string;
}

/**
 * Checks Host against the bound names and, when present, Origin against the allowlist. A request
 * without Origin (curl, a Node client) is allowed: the attacks these checks stop come from browsers,
 * which always send Origin on WebSocket upgrades.
 */
export function checkRequest(req: IncomingMessage, hosts: ReadonlySet<string>, origins: ReadonlySet<string>): Refusal | null {
  const host = (req.headers.host ?? "").toLowerCase();
  if (!hosts.has(host)) return { status: 403, reason: `Host "${host}" is not a name of this bridge` };
  const origin = req.headers.origin;
  if (origin !== undefined && !origins.has(origin.toLowerCase())) return { status: 403, reason: `Origin "${origin}" is not allowed (bridge option --allow-origin)` };
  return null;
}
