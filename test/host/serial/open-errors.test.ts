// Opening the link: stable error codes (not found, busy, permission, wrong device, version), auto-detect by USB id + HELLO.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { SerialPort } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { startBridge, type Bridge } from "../../../host/bridge";
import { isKnownUsbId } from "../../../host/serial/known-devices";
import { listPortsSysfs } from "../../../host/serial/list-ports";
import { classifyOpenError } from "../../../host/serial/serial-errors";
import { openPtyPair, type PtyPair } from "../../../sim/pty-pair";
import { FakeDevice } from "../helpers/fake-device";

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function pair(): Promise<PtyPair> {
  const p = await openPtyPair();
  cleanup.push(() => p.close());
  return p;
}
async function device(opts: Parameters<typeof FakeDevice.open>[0]): Promise<FakeDevice> {
  const d = await FakeDevice.open(opts);
  cleanup.push(() => d.close());
  return d;
}
async function bridge(opts: Parameters<typeof startBridge>[0]): Promise<Bridge> {
  const b = await startBridge({ listen: "127.0.0.1:0", recordDir: null, helloTimeoutMs: 600, ...opts });
  cleanup.push(() => b.close());
  return b;
}

describe("opening the serial link", () => {
  it("PORT_NOT_FOUND for a path that does not exist", async () => {
    await expect(bridge({ port: "/tmp/thermoguard-no-such-port" })).rejects.toMatchObject({ code: "PORT_NOT_FOUND" });
  });

  it("PORT_BUSY when another program holds the port", async () => {
    const p = await pair();
    const holder = new SerialPort({ path: p.hostPath, baudRate: 115200, autoOpen: false });
    await new Promise<void>((r, j) => holder.open((e) => (e ? j(e) : r())));
    cleanup.push(() => new Promise((r) => holder.close(r)));
    await expect(bridge({ port: p.hostPath })).rejects.toMatchObject({ code: "PORT_BUSY", message: expect.stringContaining("another program") });
  });

  it("WRONG_DEVICE when nothing answers HELLO in time", async () => {
    const p = await pair();
    await device({ path: p.devicePath, answerHello: false });
    const t0 = Date.now();
    await expect(bridge({ port: p.hostPath })).rejects.toMatchObject({ code: "WRONG_DEVICE" });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
  });

  it("VERSION_MISMATCH for a device of another protocol major, showing both versions", async () => {
    const p = await pair();
    await device({ path: p.devicePath, major: 2 });
    await expect(bridge({ port: p.hostPath })).rejects.toMatchObject({ code: "VERSION_MISMATCH", message: expect.stringMatching(/2\.0.*1\.0/) });
  });

  it.skipIf(process.getuid?.() === 0)("PERMISSION_DENIED when the port is not accessible", async () => {
    const p = await pair();
    const { realpathSync, chmodSync } = await import("node:fs");
    chmodSync(realpathSync(p.hostPath), 0o000);
    await expect(bridge({ port: p.hostPath })).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
  });

  it("classifies errno / serialport messages into stable codes", () => {
    expect(classifyOpenError(Object.assign(new Error("Error: Permission denied, cannot open /dev/ttyACM0"), { code: "EACCES" }), "/dev/ttyACM0")).toMatchObject({ code: "PERMISSION_DENIED", message: expect.stringContaining("dialout") });
    expect(classifyOpenError(new Error("Error Resource temporarily unavailable Cannot lock port"), "/dev/x").code).toBe("PORT_BUSY");
    expect(classifyOpenError(new Error("Error: No such file or directory, cannot open /dev/x"), "/dev/x").code).toBe("PORT_NOT_FOUND");
    expect(classifyOpenError(new Error("weird"), "/dev/x").code).toBe("OPEN_FAILED");
  });

  it("auto: NO_PORT when no port or no known board is listed", async () => {
    await expect(bridge({ port: "auto", listPorts: async () => [] })).rejects.toMatchObject({ code: "NO_PORT" });
    await expect(bridge({ port: "auto", listPorts: async () => [{ path: "/dev/ttyS0" }] })).rejects.toMatchObject({ code: "NO_PORT", message: expect.stringContaining("--any-port") });
  });

  it("auto: skips a known-id port that does not answer HELLO and connects to the one that does", async () => {
    const silent = await pair();
    await device({ path: silent.devicePath, answerHello: false });
    const good = await pair();
    await device({ path: good.devicePath, deviceId: "AUTO-1" });
    const b = await bridge({
      port: "auto",
      listPorts: async () => [
        { path: "/dev/ttyUSB9", vendorId: "1a86", productId: "7523" }, // unknown id: not tried
        { path: silent.hostPath, vendorId: "0483", productId: "5740" },
        { path: good.hostPath, vendorId: "2E8A", productId: "000A" },
      ],
    });
    expect(b.state.device?.deviceId).toBe("AUTO-1");
    expect(b.link.portPath).toBe(good.hostPath);
  });

  it("lists USB serial ports from sysfs with their vendor / product ids (no udevadm needed)", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "tg-sysfs-"));
    cleanup.push(() => rm(root, { recursive: true, force: true }));
    const usb = path.join(root, "devices/pci0000:00/usb1/1-1");
    await mkdir(path.join(usb, "1-1:1.0"), { recursive: true });
    await writeFile(path.join(usb, "idVendor"), "0483\n");
    await writeFile(path.join(usb, "idProduct"), "5740\n");
    await writeFile(path.join(usb, "manufacturer"), "Espruino\n");
    await mkdir(path.join(root, "class/tty/ttyACM0"), { recursive: true });
    await symlink(path.join(usb, "1-1:1.0"), path.join(root, "class/tty/ttyACM0/device"));
    await mkdir(path.join(root, "class/tty/tty1"), { recursive: true }); // a console: no device link
    const ports = listPortsSysfs(root);
    expect(ports).toEqual([{ path: "/dev/ttyACM0", vendorId: "0483", productId: "5740", manufacturer: "Espruino", serialNumber: undefined }]);
    expect(isKnownUsbId(ports[0].vendorId, ports[0].productId)).toBe(true);
  });
});
