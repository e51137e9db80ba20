// WebSocket-side fuzz: random and mutated client messages into a running bridge (in-process device on MockBinding, real ws clients).
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startBridge } from "../../host/bridge";
import { ClientMessage, WS_MAX_CLIENT_PAYLOAD_BYTES, type ServerMessage } from "../../host/ws/ws-messages";
import { LIMIT_PARAMS } from "../../protocol";
import { TestClient } from "../host/helpers/ws-client";
import { NO_RATE_LIMITS } from "../host/ws/no-rate-limits";
import { expectBounded, expectEachSeqOnce, rowsOf } from "./support/bridge-probes";
import { MockSerialDevice } from "./support/mock-serial-device";

vi.mock("serialport", async (importOriginal) => {
  const real = await importOriginal<typeof import("serialport")>();
  return { ...real, SerialPort: real.SerialPortMock };
});

const CASES = 20_000;
const BATCH = 500;
const TOKEN = "ws-fuzz-token-3f1c";
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

/** Valid client messages (with wrong or no tokens: the fuzzer never has control). */
const validMessage: fc.Arbitrary<Record<string, unknown>> = (() => {
  const id = fc.oneof(fc.integer(), fc.string({ minLength: 1, maxLength: 64 }));
  const text = (max: number) => fc.string({ minLength: 1, maxLength: max, unit: fc.constantFrom(..."abcXYZ 019-_.".split("")) });
  const command = fc.oneof(
    fc.record({ name: fc.constant("ack"), alarmKey: fc.oneof(fc.constant("*"), fc.string({ minLength: 1, maxLength: 64 })) }),
    fc.record({ name: fc.constant("pause"), seconds: fc.integer({ min: 1, max: 120 }) }),
    fc.record({ name: fc.constant("setLimit"), param: fc.constantFrom(...LIMIT_PARAMS), value: fc.integer() }),
    fc.record({ name: fc.constant("startSession"), session: text(16) }),
    fc.record({ name: fc.constant("endSession") }),
    fc.record({ name: fc.constant("mark"), text: text(48) }),
  );
  const wrongToken = fc.string({ maxLength: 128 }).filter((t) => t !== TOKEN);
  return fc.oneof(
    fc.record({ type: fc.constant("hello"), token: wrongToken, client: fc.string({ maxLength: 64 }) }, { requiredKeys: ["type"] }),
    fc.record({ type: fc.constant("command"), id, token: wrongToken, command }, { requiredKeys: ["type", "id", "command"] }),
    fc.constant({ type: "resync" }),
  );
})();

