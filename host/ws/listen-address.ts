// The "host:port" listen address of the bridge's and the central station's http servers.

/** Parses "host:port" (IPv6 as "[::1]:8420"); throws with the option's name when malformed. */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(listen);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new Error(`listen: expected host:port such as 127.0.0.1:8420, got "${listen}"`);
  return { host: m[1] ?? (m[2] || "127.0.0.1"), port: port };
}
