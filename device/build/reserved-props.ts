// Property names the Espruino bundle must keep: built-ins, Espruino APIs, wire field names, persisted JSON keys.
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { MESSAGES } from "../../protocol/messages";

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
 * - every wire field name and message type (encode / decode address messages by string);
 * - the persisted snapshot's JSON keys and the protocol's field descriptor keys.
 */
export function reservedProps(): Set<string> {
  const names = new Set<string>(["type", "seq", "v", "n", "s", "d", "l", "a", "k", "min", "max", "u", "ok", "msg", "code", "field", "prototype", "constructor"]);
  const program = ts.createProgram([path.join(ROOT, "device/espruino/espruino-api.ts")], { lib: ["lib.es2022.d.ts"], noEmit: true, types: [] });
  for (const sf of program.getSourceFiles()) {
    const f = sf.fileName;
    if (f.includes("/typescript/lib/lib.") || f.endsWith("espruino-api.ts")) declaredNames(sf, names);
  }
  const table = MESSAGES as unknown as Record<string, readonly { n: string }[]>;
  for (const t in table) {
    names.add(t);
    for (const f of table[t]) names.add(f.n);
  }
  return names;
}

/** Regex for esbuild's `reserveProps`. */
export function reservedPropsRegex(): RegExp {
  const list = [...reservedProps()].filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  return new RegExp("^(" + list.join("|") + ")$");
}
