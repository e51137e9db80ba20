// Hostile clients over real sockets: binary and oversize frames, JSON bombs, unknown types, connection floods, slow headers.
import { connect as tcpConnect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { WS_CLOSE_TOO_BIG, WS_CLOSE_TRY_AGAIN_LATER } from "../../../host/ws/close-codes";
import { DEFAULT_CONNECTION_CAPS } from "../../../host/ws/connection-caps";
import { WS_MAX_CLIENT_PAYLOAD_BYTES } from "../../../host/ws/ws-messages";
import { startRig, type Rig } from "../helpers/rig";
import { TestClient } from "../helpers/ws-client";

let rig: Rig | undefined;
const sockets: (Socket | WebSocket)[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) (s instanceof WebSocket ? s.terminate() : s.destroy());
  await rig?.close();
  rig = undefined;
});

/** Opens a raw WebSocket and resolves with its close code and reason (it must be closed by the bridge). */
function closedWith(url: string): Promise<{ code: number; reason: string }> {
  const ws = new WebSocket(url);
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.once("error", reject);
  });
}

describe("hostile clients", () => {
  it("binary frames, JSON bombs (2,000-deep nesting), unknown types and huge numbers: one error each, counted, the connection and the stream stay", async () => {
    rig = await startRig();
    const c = await rig.connect();
    await c.next((m) => m.type === "readings");
    const mark = c.messages.length;
    c.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true });
    c.send("[".repeat(2000) + "]".repeat(2000)); // 4,000 bytes: under the payload cap, 2,000 deep
    c.send('{"type":"hello","token":' + "[".repeat(2000) + "]".repeat(2000) + "}");
    c.send("{".repeat(2040)); // not JSON: cut off
    c.send({ type: "shutdown" });
    c.send({ type: "command", id: 1e308, command: { name: "pause", seconds: 1e308 } });
    c.send({ type: "command", id: 2, command: { name: "setLimit", param: "INTERVENE", value: 2 ** 53 } });
    await c.waitFor(() => c.messages.slice(mark).filter((m) => m.type === "error").length >= 7, 5000, mark).catch(() => {});
    const errors = c.messages.slice(mark).flatMap((m) => (m.type === "error" ? [m.code] : []));
    expect(errors).toEqual(["BINARY_NOT_SUPPORTED", "BAD_MESSAGE", "BAD_MESSAGE", "BAD_JSON", "BAD_MESSAGE", "BAD_MESSAGE", "BAD_MESSAGE"]);
    expect(rig.bridge.state.counters.wsBadMessages).toEqual({ BINARY_NOT_SUPPORTED: 1, BAD_MESSAGE: 5, BAD_JSON: 1 });
    // Still connected and still streaming.
    const seq = rig.device.readSeq;
    await c.next((m) => m.type === "readings" && m.rows.some((r) => r.seq >= seq));
    expect(c.closeCode).toBeNull();
    expect(rig.device.received.filter((m) => m.type !== "HELLO" && m.type !== "TIME" && m.type !== "AK")).toEqual([]);
  });

  it("a frame one byte over the payload cap closes that connection with 1009; one at the cap is answered", async () => {
    rig = await startRig();
    const at = await rig.connect();
    const over = await rig.connect();
    const pad = (n: number) => JSON.stringify({ type: "hello", client: "", x: "" }).length - n;
    const frame = (bytes: number) => JSON.stringify({ type: "hello", client: "", x: "y".repeat(-pad(bytes)) });
    expect(Buffer.byteLength(frame(WS_MAX_CLIENT_PAYLOAD_BYTES))).toBe(WS_MAX_CLIENT_PAYLOAD_BYTES);
    at.send(frame(WS_MAX_CLIENT_PAYLOAD_BYTES));
    over.send(frame(WS_MAX_CLIENT_PAYLOAD_BYTES + 1));
    expect(await at.next((m) => m.type === "auth")).toEqual({ type: "auth", control: false });
    await over.waitClose();
    expect(over.closeCode).toBe(WS_CLOSE_TOO_BIG);
    expect(at.closeCode).toBeNull();
  });

  it("the 17th connection from one address is closed at once with 1013 and the cap in its reason; the first 16 keep streaming", async () => {
    rig = await startRig();
    const open = await Promise.all(Array.from({ length: DEFAULT_CONNECTION_CAPS.perAddress }, () => rig!.connect()));
    expect(rig.bridge.relay.clientCount).toBe(16);
    const refused = await Promise.all([closedWith(rig.bridge.wsUrl), closedWith(rig.bridge.wsUrl)]);
    expect(refused).toEqual(Array(2).fill({ code: WS_CLOSE_TRY_AGAIN_LATER, reason: "TOO_MANY_FROM_ADDRESS: at most 16 from one address" }));
    expect(rig.bridge.state.counters.wsGuardCloses).toEqual({ TOO_MANY_FROM_ADDRESS: 2 });
    // A slot freed by a close is available again.
    open[0].close();
    await expect.poll(() => rig!.bridge.relay.clientCount).toBe(15);
    const again = await rig.connect();
    await again.waitFor((m) => m.type === "snapshot");
    const seq = rig.device.readSeq;
    await Promise.all(open.slice(1).map((c) => c.next((m) => m.type === "readings" && m.rows.some((r) => r.seq >= seq))));
  });

  it("the total cap: with 4 allowed, the 5th connection is closed with 1013 TOO_MANY_CONNECTIONS", async () => {
    rig = await startRig({}, { wsLimits: { connections: { perAddress: 16, total: 4 } } });
    await Promise.all([0, 1, 2, 3].map(() => rig!.connect()));
    expect(await closedWith(rig.bridge.wsUrl)).toEqual({ code: WS_CLOSE_TRY_AGAIN_LATER, reason: "TOO_MANY_CONNECTIONS: at most 4 in total" });
  });

  it("slowloris: sockets that never finish their upgrade headers are cut at the header deadline; other clients are unaffected", async () => {
    rig = await startRig({}, { wsLimits: { sockets: { headersTimeoutMs: 400 } } });
    const c = await rig.connect();
    const { port } = new URL(rig.bridge.url);
    const slow = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const s = tcpConnect(Number(port), "127.0.0.1");
        sockets.push(s);
        await new Promise((r) => s.once("connect", r));
        s.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"); // ... and never the rest
        return new Promise<void>((r) => s.once("close", () => r()));
      }),
    );
    await Promise.all(slow);
    expect(rig.bridge.state.counters.wsGuardCloses).toEqual({ HEADERS_TIMEOUT: 10 });
    const seq = rig.device.readSeq;
    await c.next((m) => m.type === "readings" && m.rows.some((r) => r.seq >= seq));
    expect(c.closeCode).toBeNull();
  });

  it("sockets over the per-address cap are dropped at once, before any header is read; the ones under it are served", async () => {
    rig = await startRig({}, { wsLimits: { sockets: { caps: { perAddress: 3, total: 256 } } } });
    const { port } = new URL(rig.bridge.url);
    const opened = Array.from({ length: 5 }, () => tcpConnect(Number(port), "127.0.0.1"));
    sockets.push(...opened);
    const closed = new Set<Socket>();
    await new Promise<void>((r) => opened.forEach((s) => s.once("close", () => (closed.add(s), closed.size === 2 && r()))));
    expect(rig.bridge.state.counters.wsGuardCloses).toEqual({ TOO_MANY_SOCKETS: 2 });
    await expect(TestClient.connect(rig.bridge.wsUrl)).rejects.toThrow(); // the 3 open sockets hold the address's slots
    const alive = opened.filter((s) => !closed.has(s));
    const answers = await Promise.all(
      alive.map((s) => {
        let text = "";
        s.on("data", (d: Buffer) => (text += d.toString()));
        s.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
        return new Promise<string>((r) => s.once("end", () => r(text.split("\r\n")[0])));
      }),
    );
    expect(answers).toEqual(Array(3).fill("HTTP/1.1 200 OK"));
  });
});

describe("malformed upgrades", () => {
  it("100 upgrade requests without a WebSocket key are refused (400) and hold no connection slot", async () => {
    rig = await startRig();
    const { port } = new URL(rig.bridge.url);
    const statuses = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const s = tcpConnect(Number(port), "127.0.0.1");
        sockets.push(s);
        let text = "";
        s.on("data", (d: Buffer) => (text += d.toString()));
        s.write(`GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n`);
        await new Promise((r) => s.once("close", r));
        return text.split("\r\n")[0];
      }),
    );
    expect(new Set(statuses)).toEqual(new Set(["HTTP/1.1 400 Bad Request"]));
    // All 16 slots of the address are still free.
    const ok = await Promise.all(Array.from({ length: 16 }, () => rig!.connect()));
    await Promise.all(ok.map((c) => c.waitFor((m) => m.type === "snapshot")));
    expect(rig.bridge.relay.clientCount).toBe(16);
  });
});