/** Structural mutations of a valid message: a key dropped, a value replaced by anything, junk keys, deep nesting. */
const mutatedMessage: fc.Arbitrary<unknown> = fc
  .tuple(validMessage, fc.integer({ min: 0, max: 5 }), fc.jsonValue({ maxDepth: 3 }), fc.string({ maxLength: 12 }))
  .map(([m, op, junk, key]) => {
    const keys = Object.keys(m);
    const k = keys[key.length % keys.length];
    const cmd = m.command as Record<string, unknown> | undefined;
    switch (op) {
      case 0: {
        const { [k]: _drop, ...rest } = m;
        return rest;
      }
      case 1:
        return { ...m, [k]: junk };
      case 2:
        return cmd ? { ...m, command: { ...cmd, [Object.keys(cmd)[key.length % Object.keys(cmd).length]]: junk } } : { ...m, type: junk };
      case 3:
        return JSON.parse(JSON.stringify(m).replace(/^\{/, `{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}},`));
      case 4:
        return { ...m, id: Array.from({ length: 300 }).reduce<unknown>((acc) => [acc], junk) };
      default:
        return [m, junk];
    }
  });

/** One fuzz input: a text frame or a binary one. */
type Input = { text: string } | { binary: Uint8Array };
const input: fc.Arbitrary<Input> = fc
  .oneof(
    { weight: 3, arbitrary: validMessage.map((m) => ({ text: JSON.stringify(m) })) },
    { weight: 4, arbitrary: mutatedMessage.map((m) => ({ text: JSON.stringify(m) })) },
    { weight: 2, arbitrary: fc.jsonValue().map((v) => ({ text: JSON.stringify(v) ?? "null" })) },
    { weight: 2, arbitrary: fc.string({ maxLength: 300, unit: "binary" }).map((t) => ({ text: t })) },
    { weight: 1, arbitrary: validMessage.map((m) => ({ text: JSON.stringify(m).slice(0, -1 - (JSON.stringify(m).length % 7)) })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => ({ binary: b })) },
  )
  .filter((i) => ("text" in i ? Buffer.byteLength(i.text) : i.binary.length) <= WS_MAX_CLIENT_PAYLOAD_BYTES);

/** What the bridge must answer, per docs/WEBSOCKET.md: one message per input. */
function expectedReply(i: Input): string {
  if ("binary" in i) return "error:BINARY_NOT_SUPPORTED";
  let json: unknown;
  try {
    json = JSON.parse(i.text);
  } catch {
    return "error:BAD_JSON";
  }
  const p = ClientMessage.safeParse(json);
  if (!p.success) return "error:BAD_MESSAGE";
  if (p.data.type === "hello") return "auth:false";
  if (p.data.type === "resync") return "snapshot";
  return "commandResult:UNAUTHORIZED";
}

function replyKey(m: ServerMessage): string | null {
  if (m.type === "error") return "error:" + m.code;
  if (m.type === "auth") return "auth:" + m.control;
  if (m.type === "snapshot") return "snapshot";
  // A wrong token is UNAUTHORIZED until the guess lock-out starts; then LOCKED_OUT (not compared): both a refusal.
  if (m.type === "commandResult") return "commandResult:" + (m.reason === "LOCKED_OUT" ? "UNAUTHORIZED" : m.reason);
  return null;
}

const tally = (keys: string[]) => keys.reduce<Record<string, number>>((t, k) => ((t[k] = (t[k] ?? 0) + 1), t), {});

describe(`ws fuzz (seed ${SEED}; rerun with FUZZ_SEED=${SEED})`, () => {
  it(`${CASES} random and mutated client frames: one answer each, no control gained, no command reaches the device, connection and relay keep working`, async () => {
    const dev = MockSerialDevice.create("/dev/tg-wsfuzz-" + randomUUID());
    // Rates lifted: every frame must get its answer here (the rates themselves are tested in test/host/ws).
    const bridge = await startBridge({ port: dev.path, listen: "127.0.0.1:0", recordDir: null, token: TOKEN, wsLimits: NO_RATE_LIMITS });
    cleanup.push(() => bridge.close());
    const fuzzer = await TestClient.connect(bridge.wsUrl);
    const watcher = await TestClient.connect(bridge.wsUrl);
    cleanup.push(async () => (fuzzer.close(), watcher.close()));
    await fuzzer.waitFor((m) => m.type === "snapshot");
    await watcher.waitFor((m) => m.type === "snapshot");
    const firstSeq = dev.readSeq;
    const expected: string[] = [];
    let replies = 1; // the first snapshot
    const replied = () => fuzzer.messages.filter((m) => replyKey(m) !== null).length;
    for (let b = 0; expected.length < CASES; b++) {
      for (const i of fc.sample(input, { seed: SEED + b, numRuns: BATCH })) {
        expected.push(expectedReply(i));
        if ("text" in i) fuzzer.ws.send(i.text);
        else fuzzer.ws.send(i.binary, { binary: true });
      }
      dev.emit(dev.reading()); // the device keeps talking meanwhile
      replies += BATCH;
      await vi.waitFor(() => expect(replied()).toBeGreaterThanOrEqual(replies), { timeout: 10_000, interval: 5 });
      expectBounded(bridge, `ws batch ${b}`);
    }
    // A last resync: its snapshot is the final answer; nothing else may have been answered twice.
    const last = dev.reading();
    const got = watcher.next((m) => m.type === "readings" && m.rows.some((r) => r.seq === dev.readSeq - 1));
    dev.emit(last);
    await got;
    const keys = fuzzer.messages.map(replyKey).filter((k): k is string => k !== null).slice(1);
    expect(tally(keys)).toEqual(tally(expected));
    expect(fuzzer.closeCode).toBeNull();
    expect(keys.includes("auth:true")).toBe(false);
    // Guessing was slowed down: after the first few wrong tokens almost none were even compared.
    const k = bridge.state.counters;
    expect(k.wsAuthFailures).toBeLessThan(20);
    expect(k.wsAuthLockedOut).toBeGreaterThan(1000);
    const commands = dev.received.filter((m) => m.type !== "HELLO" && m.type !== "TIME" && m.type !== "AK");
    expect(commands).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Both clients got every reading, once.
    for (const c of [fuzzer, watcher]) expectEachSeqOnce(rowsOf(c.messages).map((r) => r.seq), firstSeq, dev.readSeq - 1);
    expect(bridge.state.counters.wsClients).toBe(2);
  }, 120_000);
});
