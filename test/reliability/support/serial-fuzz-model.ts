// Hostile serial input for the bridge: bad-line generators (fast-check) and the expected accounting of each line, from PROTOCOL.md section 1.
import fc from "fast-check";
import { crc32, decode, DEVICE_MESSAGES, encode, hex8, MAX_LINE_BYTES } from "../../../protocol";
import { anyMessageArb } from "../../protocol/arbitraries";

/** Bytes the receiver keeps of an incomplete line (PROTOCOL.md section 1): more is an over-long line. */
export const MAX_HELD = MAX_LINE_BYTES - 1;

/**
 * What the receiver must do with one "\n"-terminated segment (latin1, one char per byte, no "\n"):
 * bytes before the last "$" (or a whole line without "$") are dropped and counted once as junk or
 * over-long (which of the two depends on where the serial chunks fall, so only the range of that
 * count is fixed); the frame from the last "$" is over-long beyond MAX_HELD bytes, else it is
 * decoded and counted by reason. Every dropped byte is counted exactly.
 */
export interface Expectation {
  /** Reason code of the decoded frame ("OK" when it is a valid device line), or null when no frame is decoded. */
  reason: string | null;
  /** Over-long frame (from the last "$"). */
  overlongFrame: boolean;
  /** Junk / over-long count of the part before the frame: between min and max. */
  prefixMin: number;
  prefixMax: number;
  droppedBytes: number;
}

export function expectSegment(s: string): Expectation {
  const d = s.lastIndexOf("$");
  if (d < 0) {
    const counted = s.length > 0 && s !== "\r";
    // Without a "$" nothing resets the discarding: one junk line or one over-long line.
    return { reason: null, overlongFrame: false, prefixMin: counted ? 1 : 0, prefixMax: counted ? 1 : 0, droppedBytes: counted ? s.length : 0 };
  }
  const prefix = s.slice(0, d);
  const tail = s.slice(d);
  // In one chunk the whole prefix is one stretch of junk; split over chunks, the bytes before the
  // first "$" and each frame started by a "$" of the prefix may each be counted (junk or over-long).
  const dollars = prefix.split("$").length - 1;
  const max = dollars + (prefix.length > 0 && prefix[0] !== "$" ? 1 : 0);
  const e: Expectation = { reason: null, overlongFrame: false, prefixMin: prefix.length > 0 ? 1 : 0, prefixMax: max, droppedBytes: prefix.length };
  if (tail.length > MAX_HELD) {
    e.overlongFrame = true;
    e.droppedBytes += tail.length;
  } else {
    const line = tail.endsWith("\r") ? tail.slice(0, -1) : tail;
    const r = decode(line);
    // A well-formed host command coming from the device fails the bridge's device-message schema.
    e.reason = !r.ok ? r.code : Object.prototype.hasOwnProperty.call(DEVICE_MESSAGES, r.msg.type) ? "OK" : "SCHEMA";
  }
  return e;
}

const latin1 = (codes: number[]) => String.fromCharCode(...codes);

/** A valid line of any message type, without its "\n". */
const validBody = anyMessageArb.map((m) => encode(m).slice(0, -1));

/** Re-frames a body with a correct CRC (so the decoder gets past the CRC to the field checks). */
function reframe(body: string): string {
  return body + "*" + hex8(crc32(body));
}

