// Serial-side fuzz, in-process: 120,000 hostile lines and byte runs through the bridge's real pipeline (serialport stream on MockBinding -> bounded line parser -> decode -> zod -> link -> state -> ws).
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startBridge, type Bridge } from "../../host/bridge";
import { DEVICE_MESSAGES, encode, type Message } from "../../protocol";
import { messageArb } from "../protocol/arbitraries";
import { TestClient } from "../host/helpers/ws-client";
import { NO_RATE_LIMITS } from "../host/ws/no-rate-limits";
import { expectBounded, expectEachSeqOnce, rowsOf } from "./support/bridge-probes";
import { MockSerialDevice } from "./support/mock-serial-device";
import { badSegment, Tally } from "./support/serial-fuzz-model";

vi.mock("serialport", async (importOriginal) => {
  const real = await importOriginal<typeof import("serialport")>();
  return { ...real, SerialPort: real.SerialPortMock };
});

/** Bad cases in this file (the pty file adds its share). */
const CASES = 120_000;
const BATCH = 4_000;
/** One valid reading after every this many bad segments. */
const VALID_EVERY = 3;
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function start(): Promise<{ dev: MockSerialDevice; bridge: Bridge; client: TestClient }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tg-rel-fuzz-"));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  // 20 Hz, the protocol's fastest rate: the fuzz sends tens of thousands of readings in seconds, and the bridge
  // (rightly) refuses device time running more than 1000x ahead of host time (TIME_RANGE).
  const dev = MockSerialDevice.create("/dev/tg-fuzz-" + randomUUID(), { channels: 4, maxReadSize: 61, rateHz: 20 });
  // Resync rate lifted: a snapshot after each hostile batch is this test's probe (the rate is tested in test/host/ws).
  // The watchdog judges a device silent for 10 s lost, not 2.5 s: the mock device sends nothing while the next
  // hostile batch is drawn, which takes seconds on a loaded machine (the watchdog has its own explicit-time tests).
  const bridge = await startBridge({ port: dev.path, listen: "127.0.0.1:0", recordDir: path.join(dir, "rec"), token: "fuzz-token-0123456789", wsLimits: NO_RATE_LIMITS, staleAfterMs: 10_000 });
  cleanup.push(() => bridge.close());
  const client = await TestClient.connect(bridge.wsUrl);
  cleanup.push(async () => client.close());
  await client.waitFor((m) => m.type === "snapshot");
  // TIME goes out once the link is up; its K is the last line of the handshake.
  await vi.waitFor(() => expect(dev.received.some((m) => m.type === "TIME")).toBe(true));
  await vi.waitFor(() => expect(bridge.state.counters.commandsAcked).toBeGreaterThanOrEqual(2));
  return { dev, bridge, client };
}

describe(`serial fuzz in-process (seed ${SEED}; rerun with FUZZ_SEED=${SEED})`, () => {
  it(`${CASES} bad lines between valid readings: no crash, buffers capped, each bad line counted by reason, every reading delivered once`, async () => {
    const { dev, bridge, client } = await start();
    const c = bridge.state.counters;
    const linesBefore = c.lines;
    const otherBefore = dev.otherSeq;
    const firstSeq = dev.readSeq;
    const tally = new Tally();
    let sent = 0;
    for (let b = 0; sent < CASES; b++) {
      const segs = fc.sample(badSegment, { seed: SEED + b, numRuns: BATCH });
      let out = "";
      for (const s of segs) {
        if (!tally.add(s)) continue; // the mutation happened to leave a valid device line
        out += s + "\n";
        if (++sent % VALID_EVERY === 0) out += dev.reading([3700 + (sent % 500), "OC", -150, 4215]);
        if (sent === CASES) break;
      }
      const last = dev.readSeq - 1;
      const got = client.next((m) => m.type === "readings" && m.rows.some((r) => r.seq === last), 10_000);
      dev.emit(out);
      await got;
      expectBounded(bridge, `after batch ${b}`);
    }
    const lastSeq = dev.readSeq - 1;
    expectEachSeqOnce(rowsOf(client.messages).map((r) => r.seq), firstSeq, lastSeq);
    expect(c.badLines).toEqual(tally.reasons);
    const asm = bridge.link.parser!.assembler;
    expect(c.droppedBytes).toBe(tally.droppedBytes);
    const prefixCounted = asm.junk + asm.overlong - tally.overlong;
    expect(prefixCounted).toBeGreaterThanOrEqual(tally.prefixMin);
    expect(prefixCounted).toBeLessThanOrEqual(tally.prefixMax);
    expect(c.lines - linesBefore).toBe(lastSeq - firstSeq + 1 + (dev.otherSeq - otherBefore));
    expect(c).toMatchObject({ readGaps: 0, readDuplicates: 0, readLost: 0, reconnects: 0 });
    expect(bridge.link.state).toBe("up");
    expect(client.messages.some((m) => m.type === "alarm" && m.alarm.source === "host")).toBe(false);
    expect(tally.segments).toBe(CASES);
  }, 120_000);

  it("20,000 well-formed device lines with hostile field values (any type, any seq, any alarm id): state stays bounded and the bridge keeps serving", async () => {
    const { dev, bridge, client } = await start();
    const types = Object.keys(DEVICE_MESSAGES).filter((t) => t !== "HI");
    // HI rarely (each new device id / session opens a recording file); another protocol major
    // would (rightly) make the bridge refuse the device for good.
    const arb = fc.oneof(...types.map((t) => ({ weight: 20, arbitrary: messageArb(t) })), { weight: 1, arbitrary: messageArb("HI").map((m) => ({ ...m, major: 1 }) as Message) });
    const resyncAnswered = async () => {
      const snap = client.next((m) => m.type === "snapshot", 10_000);
      client.send({ type: "resync" });
      await snap;
    };
    // A hostile HI can (rightly) make the real lines look wrong until the bridge re-handshakes: wait for the link each batch.
    const linkUp = () => vi.waitFor(() => expect(bridge.link.state).toBe("up"), { timeout: 20_000, interval: 20 });
    for (let b = 0; b < 8; b++) {
      await linkUp();
      dev.emit(fc.sample(arb, { seed: SEED + 1000 + b, numRuns: 2000 }).map((m) => encode(m)).join(""));
      await resyncAnswered(); // the relay still answers after the batch
      expectBounded(bridge, `after hostile batch ${b}`);
    }
    // A device that raises alarm after alarm (in seq order, so each is processed) and never clears one.
    const alarm = messageArb("A").map((m) => ({ ...m, action: "RAISE", active: 1 }) as Message);
    for (let b = 0; b < 2; b++) {
      await linkUp();
      const next = bridge.link.alarms.next;
      dev.emit(fc.sample(alarm, { seed: SEED + 2000 + b, numRuns: 2000 }).map((m, i) => encode({ ...m, seq: next + i } as Message)).join(""));
      await resyncAnswered();
      expectBounded(bridge, `after alarm flood ${b}`);
    }
    // Lines that decode but contradict the device's HI or their own past are refused by the line check, counted by code.
    const bad = bridge.state.counters.badLines;
    expect(Object.keys(bad).filter((k) => !["CHANNEL_COUNT", "NO_SUCH_CHANNEL", "LIMIT_ORDER", "TIME_RANGE", "SEQ_JUMP", "BOOT_FLAP"].includes(k))).toEqual([]);
    const refused = Object.values(bad).reduce((a, b) => a + b, 0);
    expect(bridge.state.counters.lines + refused).toBeGreaterThanOrEqual(20_000);
  }, 120_000);
});
