// Security edges not covered by test/host/bridge-security.test.ts: limit bounds on both ends (every parameter, every edge,
// raw LIM over the pty to the real device runtime), Origin / Host variants, the payload cap boundary, control per connection.
import { connect as tcpConnect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startNodeDevice, type NodeDevice } from "../../device/node/node-device";
import { startBridge } from "../../host/bridge";
import { WS_MAX_CLIENT_PAYLOAD_BYTES } from "../../host/ws/ws-messages";
import { checkLimit, DEFAULT_LIMITS, frame, LIMIT_BOUNDS, LIMIT_FIELD, LIMIT_PARAMS, type DeviceMessage, type LimitParam } from "../../protocol";
import { openPtyPair } from "../../sim/pty-pair";
import { ScriptedSource } from "../device/runtime-harness";
import { SerialHost } from "../device/serial-host";
import { startRig, type Rig } from "../host/helpers/rig";
import { TestClient } from "../host/helpers/ws-client";
import { NO_RATE_LIMITS } from "../host/ws/no-rate-limits";

let cleanup: (() => Promise<unknown>)[] = [];
let rig: Rig | undefined;
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
  await rig?.close();
  rig = undefined;
});

const CHANNELS = [
  { label: "canal", role: "nerve" as const, tc: "SIM" as const, chip: "SIM" as const },
  { label: "zone", role: "ablation" as const, tc: "SIM" as const, chip: "SIM" as const },
];

async function realDevice(): Promise<{ pty: Awaited<ReturnType<typeof openPtyPair>>; device: NodeDevice }> {
  const pty = await openPtyPair();
  cleanup.push(() => pty.close());
  const device = await startNodeDevice({ portPath: pty.devicePath, source: new ScriptedSource([() => 37, () => 37]), channels: CHANNELS, deviceId: "SEC-1" });
  cleanup.push(() => device.stop());
  return { pty, device };
}

/** Every parameter at and just beyond both bounds, plus the wire's extremes. */
const CASES: [LimitParam, number][] = LIMIT_PARAMS.flatMap((p) => {
  const b = LIMIT_BOUNDS[p];
  return [b.min - 1, b.min, b.max, b.max + 1, 0, 100_000].map((v) => [p, v] as [LimitParam, number]);
});

