// docs/ws-schema.json must be what host/ws/write-schema.ts generates from the current zod schemas.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { wsJsonSchemaText } from "../../host/ws/ws-json-schema";
import { WS_SCHEMA_PATH } from "../../host/ws/write-schema";

describe("docs/ws-schema.json", () => {
  it("is current (regenerate: node --import tsx host/ws/write-schema.ts)", () => {
    expect(readFileSync(WS_SCHEMA_PATH, "utf8")).toBe(wsJsonSchemaText());
  });
  it("names every server and client message type", () => {
    const doc = JSON.parse(readFileSync(WS_SCHEMA_PATH, "utf8"));
    const server = doc.$defs.ServerMessage.oneOf.map((r: { $ref: string }) => r.$ref);
    expect(server).toContain("#/$defs/AlarmMsg");
    expect(server).toHaveLength(12);
    expect(doc.$defs.ClientMessage.oneOf).toHaveLength(3);
  });
});
