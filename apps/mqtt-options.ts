// The MQTT options shared by `bridge`, `demo` and `central`: broker URL, credentials, TLS files, site / room, batching.
import type { Command } from "commander";
import type { MqttBridgeOptions } from "../host/mqtt/bridge-hook";
import { brokerUrlProblem, type BrokerOptions } from "../host/mqtt/broker-options";
import { batchPeriodProblem, DEFAULT_BATCH_MS } from "../host/mqtt/outbound-queue";
import { nameProblem } from "../host/mqtt/topics";
import { UserError } from "./user-error";

/** Parsed broker options of the command line. */
export interface BrokerFlags {
  mqtt?: string;
  mqttUser?: string;
  mqttPassword?: string;
  mqttCa?: string;
  mqttCert?: string;
  mqttKey?: string;
}

/** Adds --mqtt and its connection options. */
export function addBrokerOptions(cmd: Command, urlHelp: string): Command {
  return cmd
    .option("--mqtt <url>", urlHelp)
    .option("--mqtt-user <name>", "broker user name (overrides the URL's)")
    .option("--mqtt-password <password>", "broker password (overrides the URL's; or set THERMOGUARD_MQTT_PASSWORD)")
    .option("--mqtt-ca <file>", "mqtts: PEM file of the CA that signed the broker's certificate")
    .option("--mqtt-cert <file>", "mqtts: client certificate (PEM)")
    .option("--mqtt-key <file>", "mqtts: client key (PEM)");
}

/** Adds --site, --room and --mqtt-batch-ms (the publisher's options). */
export function addPublisherOptions(cmd: Command): Command {
  return cmd
    .option("--site <name>", "site name in the MQTT topics", "site")
    .option("--room <name>", "room name in the MQTT topics (this bridge's room)", "room-1")
    .option("--mqtt-batch-ms <ms>", "readings batch period, 100..1000 ms", (v: string) => Number(v), DEFAULT_BATCH_MS);
}

/** The broker options, or null without --mqtt; throws UserError for a bad URL. */
export function brokerFrom(f: BrokerFlags): BrokerOptions | null {
  if (!f.mqtt) return null;
  const p = brokerUrlProblem(f.mqtt);
  if (p) throw new UserError("--mqtt: " + p);
  return { url: f.mqtt, username: f.mqttUser, password: f.mqttPassword ?? process.env.THERMOGUARD_MQTT_PASSWORD, caFile: f.mqttCa, certFile: f.mqttCert, keyFile: f.mqttKey };
}

/** The bridge's MQTT options, or undefined without --mqtt. */
export function publisherFrom(f: BrokerFlags & { site: string; room: string; mqttBatchMs: number }): MqttBridgeOptions | undefined {
  const broker = brokerFrom(f);
  if (!broker) return undefined;
  for (const [flag, v] of [["--site", f.site], ["--room", f.room]] as const) {
    const p = nameProblem(v);
    if (p) throw new UserError(`${flag}: ${p}`);
  }
  const b = batchPeriodProblem(f.mqttBatchMs);
  if (b) throw new UserError("--mqtt-batch-ms: " + b);
  return { broker: broker, site: f.site, room: f.room, batchMs: f.mqttBatchMs };
}
