// Renders the per-message field tables of PROTOCOL.md from messages.ts, message-docs.ts and the shared vectors.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Field } from "../fields";
import { DEVICE_MESSAGES, HOST_MESSAGES } from "../messages";
import { FIELD_DOCS, MESSAGE_DOCS } from "../message-docs";
import { schemaText } from "../schema-hash";

const vectorsPath = fileURLToPath(new URL("../../test/vectors/protocol-vectors.json", import.meta.url));

function range(f: Field): string {
  switch (f.k) {
    case "int":
      return `integer ${f.min} … ${f.max}`;
    case "enum":
      return f.v.map((v) => "`" + v + "`").join(" ");
    case "text":
      return `text, ${f.min}–${f.max} chars`;
    case "hex":
      return "8 hex digits";
    case "temps":
      return "1–8 entries: integer -27000 … 180000 or a fault token";
  }
}

function unit(f: Field): string {
  return f.k === "int" ? f.u : f.k === "temps" ? "cC" : "";
}

function table(type: string, fields: readonly Field[], examples: string[]): string {
  const seqDoc = type in HOST_MESSAGES ? (type === "AK" ? "seq of the A line acknowledged" : "command id") : "per-stream sequence number";
  let s = `### \`${type}\` — ${(MESSAGE_DOCS as Record<string, string>)[type]}\n\n`;
  s += "| # | field | unit | range | meaning |\n|---|---|---|---|---|\n";
  s += `| 1 | seq | count | integer 0 … 4294967295 | ${seqDoc} |\n`;
  fields.forEach((f, i) => {
    s += `| ${i + 2} | ${f.n} | ${unit(f)} | ${range(f)} | ${FIELD_DOCS[type + "." + f.n] ?? FIELD_DOCS["*." + f.n] ?? ""} |\n`;
  });
  s += "\nExamples:\n\n```\n" + examples.join("\n") + "\n```\n\n";
  return s;
}

/** The generated reference: every message's fields and its example lines (from the shared vectors). */
export function protocolReference(): string {
  const vectors = JSON.parse(readFileSync(vectorsPath, "utf8")) as { valid: { line: string; message: { type: string } }[] };
  const ex = (t: string) => vectors.valid.filter((v) => v.message.type === t).map((v) => v.line);
  let s = "\n#### Device -> host\n\n";
  for (const [t, fs] of Object.entries(DEVICE_MESSAGES)) s += table(t, fs as readonly Field[], ex(t));
  s += "#### Host -> device\n\n";
  for (const [t, fs] of Object.entries(HOST_MESSAGES)) s += table(t, fs as readonly Field[], ex(t));
  s += "#### Schema text (its CRC-32 is `HI.schema`)\n\n```\n" + schemaText().replace(/;/g, ";\n") + "```\n";
  return s;
}
