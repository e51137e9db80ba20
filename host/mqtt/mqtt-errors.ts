// Broker connection errors with stable codes and a message that names the broker.

/** Stable codes of MqttError. */
export const MQTT_ERROR_CODES = ["MQTT_BAD_URL", "MQTT_TLS_FILE", "MQTT_BAD_CREDENTIALS", "MQTT_NOT_AUTHORIZED", "MQTT_REFUSED", "MQTT_UNREACHABLE", "MQTT_TLS", "MQTT_ERROR"] as const;
export type MqttErrorCode = (typeof MQTT_ERROR_CODES)[number];

/** A broker problem; `code` is stable, the message names the broker (never its password). */
export class MqttError extends Error {
  constructor(
    readonly code: MqttErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "MqttError";
  }

  /** Refusals that retrying with the same settings will not cure. */
  get isRefusal(): boolean {
    return this.code === "MQTT_BAD_CREDENTIALS" || this.code === "MQTT_NOT_AUTHORIZED" || this.code === "MQTT_REFUSED";
  }
}

/** MQTT 5 CONNACK reason codes (and their MQTT 3.1.1 return codes) with a meaning for the user. */
const REFUSALS: Record<number, [MqttErrorCode, string]> = {
  4: ["MQTT_BAD_CREDENTIALS", "bad user name or password"],
  5: ["MQTT_NOT_AUTHORIZED", "not authorized (wrong user name or password, or this user may not connect)"],
  134: ["MQTT_BAD_CREDENTIALS", "bad user name or password"],
  // Mosquitto answers a wrong password with 135, not 134.
  135: ["MQTT_NOT_AUTHORIZED", "not authorized (wrong user name or password, or this user may not connect)"],
  133: ["MQTT_REFUSED", "client identifier not valid"],
  136: ["MQTT_REFUSED", "server unavailable"],
  137: ["MQTT_REFUSED", "server busy"],
  138: ["MQTT_REFUSED", "banned"],
};

/** Turns what MQTT.js or the socket reported into an MqttError naming `broker` (a URL without password). */
export function classifyMqttError(e: unknown, broker: string): MqttError {
  const err = e as { code?: unknown; message?: unknown };
  const msg = typeof err?.message === "string" ? err.message : String(e);
  if (typeof err?.code === "number") {
    const r = REFUSALS[err.code];
    if (r) return new MqttError(r[0], `MQTT broker ${broker} refused the connection: ${r[1]} (reason ${err.code})`);
    return new MqttError("MQTT_REFUSED", `MQTT broker ${broker} refused the connection: ${msg} (reason ${err.code})`);
  }
  const code = typeof err?.code === "string" ? err.code : "";
  // A TLS listener drops a plain MQTT CONNECT: say so, the URL's scheme is the likely mistake.
  if (code === "ECONNRESET" && broker.startsWith("mqtt://"))
    return new MqttError("MQTT_UNREACHABLE", `MQTT broker ${broker} not reachable: ECONNRESET (the broker closed the connection; if this port expects TLS, use mqtts://)`);
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "ETIMEDOUT" || code === "ECONNRESET" || code === "EAI_AGAIN")
    return new MqttError("MQTT_UNREACHABLE", `MQTT broker ${broker} not reachable: ${code}`);
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO|DEPTH_ZERO|ALTNAME/.test(code) || /certificate|ssl|tls/i.test(msg)) return new MqttError("MQTT_TLS", `MQTT broker ${broker}: TLS failed: ${msg}`);
  return new MqttError("MQTT_ERROR", `MQTT broker ${broker}: ${msg}`);
}