/** Byte-level mutations of a valid line. */
const mutated: fc.Arbitrary<string> = fc
  .tuple(validBody, fc.integer({ min: 0, max: 1 << 30 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 11 }))
  .map(([line, pos0, byte, op]) => {
    const pos = pos0 % (line.length + 1);
    const b = byte === 10 ? 11 : byte; // "\n" would split the segment
    const at = pos % line.length;
    switch (op) {
      case 0: {
        // flip one bit of one byte
        const c = line.charCodeAt(at) ^ (1 << (byte % 7));
        return line.slice(0, at) + String.fromCharCode(c === 10 ? 11 : c) + line.slice(at + 1);
      }
      case 1: // insert a byte
        return line.slice(0, pos) + String.fromCharCode(b) + line.slice(pos);
      case 2: // delete a byte
        return line.slice(0, pos) + line.slice(pos + 1);
      case 3: // truncate
        return line.slice(0, pos);
      case 4: // lower-case CRC
        return line.slice(0, -8) + line.slice(-8).toLowerCase();
      case 5: // no "$"
        return line.slice(1);
      case 6: // repeat until over-long
        return line.repeat(Math.ceil((MAX_LINE_BYTES + 1) / line.length) + (byte % 3)).replace(/\$/g, (m, i: number) => (i === 0 ? m : "#"));
      case 7: {
        // swap two neighbouring bytes
        const i = at === line.length - 1 ? at - 1 : at;
        return line.slice(0, i) + line[i + 1] + line[i] + line.slice(i + 2);
      }
      case 8: // two frames glued together
        return line + line;
      case 9: // a CR in the middle
        return line.slice(0, pos) + "\r" + line.slice(pos);
      case 10: // valid frame behind junk (the frame itself is then fine: tests the resync)
        return latin1([b === 36 ? 37 : b, 65, 66]) + line.slice(0, -1) + "Z";
      default: // non-ASCII byte
        return line.slice(0, pos) + String.fromCharCode(128 + (byte & 127)) + line.slice(pos);
    }
  });

/** A field made wrong in a correctly framed line: BAD_INT, RANGE, BAD_ENUM, BAD_TEXT, BAD_HEX, BAD_TEMP, FIELD_COUNT, UNKNOWN_TYPE. */
const badField: fc.Arbitrary<string> = fc
  .tuple(validBody, fc.integer({ min: 0, max: 1 << 30 }), fc.constantFrom("01", "+1", "-0", "1e3", "0x10", "", " 1", "99999999999999999999", "-27001", "180001", "4294967296", "deadbeef", "XX", "ZZZ", "a\\b", "lower", "9007199254740992", "-", "NaN"), fc.integer({ min: 0, max: 9 }))
  .map(([line, pos, tok, op]) => {
    const body = line.slice(0, line.indexOf("*"));
    const toks = body.split(",");
    if (op === 0) return reframe(body + "," + tok); // one field too many
    if (op === 1 && toks.length > 2) return reframe(toks.slice(0, -1).join(",")); // one too few
    if (op === 2) return reframe("$" + ["Q", "RR", "HELLO", "r", "AK2", "ZZZZZZZZ"][pos % 6] + "," + toks.slice(1).join(","));
    const i = 1 + (pos % (toks.length - 1));
    toks[i] = tok;
    return reframe(toks.join(","));
  });

/** Random bytes (any value but "\n"), short and long. */
const randomBytes: fc.Arbitrary<string> = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 80 }),
  fc.uint8Array({ minLength: 150, maxLength: 400 }),
  fc.array(fc.constantFrom(36, 42, 44, 13, 48, 65, 82, 70), { minLength: 1, maxLength: 60 }).map((a) => Uint8Array.from(a)),
).map((u) => latin1([...u].map((x) => (x === 10 ? 9 : x))));

/** Every kind of bad segment. */
export const badSegment: fc.Arbitrary<string> = fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 3, arbitrary: badField }, { weight: 3, arbitrary: randomBytes });

/** Running expected totals for a fuzz run. */
export class Tally {
  readonly reasons: Record<string, number> = {};
  overlong = 0;
  prefixMin = 0;
  prefixMax = 0;
  droppedBytes = 0;
  segments = 0;

  /** Adds one segment; returns false (and adds nothing) when its frame would decode as valid. */
  add(s: string): boolean {
    const e = expectSegment(s);
    if (e.reason === "OK") return false;
    this.segments++;
    if (e.reason) this.reasons[e.reason] = (this.reasons[e.reason] ?? 0) + 1;
    if (e.overlongFrame) this.overlong++;
    this.prefixMin += e.prefixMin;
    this.prefixMax += e.prefixMax;
    this.droppedBytes += e.droppedBytes;
    return true;
  }
}
