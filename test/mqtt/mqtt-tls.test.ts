// MQTT over TLS with a real Mosquitto: a room and the central station over mqtts:// with the site's CA; a certificate the given CA did not sign, and plain mqtt:// to the TLS port, are refused with a clear error naming the broker.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemo } from "../../apps/demo-wiring";
import { startPrivateBroker, type PrivateBroker } from "../../apps/rooms-demo-broker";
import { startCentral } from "../../host/central/central-server";
import { waitFor } from "./support/mqtt-fixtures";

const SITE = "tls";

function openssl(dir: string, args: string[]): void {
  const r = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.error?.message ?? r.stderr}`);
}

/** In `dir`: a CA (ca.pem), a server certificate for 127.0.0.1 signed by it (server.pem, server.key), and an unrelated CA (rogue.pem). */
async function makeCertificates(dir: string): Promise<void> {
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const ca = ["-days", "2", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"];
  openssl(dir, ["req", "-x509", ...key, "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=thermoguard test site CA", ...ca]);
  openssl(dir, ["req", "-x509", ...key, "-keyout", "rogue.key", "-out", "rogue.pem", "-subj", "/CN=some other CA", ...ca]);
  openssl(dir, ["req", ...key, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
  await writeFile(path.join(dir, "server.ext"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
  openssl(dir, ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext"]);
}

describe("MQTT over TLS with Mosquitto", () => {
  let dir = "";
  let broker: PrivateBroker;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "tg-tls-"));
    await makeCertificates(dir);
    broker = await startPrivateBroker([{ site: SITE, room: "or-1", user: "or-1" }], { tls: { certFile: path.join(dir, "server.pem"), keyFile: path.join(dir, "server.key") } });
  }, 60_000);

  afterAll(async () => {
    await broker?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("a room publishes and the central station follows it over mqtts:// with the site's CA", async () => {
    expect(broker.urlFor("or-1").startsWith("mqtts://")).toBe(true);
    const ca = path.join(dir, "ca.pem");
    const central = await startCentral({ broker: { url: broker.urlFor("central"), caFile: ca }, listen: "127.0.0.1:0" });
    const demo = await startDemo({ scenario: "synthetic-step", timeScale: 2, seed: 1, listen: "127.0.0.1:0", recordDir: null, mqtt: { broker: { url: broker.urlFor("or-1"), caFile: ca }, site: SITE, room: "or-1" } });
    try {
      expect(await demo.bridge.mqtt!.ready()).toBeNull();
      const room = `${SITE}/or-1/${demo.bridge.state.device!.deviceId}`;
      const tile = await waitFor(() => central.state.tiles(Date.now()).find((t) => t.room === room && t.worstNerveCc !== null), "readings at the central station over TLS");
      // a body-temperature start (synthetic-step rests at 37 degC before its step)
      expect(tile.worstNerveCc).toBeGreaterThan(3600);
      expect(tile.worstNerveCc).toBeLessThan(4600);
      expect(demo.bridge.state.alarms.get("host:MQTT_DOWN")).toBeUndefined();
    } finally {
      await demo.close();
      await central.close();
    }
  }, 60_000);

  it("a broker certificate the given CA did not sign is refused as MQTT_TLS, naming the broker, never the password; the bedside shows MQTT_DOWN", async () => {
    const demo = await startDemo({ scenario: "synthetic-step", timeScale: 2, seed: 1, listen: "127.0.0.1:0", recordDir: null, mqtt: { broker: { url: broker.urlFor("or-1"), caFile: path.join(dir, "rogue.pem") }, site: SITE, room: "or-1" } });
    try {
      const err = await demo.bridge.mqtt!.ready();
      expect(err?.code).toBe("MQTT_TLS");
      expect(err?.message).toContain("certificate");
      expect(err?.message).toContain(`mqtts://or-1@127.0.0.1:${broker.port}`);
      expect(err?.message).not.toContain(broker.users["or-1"]);
      await waitFor(() => demo.bridge.state.alarms.get("host:MQTT_DOWN"), "MQTT_DOWN at the bedside");
      expect(demo.bridge.state.link.state).toBe("up"); // the bedside itself goes on
    } finally {
      await demo.close();
    }
  }, 60_000);

  it("plain mqtt:// to the TLS port fails with an error naming the broker and pointing at mqtts://, and the bedside shows MQTT_DOWN", async () => {
    const plain = broker.urlFor("or-1").replace(/^mqtts:/, "mqtt:");
    const demo = await startDemo({ scenario: "synthetic-step", timeScale: 2, seed: 1, listen: "127.0.0.1:0", recordDir: null, mqtt: { broker: { url: plain }, site: SITE, room: "or-1" } });
    try {
      const err = await demo.bridge.mqtt!.ready();
      expect(err).not.toBeNull();
      expect(err?.code).toBe("MQTT_UNREACHABLE");
      expect(err?.message).toContain(`mqtt://or-1@127.0.0.1:${broker.port}`);
      expect(err?.message).toContain("use mqtts://");
      expect(err?.message).not.toContain(broker.users["or-1"]);
      await waitFor(() => demo.bridge.state.alarms.get("host:MQTT_DOWN"), "MQTT_DOWN at the bedside");
    } finally {
      await demo.close();
    }
  }, 60_000);
});
