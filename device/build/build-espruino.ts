// Builds the two Espruino bundles (chips, simulated) and their pretokenised copies, checks them for Espruino pitfalls and size, prints the sizes.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import { checkEspruinoBundle, describeProblems, MAX_BUNDLE_BYTES } from "./bundle-checks";
import { pretokeniseForEspruino } from "./pretokenise";
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

/** A JS literal of plain JSON data, identifier keys unquoted (so property mangling treats them as the source's keys). */
function dataLiteral(v: unknown): string {
  if (Array.isArray(v)) return "[" + v.map(dataLiteral).join(",") + "]";
  if (v !== null && typeof v === "object") {
    return "{" + Object.keys(v).map((k) => (/^[A-Za-z_$][\\w$]*$/.test(k) ? k : JSON.stringify(k)) + ":" + dataLiteral((v as Record<string, unknown>)[k])).join(",") + "}";
  }
  return JSON.stringify(v);
}

/**
 * Bundles protocol/messages.ts as the data it evaluates to: every export (tables, enums, flags) as
 * a literal, so esbuild drops what the device never reads (DEVICE_MESSAGES and the merged
 * MESSAGES: the device decodes with HOST_MESSAGES only), about 1.8 KB and ~700 Espruino variables.
 * The source builds its tables with calls of the field constructors of fields.ts, which are
 * `@__NO_SIDE_EFFECTS__`; esbuild (0.28) honours that only for calls in the declaring file, not for
 * imported functions (evanw/esbuild#4369, open), and arguments such as `MAX_CHANNELS - 1` or
 * `-UINT_MAX` on imported constants count as possible side effects too, so the source form keeps
 * every table. messages.ts stays the single declaration: the literals are its own values, read by
 * importing it at build time. An export that is not plain JSON data fails the build.
 */
export const MESSAGES_AS_DATA: Plugin = {
  name: "messages-as-data",
  setup(b) {
    b.onLoad({ filter: /[\\/]protocol[\\/]messages\.ts$/ }, async (args) => {
      const mod = (await import(pathToFileURL(args.path).href)) as Record<string, unknown>;
      let out = "// protocol/messages.ts evaluated at build time (device/build/build-espruino.ts MESSAGES_AS_DATA)\n";
      for (const name of Object.keys(mod).sort()) {
        const v = mod[name];
        const json = JSON.stringify(v);
        if (json === undefined || typeof v === "function" || JSON.stringify(JSON.parse(json)) !== json) {
          return { errors: [{ text: `MESSAGES_AS_DATA: export ${name} of protocol/messages.ts is not plain data` }] };
        }
        out += "export const " + name + " = " + dataLiteral(v) + ";\n";
      }
      return { contents: out, loader: "js" };
    });
  },
};

/**
 * Puts device/espruino/crc32-native.ts (E.CRC32 only) in place of protocol/crc32.ts, whose
 * table-driven fallback every supported board's firmware makes dead code (about 250 bytes).
 */
export const NATIVE_CRC32_ONLY: Plugin = {
  name: "native-crc32-only",
  setup(b) {
    const target = path.join(ROOT, "protocol/crc32");
    b.onResolve({ filter: /crc32$/ }, (args) =>
      path.resolve(args.resolveDir, args.path) === target ? { path: path.join(ROOT, "device/espruino/crc32-native.ts") } : undefined);
  },
};

/** Wire names that only the device -> host table declares: none may be left in a bundle. */
export const DEVICE_ONLY_FIELD_NAMES = ["cem43Pm", "t70Pm", "alarmSeq", "readSeq", "schema\"", "pauseS"];

/** True when no device -> host table declaration survived in `code`. */
export function deviceTableAbsent(code: string): boolean {
  for (let i = 0; i < DEVICE_ONLY_FIELD_NAMES.length; i++) if (code.indexOf('"' + DEVICE_ONLY_FIELD_NAMES[i]) >= 0) return false;
  return true;
}

/** The bundles: entry (relative to the repo) and output name in dist/espruino/. */
export const ESPRUINO_BUNDLES = [
  { entry: "device/espruino/main.ts", out: "thermoguard.min.js" },
  { entry: "device/espruino/main-sim.ts", out: "thermoguard-sim.min.js" },
];

export interface BundleResult {
  name: string;
  path: string;
  bytes: number;
  /** The pretokenised copy beside it (pretokenise.ts), written as latin1; undefined when the bundle could not be pretokenised. */
  pretok?: { path: string; bytes: number };
  problems: string[];
}

/** File name of a bundle's pretokenised copy: thermoguard.min.js -> thermoguard.pretok.js. */
export function pretokenisedName(out: string): string {
  return out.replace(/(\.min)?\.js$/, ".pretok.js");
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
    plugins: [MESSAGES_AS_DATA, NATIVE_CRC32_ONLY],
  });
  return r.outputFiles[0].text;
}

/**
 * Bundles one entry (bundleForEspruino) and pretokenises it for Espruino's lexer
 * (pretokeniseForEspruino): a binary string of bytes 1..255, to be written with 'latin1'.
 */
export async function pretokenisedBundleForEspruino(entry: string): Promise<string> {
  return pretokeniseForEspruino(await bundleForEspruino(entry));
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
    if (!deviceTableAbsent(code)) problems.push("DEVICE_TABLE: the device -> host message table is in the bundle (see MESSAGES_AS_DATA)");
    let pretok: BundleResult["pretok"];
    try {
      const binary = pretokeniseForEspruino(code);
      pretok = { path: path.join(outDir, pretokenisedName(b.out)), bytes: binary.length };
      writeFileSync(pretok.path, binary, "latin1");
      if (pretok.bytes > MAX_BUNDLE_BYTES) problems.push(`SIZE: pretokenised ${pretok.bytes} bytes exceeds ${MAX_BUNDLE_BYTES}`);
    } catch (e) {
      problems.push(`PRETOKENISE: ${(e as Error).message}`);
    }
    results.push({ name: b.out, path: file, bytes, pretok, problems });
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
    if (r.pretok) console.log(`build:device: ${path.relative(ROOT, r.pretok.path)} ${r.pretok.bytes} bytes, pretokenised (${(r.pretok.bytes / 1024).toFixed(1)} KB of ${MAX_BUNDLE_BYTES / 1024} KB)`);
    for (const p of r.problems) {
      console.error(`build:device: ${r.name}: ${p}`);
      failed = true;
    }
  }
  if (failed) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) void main();
