// Property names the Espruino bundle must keep: built-ins, Espruino APIs, wire field names, persisted JSON keys.
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { DEFAULT_LIMITS, LIMIT_FIELD } from "../../protocol/limits";
import { HOST_MESSAGES, MESSAGES } from "../../protocol/messages";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function declaredNames(sf: ts.SourceFile, into: Set<string>): void {
  const visit = (node: ts.Node): void => {
    if ((ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) ||
      ts.isGetAccessor(node) || ts.isSetAccessor(node) || ts.isPropertyAssignment(node)) && node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) {
      into.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

/**
 * Names esbuild must not rename when it shortens property names (mangleProps) in the Espruino
 * bundle. Renaming is only safe for properties that exist solely inside the bundle and are never
 * reached through a string; so everything else is reserved:
 * - every property of the ES2022 built-ins (TypeScript's lib declarations): length, push, fill, ...
 * - every member in device/espruino/espruino-api.ts (Espruino objects and their option objects);
 * - every message type, and every field name of the host -> device messages (the device decodes
 *   those by their table's strings; it writes its own lines positionally, so the device -> host
 *   field names are ordinary properties and may be shortened);
 * - the limit field names (LIMIT_FIELD maps a LIM parameter to its field by string);
 * - the persisted snapshot's JSON keys and the protocol's field descriptor keys.
 */
export function reservedProps(): Set<string> {
  const names = new Set<string>(["type", "seq", "v", "n", "s", "d", "l", "a", "k", "min", "max", "u", "ok", "msg", "code", "field", "prototype", "constructor"]);
  const program = ts.createProgram([path.join(ROOT, "device/espruino/espruino-api.ts")], { lib: ["lib.es2022.d.ts"], noEmit: true, types: [] });
  for (const sf of program.getSourceFiles()) {
    const f = sf.fileName;
    if (f.includes("/typescript/lib/lib.") || f.endsWith("espruino-api.ts")) declaredNames(sf, names);
  }
  for (const t in MESSAGES) names.add(t);
  const host = HOST_MESSAGES as unknown as Record<string, readonly { n: string }[]>;
  for (const t in host) for (const f of host[t]) names.add(f.n);
  for (const k in LIMIT_FIELD) names.add(LIMIT_FIELD[k as keyof typeof LIMIT_FIELD]);
  for (const k in DEFAULT_LIMITS) names.add(k);
  return names;
}

/** Regex for esbuild's `reserveProps`. */
export function reservedPropsRegex(): RegExp {
  const list = [...reservedProps()].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  return new RegExp("^(" + list.join("|") + ")$");
}
