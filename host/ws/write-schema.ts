// Writes docs/ws-schema.json from the zod schemas (run: node --import tsx host/ws/write-schema.ts).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { wsJsonSchemaText } from "./ws-json-schema";

/** Absolute path of docs/ws-schema.json. */
export const WS_SCHEMA_PATH = fileURLToPath(new URL("../../docs/ws-schema.json", import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(WS_SCHEMA_PATH, wsJsonSchemaText());
  console.log("wrote " + WS_SCHEMA_PATH);
}
