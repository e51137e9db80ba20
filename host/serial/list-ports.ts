// Lists serial ports: SerialPort.list(), or a sysfs scan on Linux systems without udevadm.
//
// @serialport/bindings-cpp 13 lists Linux ports by spawning `udevadm info -e` without an error
// handler: where udevadm is missing (containers, minimal images) the spawn error is uncaught and
// kills the process. So on Linux we check for udevadm first and otherwise read /sys/class/tty.
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { SerialPort } from "serialport";

/** A port as SerialPort.list() describes it (the fields the bridge uses). */
export interface PortDescription {
  path: string;
  vendorId?: string;
  productId?: string;
  manufacturer?: string;
  serialNumber?: string;
}

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((d) => d && existsSync(path.join(d, cmd)));
}

function readTrim(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Serial ports with a physical device behind them, from /sys/class/tty (Linux). `sysRoot` is for tests. */
export function listPortsSysfs(sysRoot = "/sys"): PortDescription[] {
  const ttyDir = path.join(sysRoot, "class/tty");
  let names: string[];
  try {
    names = readdirSync(ttyDir);
  } catch {
    return [];
  }
  const out: PortDescription[] = [];
  for (const name of names) {
    const devLink = path.join(ttyDir, name, "device");
    if (!existsSync(devLink)) continue; // virtual consoles and ptys have no device
    const desc: PortDescription = { path: "/dev/" + name };
    // Walk up from the interface to the USB device directory that carries idVendor / idProduct.
    let dir = realpathSync(devLink);
    for (let i = 0; i < 6 && dir.length > 1; i++, dir = path.dirname(dir)) {
      const vid = readTrim(path.join(dir, "idVendor"));
      if (vid) {
        desc.vendorId = vid;
        desc.productId = readTrim(path.join(dir, "idProduct"));
        desc.manufacturer = readTrim(path.join(dir, "manufacturer"));
        desc.serialNumber = readTrim(path.join(dir, "serial"));
        break;
      }
    }
    out.push(desc);
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Lists serial ports without ever crashing the process. */
export async function listPorts(): Promise<PortDescription[]> {
  if (process.platform === "linux" && !onPath("udevadm")) return listPortsSysfs();
  try {
    return await SerialPort.list();
  } catch {
    return process.platform === "linux" ? listPortsSysfs() : [];
  }
}
