// Serial-side fuzz over a real pty: bad lines and byte runs written by the device end between its own lines, into a running bridge.
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { startRig, type Rig } from "../host/helpers/rig";
import { expectBounded, expectEachSeqOnce, rowsOf } from "./support/bridge-probes";
import { badSegment, Tally } from "./support/serial-fuzz-model";

const CASES = 10_000;
const BATCH = 1_000;
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe(`serial fuzz over a pty (seed ${SEED}; rerun with FUZZ_SEED=${SEED})`, () => {
  it(`${CASES} bad lines interleaved with a device streaming at 20 Hz: each counted by reason, every reading delivered once, link stays up`, async () => {
    rig = await startRig({ rateHz: 20 });
    const c = await rig.connect();
    const first = await c.next((m) => m.type === "readings");
    const firstSeq = first.type === "readings" ? first.rows[0].seq : 0;
    const k = rig.bridge.state.counters;
    const asm = rig.bridge.link.parser!.assembler;
    const before = { bad: { ...k.badLines }, dropped: k.droppedBytes, junk: asm.junk, overlong: asm.overlong };
    expect(before.bad).toEqual({});
    const tally = new Tally();
    for (let b = 0; tally.segments < CASES; b++) {
      let out = "";
      for (const s of fc.sample(badSegment, { seed: SEED + 7000 + b, numRuns: BATCH })) if (tally.segments < CASES && tally.add(s)) out += s + "\n";
      // Each write ends with "\n", and the device's own lines go through the same port in order,
      // so no valid line is ever glued to garbage.
      rig.device.writeRaw(Buffer.from(out, "latin1"));
      // Let the device put readings between this batch and the next.
      const next = rig.device.readSeq + 1;
      await c.next((m) => m.type === "readings" && m.rows.some((r) => r.seq >= next), 10_000);
    }
    // A reading written after the last garbage: once it arrives, all the garbage has been processed.
    const after = rig.device.readSeq;
    await c.next((m) => m.type === "readings" && m.rows.some((r) => r.seq >= after), 10_000);
    expect(k.badLines).toEqual(tally.reasons);
    expect(k.droppedBytes - before.dropped).toBe(tally.droppedBytes);
    const prefixCounted = asm.junk - before.junk + asm.overlong - before.overlong - tally.overlong;
    expect(prefixCounted).toBeGreaterThanOrEqual(tally.prefixMin);
    expect(prefixCounted).toBeLessThanOrEqual(tally.prefixMax);
    const seqs = rowsOf(c.messages).map((r) => r.seq);
    // On a loaded machine an earlier reading can arrive after the first message (resent once the
    // handshake settled): the range starts at the lowest seq delivered, and it must be complete.
    expectEachSeqOnce(seqs, Math.min(firstSeq, ...seqs), Math.max(...seqs));
    expect(k).toMatchObject({ readGaps: 0, readLost: 0, readDuplicates: 0, reconnects: 0 });
    expect(c.messages.some((m) => m.type === "alarm" && m.alarm.cond === "LINK_LOST")).toBe(false);
    expectBounded(rig.bridge, "after pty fuzz");
  }, 60_000);
});
