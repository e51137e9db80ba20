#!/usr/bin/env node
// The thermoguard command: runs the bundled command line (dist/thermoguard.mjs, `npm run build:cli`) when it is
// current, else apps/main.ts through tsx. THERMOGUARD_TSX=1 forces tsx; THERMOGUARD_LAUNCH_INFO=1 says which ran.
import { readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));

/** The bundle is current when every source it was built from still has the recorded mtime, every package bundled in it the recorded version. */
function bundleIsCurrent() {
  if (process.env.THERMOGUARD_TSX === "1") return false;
  try {
    const { inputs, packages } = JSON.parse(readFileSync(root + "dist/thermoguard.inputs.json", "utf8"));
    statSync(root + "dist/thermoguard.mjs");
    for (const [file, mtimeMs] of Object.entries(inputs)) if (Math.floor(statSync(root + file).mtimeMs) !== mtimeMs) return false;
    for (const [file, version] of Object.entries(packages)) if (JSON.parse(readFileSync(root + file, "utf8")).version !== version) return false;
    return true;
  } catch {
    return false; // not built, or a source was moved or deleted
  }
}

const bundled = bundleIsCurrent();
if (process.env.THERMOGUARD_LAUNCH_INFO === "1") process.stderr.write(`thermoguard: running ${bundled ? "dist/thermoguard.mjs" : "apps/main.ts through tsx"}\n`);
if (bundled) {
  process.setSourceMapsEnabled(true); // stack traces name the TypeScript sources
  await import("../dist/thermoguard.mjs");
} else {
  const { register } = await import("tsx/esm/api");
  register();
  const { main } = await import("../apps/main.ts");
  process.exitCode = await main(process.argv);
}
