// Bundles the central station's page with esbuild into dist/central/: index.html, central.js, central.css (the dashboard's theme inside).
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { BROWSER_BUNDLE_OPTIONS } from "../dashboard/build-dashboard";

const HERE = dirname(fileURLToPath(import.meta.url));
/** Default output folder, the one `thermoguard central` serves. */
export const CENTRAL_OUT_DIR = resolve(HERE, "../../dist/central");

/** Builds the page; resolves to the output folder. Throws with esbuild's messages on an error. */
export async function buildCentral(outDir = CENTRAL_OUT_DIR): Promise<string> {
  await mkdir(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [
      { in: join(HERE, "page/main.ts"), out: "central" },
      { in: join(HERE, "page/central.css"), out: "central" },
    ],
    outdir: outDir,
    ...BROWSER_BUNDLE_OPTIONS,
  });
  await copyFile(join(HERE, "page/index.html"), join(outDir, "index.html"));
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildCentral().then(
    (dir) => console.log("central station page built in " + dir),
    (e: unknown) => {
      console.error(String((e as Error)?.message ?? e));
      process.exit(1);
    },
  );
}
