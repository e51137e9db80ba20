// docs/examples consume the documented topic tree: every subscription matches documented topics, every payload key they use exists in its schema.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as z from "zod";
import { describe, expect, it } from "vitest";
import { TOPIC_TABLE } from "../../host/mqtt/topic-table";
import { topicOf, type TopicKind } from "../../host/mqtt/topics";

const EXAMPLES = fileURLToPath(new URL("../../docs/examples/", import.meta.url));
const SAMPLE = { site: "north", room: "room-1", deviceId: "DEV-1" };

/** MQTT topic filter matching (+ one level, # the rest). */
function matches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  for (let i = 0; i < f.length; i++) {
    if (f[i] === "#") return true;
    if (i >= t.length || (f[i] !== "+" && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

/** The documented kinds a filter receives (none: it matches nothing of the tree). */
function kindsOf(filter: string): TopicKind[] {
  return TOPIC_TABLE.filter((t) => matches(filter, topicOf(SAMPLE, t.kind))).map((t) => t.kind);
}

/** The object schema at a dotted path of a kind's payload ("" = the payload; arrays step into their element). */
function objectAt(kind: TopicKind, path: string): z.ZodObject {
  let s = TOPIC_TABLE.find((t) => t.kind === kind)!.schema as z.ZodType;
  for (const p of path ? path.split(".") : []) {
    s = (s as z.ZodObject).shape[p] as z.ZodType;
    while (s instanceof z.ZodArray || s instanceof z.ZodNullable) s = s instanceof z.ZodArray ? (s.element as z.ZodType) : (s.unwrap() as z.ZodType);
  }
  return s as z.ZodObject;
}

describe("docs/examples", () => {
  it("the Node-RED flow subscribes to documented topics and reads only fields their payloads have", () => {
    const flow = JSON.parse(readFileSync(EXAMPLES + "node-red-flow.json", "utf8")) as { type: string; topic?: string; func?: string; wires?: string[][]; id: string }[];
    const ins = flow.filter((n) => n.type === "mqtt in");
    expect(ins.length).toBeGreaterThanOrEqual(3);
    for (const n of ins) {
      const kinds = kindsOf(n.topic!);
      expect(kinds, n.topic).toHaveLength(1);
      const fn = flow.find((x) => x.id === n.wires![0][0])!;
      // Every p.<key> and p.<key>.<key> / d.<key> the function reads is in the payload's schema.
      for (const [, a, b] of fn.func!.matchAll(/\bp\.(\w+)(?:\.(\w+)\b(?!\())?/g)) {
        expect(Object.keys(objectAt(kinds[0], "").shape), `${kinds[0]}.${a}`).toContain(a);
        if (b) expect(Object.keys(objectAt(kinds[0], a).shape), `${kinds[0]}.${a}.${b}`).toContain(b);
      }
      for (const [, k] of fn.func!.matchAll(/\bd\.(\w+)/g)) expect(Object.keys(objectAt(kinds[0], "doses").shape)).toContain(k);
    }
  });

  it("the Telegraf config subscribes to documented topics, parses the topic levels of the tree and names existing payload keys", () => {
    const conf = readFileSync(EXAMPLES + "telegraf-thermoguard.conf", "utf8");
    const blocks = conf.split("[[inputs.mqtt_consumer]]").slice(1);
    expect(blocks.length).toBe(2);
    for (const b of blocks) {
      const topics = [...b.matchAll(/"(thermoguard\/[^"]+)"/g)].map((m) => m[1]).filter((t) => !/\+\/\+$/.test(t));
      const kinds = topics.flatMap(kindsOf);
      expect(kinds.length, topics.join()).toBe(topics.length);
      expect(b).toContain('tags = "_/_/site/room/device/_"');
      for (const obj of b.split("[[inputs.mqtt_consumer.json_v2.object]]").slice(1)) {
        const path = /path = "(\w+)"/.exec(obj)![1];
        const kind = kinds.find((k) => path in objectAt(k, "").shape)!;
        expect(kind, path).toBeDefined();
        const keys = Object.keys(objectAt(kind, path).shape);
        for (const key of [...(/included_keys = \[([^\]]*)\]/.exec(obj)?.[1] ?? "").matchAll(/"(\w+)"/g)].map((m) => m[1])) expect(keys, `${kind} ${path}.${key}`).toContain(key);
        for (const key of [...(/tags = \[([^\]]*)\]/.exec(obj)?.[1] ?? "").matchAll(/"(\w+)"/g)].map((m) => m[1])) expect(keys).toContain(key);
        expect(keys).toContain(/timestamp_key = "(\w+)"/.exec(obj)![1]);
      }
    }
  });
});
