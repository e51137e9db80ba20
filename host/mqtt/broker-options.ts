// How to reach a broker: URL (mqtt:// or mqtts://), credentials in the URL or given apart, TLS files; turned into MQTT.js options.
import { readFileSync } from "node:fs";
import type { IClientOptions } from "mqtt";
import { MqttError } from "./mqtt-errors";

/** A broker and how to log in. */
export interface BrokerOptions {
  /** mqtt://host:port or mqtts://host:port, optionally with user:password@. */
  url: string;
  /** User name and password; override the URL's. */
  username?: string;
  password?: string;
  /** mqtts: PEM file of the CA that signed the broker's certificate (default: the system's CAs). */
  caFile?: string;
  /** mqtts: client certificate and key (PEM) for brokers that require one. */
  certFile?: string;
  keyFile?: string;
}

/** Default ports of the schemes. */
const DEFAULT_PORT = { "mqtt:": 1883, "mqtts:": 8883 } as const;

/** The broker as shown to people: scheme, host, port, user; never the password. */
export function brokerName(url: string): string {
  try {
    const u = new URL(url);
    const port = u.port || String(DEFAULT_PORT[u.protocol as keyof typeof DEFAULT_PORT] ?? "");
    return `${u.protocol}//${u.username ? decodeURIComponent(u.username) + "@" : ""}${u.hostname}${port ? ":" + port : ""}`;
  } catch {
    return "(unparsable URL)";
  }
}

/** Why `url` is not a broker URL, or null. */
export function brokerUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url.replace(/:[^:@/]*@/, ":***@")}" is not a URL; expected mqtt://host:1883 or mqtts://host:8883`;
  }
  if (u.protocol !== "mqtt:" && u.protocol !== "mqtts:") return `expected an mqtt:// or mqtts:// URL, got ${u.protocol}//`;
  if (!u.hostname) return "the broker URL has no host";
  return null;
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new MqttError("MQTT_TLS_FILE", `cannot read the ${what} file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** MQTT.js options (MQTT 5) for this broker; throws MqttError MQTT_BAD_URL or MQTT_TLS_FILE. */
export function clientOptions(b: BrokerOptions, extra: Partial<IClientOptions>): { url: string; options: IClientOptions } {
  const problem = brokerUrlProblem(b.url);
  if (problem) throw new MqttError("MQTT_BAD_URL", problem);
  const u = new URL(b.url);
  const username = b.username ?? (u.username ? decodeURIComponent(u.username) : undefined);
  const password = b.password ?? (u.password ? decodeURIComponent(u.password) : undefined);
  const tls = u.protocol === "mqtts:";
  if (!tls && (b.caFile || b.certFile || b.keyFile)) throw new MqttError("MQTT_BAD_URL", "CA / client certificate options need an mqtts:// broker URL");
  if (Boolean(b.certFile) !== Boolean(b.keyFile)) throw new MqttError("MQTT_TLS_FILE", "a client certificate needs both the certificate and the key file");
  const options: IClientOptions = {
    protocolVersion: 5,
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: Number(u.port || DEFAULT_PORT[u.protocol as keyof typeof DEFAULT_PORT]),
    protocol: tls ? "mqtts" : "mqtt",
    username: username,
    password: password,
    clean: true,
    queueQoSZero: false,
    ...extra,
  };
  if (tls) {
    if (b.caFile) options.ca = readPem(b.caFile, "CA");
    if (b.certFile) options.cert = readPem(b.certFile, "client certificate");
    if (b.keyFile) options.key = readPem(b.keyFile, "client key");
    options.rejectUnauthorized = true;
  }
  return { url: `${u.protocol}//${u.host}`, options: options };
}
