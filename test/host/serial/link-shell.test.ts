// The link's Node shell over serialport's MockBinding, injected (no module mock): port opened, handshake, readings, RESEND, a vanished port reopened, close.
import { SerialPortMock } from "serialport";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCounters } from "../../../host/domain/counters";
import { Link, type LinkItem } from "../../../host/serial/link";
import type { SeqRange } from "../../../host/core/reading-tracker";
import { MockSerialDevice } from "../../reliability/support/mock-serial-device";

let link: Link | null = null;
let ticker: NodeJS.Timeout | null = null;
afterEach(async () => {
  if (ticker) clearInterval(ticker);
  ticker = null;
  await link?.close();
  link = null;
});

// @serialport/binding-mock's MockBinding, as serialport re-exports it (the instance the mock device registers its ports on).
const MockBinding = SerialPortMock.binding;

function start(path: string) {
  const items: LinkItem[] = [];
  const lost: SeqRange[] = [];
  const states: string[] = [];
  const l = new Link({ port: path, binding: MockBinding }, { onState: (s) => void states.push(s), onBatch: (b) => void items.push(...b), onLost: (r) => void lost.push(...r) }, createCounters());
  link = l;
  ticker = setInterval(() => l.tick(), 100); // the owner's one ticker
  return { l, items, lost, states };
}

describe("Link shell on an injected MockBinding", () => {
  it("handshakes (HELLO, TIME), relays readings, fills a gap by RESEND with the row marked resent", async () => {
    const path = "/dev/tg-shell-" + process.pid + "-a";
    const dev = MockSerialDevice.create(path, { channels: 2 });
    const { l, items, lost, states } = start(path);
    await l.start();
    expect(states).toContain("up");
    await vi.waitFor(() => expect(dev.received.map((m) => m.type).slice(0, 2)).toEqual(["HELLO", "TIME"]), { interval: 5 });
    dev.emit(dev.reading() + dev.reading());
    dev.reading(); // seq 2 is dropped in transit; the device keeps it for RESEND
    dev.emit(dev.reading());
    await vi.waitFor(() => expect(items.filter((i) => i.msg.type === "R").length).toBe(4), { interval: 5 });
    expect(items.find((i) => i.resent)?.msg).toMatchObject({ type: "R", seq: 2 });
    expect(dev.received.find((m) => m.type === "RESEND")).toMatchObject({ from: 2, count: 1 });
    expect(lost).toEqual([]);
  });

  it("a closed port is reopened and the link is back up; pending commands are refused while it is down", async () => {
    const path = "/dev/tg-shell-" + process.pid + "-b";
    MockSerialDevice.create(path, { channels: 2 });
    const { l, states } = start(path);
    await l.start();
    const port = (l as unknown as { port: { close(cb: () => void): void } }).port;
    await new Promise<void>((r) => port.close(() => r()));
    await vi.waitFor(() => expect(states.at(-1)).toBe("up"), { interval: 5 });
    expect(states).toContain("reconnecting");
    await l.close();
    expect(await l.send({ type: "PAUSE", seconds: 5 })).toMatchObject({ outcome: "REFUSED", reason: "LINK_DOWN" });
  });
});
