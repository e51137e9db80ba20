// One-paragraph description of the machine a benchmark ran on.
import os from "node:os";

export function describeMachine(): string {
  const cpus = os.cpus();
  return [
    `${cpus.length} x ${cpus[0]?.model ?? "unknown CPU"}`,
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    `${os.type()} ${os.release()} ${os.arch()}`,
    `Node ${process.version}`,
    `load average at start ${os.loadavg().map((l) => l.toFixed(2)).join(" / ")}`,
  ].join(", ");
}
