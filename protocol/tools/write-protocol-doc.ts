// Regenerates the message reference of protocol/PROTOCOL.md from the declaration table (npm run docs:protocol).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { protocolReference } from "./protocol-reference";

const path = fileURLToPath(new URL("../PROTOCOL.md", import.meta.url));
const BEGIN = "<!-- BEGIN GENERATED: npm run docs:protocol -->";
const END = "<!-- END GENERATED -->";

/** PROTOCOL.md with its generated section replaced by the current reference. */
export function renderProtocolDoc(current: string): string {
  const a = current.indexOf(BEGIN);
  const b = current.indexOf(END);
  if (a < 0 || b < a) throw new Error("PROTOCOL.md: generated-section markers missing");
  return current.slice(0, a + BEGIN.length) + "\n" + protocolReference() + current.slice(b);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(path, renderProtocolDoc(readFileSync(path, "utf8")));
  console.log("wrote " + path);
}