describe("limits outside the safe bounds", () => {
  it("are refused by the device itself: raw LIM lines over the pty get N RANGE / N ORDER exactly when protocol/limits.ts says so", async () => {
    const { pty } = await realDevice();
    const host = await SerialHost.open(pty.hostPath);
    cleanup.push(() => host.close());
    host.send({ type: "HELLO", seq: 1, major: 1, minor: 0 });
    await host.waitFor((m) => m.type === "K" && m.cmd === 1);
    let id = 100;
    for (const [param, value] of CASES) {
      const cmd = ++id;
      const want = checkLimit(DEFAULT_LIMITS, param, value);
      host.send({ type: "LIM", seq: cmd, param, value });
      const answer = await host.waitFor<DeviceMessage>((m) => (m.type === "K" || m.type === "N") && m.cmd === cmd);
      const what = `LIM ${param} ${value}`;
      if (want === "") {
        expect(answer.type, what).toBe("K");
        // The new limits arrive just before the K, so a host acting on the K already knows them.
        const lm = host.received[host.received.indexOf(answer) - 1] as Extract<DeviceMessage, { type: "LM" }>;
        expect(lm.type, what).toBe("LM");
        expect(lm[LIMIT_FIELD[param]], what).toBe(value);
        // Back to the default so every case starts from the same limits.
        host.send({ type: "LIM", seq: ++id, param, value: DEFAULT_LIMITS[LIMIT_FIELD[param]] });
        await host.waitFor((m) => m.type === "K" && m.cmd === id);
      } else expect(answer, what).toMatchObject({ type: "N", reason: want });
    }
    // Beyond the wire's own range, and an unknown parameter: a bad argument is RANGE too.
    host.port.write(frame("$LIM,900,INTERVENE,100001") + frame("$LIM,901,HOT,4100") + frame("$LIM,902,INTERVENE,-1"));
    for (const cmd of [900, 901, 902]) expect(await host.waitFor((m) => m.type === "N" && m.cmd === cmd)).toMatchObject({ reason: "RANGE" });
    // And nothing of it stuck: the limits in force are still the defaults.
    host.send({ type: "HELLO", seq: 903, major: 1, minor: 0 });
    const lm = await host.waitFor<Extract<DeviceMessage, { type: "LM" }>>((m) => m.type === "LM", 2000, host.received.length);
    expect({ ...lm, type: undefined, seq: undefined }).toEqual({ ...DEFAULT_LIMITS, type: undefined, seq: undefined });
  }, 30_000);

  it("are refused by the bridge before anything is sent, for every parameter and edge; the allowed ones reach the real device", async () => {
    const { pty, device } = await realDevice();
    const sentToDevice: string[] = [];
    const link = device.runtime.link as unknown as { handle(m: { type: string }, now: number): void };
    const handle = link.handle.bind(link);
    link.handle = (m, now) => {
      if (m.type === "LIM") sentToDevice.push(JSON.stringify(m));
      handle(m, now);
    };
    // Every edge of every parameter, back to back: the command rate is lifted (it is tested in test/host/ws).
    const bridge = await startBridge({ port: pty.hostPath, listen: "127.0.0.1:0", recordDir: null, token: "sec-token-0123456789", wsLimits: NO_RATE_LIMITS });
    cleanup.push(() => bridge.close());
    const c = await TestClient.connect(bridge.wsUrl);
    cleanup.push(async () => c.close());
    c.send({ type: "hello", token: "sec-token-0123456789" });
    await c.next((m) => m.type === "auth" && m.control);
    let id = 0;
    for (const [param, value] of CASES) {
      const want = checkLimit(DEFAULT_LIMITS, param, value);
      const before = sentToDevice.length;
      const r = await c.command(++id, { name: "setLimit", param, value });
      const what = `setLimit ${param} ${value}`;
      if (want === "") {
        expect(r, what).toMatchObject({ ok: true, outcome: "ACK" });
        expect(sentToDevice.length, what).toBe(before + 1);
        expect(await c.command(++id, { name: "setLimit", param, value: DEFAULT_LIMITS[LIMIT_FIELD[param]] })).toMatchObject({ ok: true });
      } else {
        expect(r, what).toMatchObject({ ok: false, outcome: "REFUSED", reason: want });
        expect(sentToDevice.length, what + ": nothing sent").toBe(before);
      }
    }
    // Not an integer, or not a parameter: refused by the schema, never sent.
    const before = sentToDevice.length;
    for (const bad of [{ param: "INTERVENE", value: 4100.5 }, { param: "HOT", value: 4100 }, { param: "INTERVENE", value: "4100" }]) {
      c.send({ type: "command", id: "bad", command: { name: "setLimit", ...bad } });
      expect(await c.next((m) => m.type === "error")).toMatchObject({ code: "BAD_MESSAGE" });
    }
    expect(sentToDevice.length).toBe(before);
  }, 30_000);
});

/** Status of a raw upgrade request (so the Host header can be left out or set freely). */
function rawUpgrade(port: number, headers: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect(port, "127.0.0.1", () => {
      s.write(["GET /ws HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13", ...headers, "", ""].join("\r\n"));
    });
    let data = "";
    s.on("data", (d) => {
      data += d.toString();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m) {
        resolve(Number(m[1]));
        s.destroy();
      }
    });
    s.on("error", reject);
    s.on("close", () => resolve(/^HTTP\/1\.1 (\d{3})/.exec(data) ? Number(/^HTTP\/1\.1 (\d{3})/.exec(data)![1]) : -1));
  });
}

