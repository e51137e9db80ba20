// A private Mosquitto for the rooms demo, the tests and the bench: loopback, free port, password auth, no anonymous, the room ACL.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { CENTRAL_USER, mosquittoAcl, type RoomAccount } from "../host/mqtt/acl";
import { UserError } from "./user-error";

/** The broker and its password tool (Debian puts the broker in /usr/sbin, which a non-root PATH may lack). */
const MOSQUITTO = process.env.MOSQUITTO_PATH ?? (existsSync("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto");
const MOSQUITTO_PASSWD = process.env.MOSQUITTO_PASSWD_PATH ?? "mosquitto_passwd";

/** A running private broker. */
export interface PrivateBroker {
  host: string;
  port: number;
  /** mqtt://user:password@127.0.0.1:port (mqtts:// with TLS) for a user of `users`. */
  urlFor(user: string): string;
  users: Record<string, string>;
  dir: string;
  /** Stops the broker (it can be started again on the same port). */
  stop(): Promise<void>;
  /** Starts it again after stop(), same port and accounts. */
  start(): Promise<void>;
  /** Process id of the running broker (undefined while stopped), e.g. to read its CPU time. */
  pid(): number | undefined;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

/** Whether the mosquitto binary is installed. */
export function mosquittoInstalled(): boolean {
  return spawnSync(MOSQUITTO, ["-h"], { stdio: "ignore" }).error === undefined && spawnSync(MOSQUITTO_PASSWD, ["-h"], { stdio: "ignore" }).error === undefined;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** A TLS listener instead of plain TCP: the broker's certificate (PEM, for 127.0.0.1) and its key. */
export interface BrokerTls {
  certFile: string;
  keyFile: string;
}

/**
 * Starts Mosquitto on a free loopback port (TLS when `opts.tls` is given) with a generated config: password file (mosquitto_passwd), anonymous
 * off, the ACL of host/mqtt/acl.ts for `rooms` and the central user. Resolves once it accepts connections.
 */
export async function startPrivateBroker(rooms: readonly RoomAccount[], opts: { extraUsers?: Record<string, string>; tls?: BrokerTls } = {}): Promise<PrivateBroker> {
  if (!mosquittoInstalled()) throw new UserError("Mosquitto is not installed: on Debian / Ubuntu run `sudo apt-get install mosquitto mosquitto-clients` (or give --mqtt a broker of your own)", "NO_MOSQUITTO");
  const dir = await mkdtemp(path.join(os.tmpdir(), "tg-mosquitto-"));
  const users: Record<string, string> = { [CENTRAL_USER]: "central-" + Math.random().toString(36).slice(2, 10), ...(opts.extraUsers ?? {}) };
  for (const r of rooms) users[r.user] = r.user + "-" + Math.random().toString(36).slice(2, 10);
  const pwFile = path.join(dir, "passwd");
  await writeFile(pwFile, "", { mode: 0o600 });
  for (const [u, p] of Object.entries(users)) {
    const r = spawnSync(MOSQUITTO_PASSWD, ["-b", pwFile, u, p], { encoding: "utf8" });
    if (r.status !== 0) throw new Error("mosquitto_passwd failed: " + (r.stderr || r.error?.message));
  }
  await writeFile(path.join(dir, "acl"), mosquittoAcl(rooms), { mode: 0o600 });
  const port = await freePort();
  await writeFile(
    path.join(dir, "mosquitto.conf"),
    [`listener ${port} 127.0.0.1`, ...(opts.tls ? [`certfile ${opts.tls.certFile}`, `keyfile ${opts.tls.keyFile}`] : []), "allow_anonymous false", `password_file ${pwFile}`, `acl_file ${path.join(dir, "acl")}`, // Persistence: the central station's session (its subscriptions and the QoS 1 alarms queued for it) survives a broker restart.
      "persistence true",
      `persistence_location ${dir}/`,
      // Started as root, Mosquitto would switch to the "mosquitto" user, who cannot read this private folder.
      `user ${os.userInfo().username}`, "log_dest stderr", "log_type error", "log_type warning", "log_type notice", ""].join("\n"),
  );
  let child: ChildProcess | null = null;
  let log = "";
  const start = async () => {
    const c = spawn(MOSQUITTO, ["-c", path.join(dir, "mosquitto.conf")], { stdio: ["ignore", "ignore", "pipe"] });
    child = c;
    c.stderr!.on("data", (b: Buffer) => (log = (log + b.toString()).slice(-4000)));
    // Mosquitto buffers its log when stderr is a pipe: readiness is the port accepting a connection.
    let exited: Error | null = null;
    c.once("exit", (code) => (exited = new Error(`mosquitto exited (${code}) before it was ready`)));
    c.once("error", (e) => (exited = e));
    for (let i = 0; ; i++) {
      if (exited) throw new Error(`${(exited as Error).message}: ${log.trim()}`);
      if (await accepts(port)) return;
      if (i > 400) throw new Error("mosquitto did not open its port within 20 s: " + log.trim());
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once("exit", () => r()));
    c.kill("SIGTERM");
    await exited;
  };
  try {
    await start();
  } catch (e) {
    await stop();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    host: "127.0.0.1",
    port: port,
    users: users,
    dir: dir,
    urlFor: (user) => `${opts.tls ? "mqtts" : "mqtt"}://${encodeURIComponent(user)}:${encodeURIComponent(users[user])}@127.0.0.1:${port}`,
    stop: stop,
    start: start,
    pid: () => (child as ChildProcess | null)?.pid,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
