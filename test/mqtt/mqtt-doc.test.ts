// docs/MQTT.md is what the generator writes from the code (topic tree, ACL, JSON Schemas); topics parse back to their address.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { mqttDocText } from "../../host/mqtt/mqtt-doc";
import { MQTT_DOC_PATH } from "../../host/mqtt/write-mqtt-doc";
import { TOPIC_TABLE } from "../../host/mqtt/topic-table";
import { nameProblem, parseTopic, topicOf } from "../../host/mqtt/topics";

describe("docs/MQTT.md", () => {
  it("is current (regenerate with npm run docs:mqtt)", () => {
    expect(readFileSync(MQTT_DOC_PATH, "utf8")).toBe(mqttDocText());
  });

  it("has a JSON Schema for every topic's payload", () => {
    const doc = readFileSync(MQTT_DOC_PATH, "utf8");
    for (const t of TOPIC_TABLE) expect(doc).toContain(`### ${t.schemaName}\n\nTopic \`${t.kind}\``);
  });
});

describe("topics", () => {
  it("every kind's topic parses back to its site, room, device and kind", () => {
    for (const t of TOPIC_TABLE) {
      const topic = topicOf({ site: "north", room: "room-1", deviceId: "DEV-1" }, t.kind);
      expect(parseTopic(topic)).toEqual({ site: "north", room: "room-1", deviceId: "DEV-1", kind: t.kind });
    }
    expect(parseTopic("thermoguard/v1/north/room-1/DEV-1/other")).toBeNull();
    expect(parseTopic("thermoguard/v2/north/room-1/DEV-1/status")).toBeNull();
  });

  it("refuses site / room names that would break the tree (wildcards, slashes)", () => {
    expect(nameProblem("room-1")).toBeNull();
    for (const bad of ["", "a/b", "+", "#", "r 1", "x".repeat(65)]) expect(nameProblem(bad)).toMatch(/not usable/);
  });
});