describe("WebSocket edges", () => {
  it("refuses Origin null, another scheme or port of its own host, and a missing or foreign Host; accepts its own", async () => {
    rig = await startRig();
    const port = Number(new URL(rig.bridge.wsUrl).port);
    const own = `127.0.0.1:${port}`;
    expect(await rawUpgrade(port, [`Host: ${own}`])).toBe(101);
    expect(await rawUpgrade(port, [`Host: ${own}`, `Origin: http://${own}`])).toBe(101);
    expect(await rawUpgrade(port, [`Host: LOCALHOST:${port}`, `Origin: HTTP://LOCALHOST:${port}`])).toBe(101);
    for (const refused of [
      [`Host: ${own}`, "Origin: null"],
      [`Host: ${own}`, `Origin: https://${own}`],
      [`Host: ${own}`, `Origin: http://${own}.evil.example`],
      [`Host: ${own}`, `Origin: http://127.0.0.1:${port + 1}`],
      [`Host: ${own}`, `Origin: http://127.0.0.1`],
      [], // no Host at all
      [`Host: 127.0.0.1`], // without the port
      [`Host: 127.0.0.2:${port}`],
      [`Host: ${own}.evil.example`],
      [`Host: [::1]:${port + 1}`],
    ]) expect(await rawUpgrade(port, refused), refused.join(" | ")).toBe(403);
  });

  it(`accepts a frame of exactly ${WS_MAX_CLIENT_PAYLOAD_BYTES} bytes and closes on one byte more (1009)`, async () => {
    rig = await startRig();
    const c = await rig.connect();
    await c.waitFor((m) => m.type === "snapshot");
    const padded = (n: number) => {
      const base = JSON.stringify({ type: "resync", pad: "" });
      return JSON.stringify({ type: "resync", pad: "x".repeat(n - base.length) });
    };
    expect(Buffer.byteLength(padded(WS_MAX_CLIENT_PAYLOAD_BYTES))).toBe(WS_MAX_CLIENT_PAYLOAD_BYTES);
    c.send(padded(WS_MAX_CLIENT_PAYLOAD_BYTES));
    expect(await c.next((m) => m.type === "snapshot")).toBeTruthy();
    c.send(padded(WS_MAX_CLIENT_PAYLOAD_BYTES + 1));
    await c.waitClose();
    expect(c.closeCode).toBe(1009);
  });

  it("gives control per connection only, never for an over-long token, and commands keep needing it after a failed hello", async () => {
    rig = await startRig();
    const a = await rig.connect();
    const b = await rig.connect();
    a.send({ type: "hello", token: "test-token-0123456789" });
    expect(await a.next((m) => m.type === "auth")).toMatchObject({ control: true });
    expect(await b.command(1, { name: "pause", seconds: 5 })).toMatchObject({ ok: false, reason: "UNAUTHORIZED" });
    b.send({ type: "hello", token: "test-token-0123456789" + "x".repeat(130) });
    expect(await b.next((m) => m.type === "error")).toMatchObject({ code: "BAD_MESSAGE" });
    expect(await b.command(2, { name: "pause", seconds: 5 }, "")).toMatchObject({ ok: false, reason: "UNAUTHORIZED" });
    // a later wrong hello takes control away again
    a.send({ type: "hello", token: "nope" });
    expect(await a.next((m) => m.type === "auth")).toMatchObject({ control: false });
    expect(await a.command(3, { name: "pause", seconds: 5 })).toMatchObject({ ok: false, reason: "UNAUTHORIZED" });
    expect(rig.device.received.filter((m) => m.type === "PAUSE")).toHaveLength(0);
  });

  it("refuses to start with an empty control token (it would give anyone control)", async () => {
    const { pty } = await realDevice();
    for (const token of ["", "   "]) {
      const started = startBridge({ port: pty.hostPath, listen: "127.0.0.1:0", recordDir: null, token });
      started.then((b) => b.close(), () => {});
      await expect(started).rejects.toThrow(/^token: /);
    }
  });
});
