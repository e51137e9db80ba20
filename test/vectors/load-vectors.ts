// Loads the shared protocol vectors (test/vectors/protocol-vectors.json) for protocol, device and host tests.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { DecodeErrorCode, Message } from "../../protocol";

export interface ValidVector {
  line: string;
  message: Message;
}
export interface RejectVector {
  line: string;
  code: DecodeErrorCode;
  field?: string;
  why: string;
}

const path = fileURLToPath(new URL("./protocol-vectors.json", import.meta.url));
const data = JSON.parse(readFileSync(path, "utf8")) as { valid: ValidVector[]; reject: RejectVector[] };

/** `{line, message}` pairs: line decodes to message, message encodes to line (+ "\n"). */
export const VALID_VECTORS: readonly ValidVector[] = data.valid;
/** Lines every receiver must refuse, with the expected decode error code (and field). */
export const REJECT_VECTORS: readonly RejectVector[] = data.reject;
