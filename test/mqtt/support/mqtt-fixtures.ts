// Test helpers for the MQTT tests: wait for a condition, a plain mosquitto_sub collecting what it sees, payload checks by topic.
import { spawn, type ChildProcess } from "node:child_process";
import { topicSpec } from "../../../host/mqtt/topic-table";
import { parseTopic } from "../../../host/mqtt/topics";
import type { PrivateBroker } from "../../../apps/rooms-demo-broker";

/** Polls `cond` every 20 ms until it holds; rejects after `timeoutMs` (a hang guard, not a speed bound). */
export async function waitFor<T>(cond: () => T | null | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = cond();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One message seen by mosquitto_sub. */
export interface SubMessage {
  topic: string;
  payload: string;
}

/** A running mosquitto_sub (the Debian client) and what it printed. */
export interface Sub {
  messages: SubMessage[];
  close(): Promise<void>;
}

/** Starts `mosquitto_sub -v` as `user` on `filter`; resolves once it is subscribed (its first retained or live message, or after SUBACK via -d). */
export async function startSub(broker: PrivateBroker, user: string, filter: string): Promise<Sub> {
  // stdbuf: mosquitto_sub's stdout is block-buffered on a pipe; line buffering shows each message as it arrives.
  const child: ChildProcess = spawn("stdbuf", ["-oL", "mosquitto_sub", "-h", broker.host, "-p", String(broker.port), "-u", user, "-P", broker.users[user], "-V", "mqttv5", "-q", "1", "-t", filter, "-v", "-d"], { stdio: ["ignore", "pipe", "pipe"] });
  const messages: SubMessage[] = [];
  let buf = "";
  let subscribed = false;
  child.stdout!.on("data", (b: Buffer) => {
    buf += b.toString("utf8");
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (/^Client .* received SUBACK/.test(line)) subscribed = true;
      if (line.startsWith("Client ") || line.startsWith("Subscribed")) continue;
      const sp = line.indexOf(" ");
      if (sp > 0 && line.startsWith("thermoguard/")) messages.push({ topic: line.slice(0, sp), payload: line.slice(sp + 1) });
    }
  });
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGTERM");
    await exited;
  };
  try {
    await waitFor(() => subscribed || child.exitCode !== null, "mosquitto_sub to subscribe");
  } catch (e) {
    await close();
    throw e;
  }
  if (child.exitCode !== null) throw new Error("mosquitto_sub exited " + child.exitCode);
  return { messages: messages, close: close };
}

/** Checks a message against the documented tree: its topic parses and its payload passes that kind's zod schema. Returns the problem or null. */
export function documentedProblem(m: SubMessage): string | null {
  const t = parseTopic(m.topic);
  if (!t) return `undocumented topic ${m.topic}`;
  let json: unknown;
  try {
    json = JSON.parse(m.payload);
  } catch {
    return `${m.topic}: not JSON`;
  }
  const r = topicSpec(t.kind).schema.safeParse(json);
  return r.success ? null : `${m.topic}: ${r.error.issues.map((i) => i.path.join(".") + " " + i.message).join("; ")}`;
}
