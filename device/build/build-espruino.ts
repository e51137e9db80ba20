// Builds the two Espruino bundles (chips, simulated), checks them for Espruino pitfalls and size, prints the sizes.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { checkEspruinoBundle, describeProblems, MAX_BUNDLE_BYTES } from "./bundle-checks";
import { reservedPropsRegex } from "./reserved-props";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * esbuild cannot lower to ES5 (espruino.md): target es2015 plus this map turns syntax Espruino
 * cannot run into build errors, or lowers it to forms it can (class fields become constructor
 * assignments). Computed keys cannot be switched off in esbuild without breaking class methods;
 * the AST check after the build (bundle-checks.ts) rejects them instead.
 */
export const ESPRUINO_SUPPORTED: Record<string, boolean> = {
  destructuring: false,
  "default-argument": false,
  "rest-argument": false,
  "array-spread": false,
  generator: false,
  "async-await": false,
  "async-generator": false,
  "for-await": false,
  "exponent-operator": false,
  "optional-chain": false,
  "object-rest-spread": false,
  "class-field": false,
  "class-static-field": false,
  "class-private-field": false,
  "class-private-method": false,
  "class-private-accessor": false,
  "class-private-static-field": false,
  "class-private-static-method": false,
  "class-private-static-accessor": false,
  "class-private-brand-check": false,
  "class-static-blocks": false,
  "logical-assignment": false,
  "optional-catch-binding": false,
  "nested-rest-binding": false,
  bigint: false,
  "new-target": false,
  "top-level-await": false,
};

/** The bundles: entry (relative to the repo) and output name in dist/espruino/. */
export const ESPRUINO_BUNDLES = [
  { entry: "device/espruino/main.ts", out: "thermoguard.min.js" },
  { entry: "device/espruino/main-sim.ts", out: "thermoguard-sim.min.js" },
];

export interface BundleResult {
  name: string;
  path: string;
  bytes: number;
  problems: string[];
}

/** Bundles one entry to minified Espruino JavaScript (throws on a build error, e.g. unsupported syntax). */
export async function bundleForEspruino(entry: string): Promise<string> {
  const r = await build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    target: "es2015",
    supported: ESPRUINO_SUPPORTED,
    minify: true,
    legalComments: "none",
    charset: "ascii",
    logLevel: "silent",
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    // Espruino keeps property names as text in every object: shortening the bundle's own
    // camelCase names (never built-ins, Espruino APIs or wire fields) saves a seventh of the size.
    mangleProps: /^[a-z][A-Za-z0-9]+$/,
    reserveProps: reservedPropsRegex(),
  });
  return r.outputFiles[0].text;
}

/** Builds and checks every bundle into `outDir` (default dist/espruino). */
export async function buildEspruino(outDir = path.join(ROOT, "dist/espruino")): Promise<BundleResult[]> {
  mkdirSync(outDir, { recursive: true });
  const results: BundleResult[] = [];
  for (const b of ESPRUINO_BUNDLES) {
    const code = await bundleForEspruino(b.entry);
    const file = path.join(outDir, b.out);
    writeFileSync(file, code);
    const problems = describeProblems(code, checkEspruinoBundle(code));
    const bytes = Buffer.byteLength(code);
    if (bytes > MAX_BUNDLE_BYTES) problems.push(`SIZE: ${bytes} bytes exceeds ${MAX_BUNDLE_BYTES}`);
    results.push({ name: b.out, path: file, bytes, problems });
  }
  return results;
}

async function main(): Promise<void> {
  let results: BundleResult[];
  try {
    results = await buildEspruino();
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors;
    if (errors) for (const x of errors) console.error(`build:device: ${x.location ? `${path.relative(ROOT, x.location.file)}:${x.location.line}:${x.location.column}: ` : ""}${x.text}`);
    else console.error(`build:device: ${(e as Error).message}`);
    process.exit(1);
  }
  let failed = false;
  for (const r of results) {
    console.log(`build:device: ${path.relative(ROOT, r.path)} ${r.bytes} bytes (${(r.bytes / 1024).toFixed(1)} KB of ${MAX_BUNDLE_BYTES / 1024} KB)`);
    for (const p of r.problems) {
      console.error(`build:device: ${r.name}: ${p}`);
      failed = true;
    }
  }
  if (failed) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) void main();
