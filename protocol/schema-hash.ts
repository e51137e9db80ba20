// Schema hash: CRC-32 of a canonical text of the message table, sent in HI so peers detect drift.
import { crc32 } from "./crc32";
import type { Field } from "./fields";
import { MESSAGES } from "./messages";

/** The canonical one-line text of the message table the hash is computed over (also printed in PROTOCOL.md). */
export function schemaText(): string {
  const table = MESSAGES as unknown as Record<string, readonly Field[]>;
  let s = "";
  for (const type in table) {
    s += type + "(";
    const fs = table[type];
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      s += (i ? "," : "") + f.n + ":" + f.k;
      if (f.k === "int" || f.k === "text") s += "[" + f.min + ".." + f.max + "]";
      if (f.k === "enum") s += "{" + f.v.join("|") + "}";
    }
    s += ");";
  }
  return s;
}

let cached = -1;
/** CRC-32 of schemaText(); computed once. */
export function schemaHash(): number {
  if (cached < 0) cached = crc32(schemaText());
  return cached;
}
