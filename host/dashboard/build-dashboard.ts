// Bundles the dashboard with esbuild into dist/dashboard/: index.html, app.js (+ map), app.css (with uPlot's CSS); no CDN.
import { copyFile, mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
/** Default output folder, the one the bridge serves. */
export const DASHBOARD_OUT_DIR = resolve(HERE, "../../dist/dashboard");

/** esbuild settings of every page the host serves (dashboard, central station): one self-contained script, no CDN. */
export const BROWSER_BUNDLE_OPTIONS = {
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "iife",
  target: ["chrome109", "firefox115", "safari16"],
  platform: "browser",
  legalComments: "linked",
  logLevel: "warning",
} satisfies esbuild.BuildOptions;

export interface BuildOptions {
  /** Output folder (default dist/dashboard). */
  outDir?: string;
  /** Minify (default true). */
  minify?: boolean;
}

/** Builds the dashboard; resolves to the output folder. Throws with esbuild's messages on an error. */
export async function buildDashboard(opts: BuildOptions = {}): Promise<string> {
  const outDir = opts.outDir ?? DASHBOARD_OUT_DIR;
  // Files are overwritten in place (no rm first): a running bridge keeps serving a complete page.
  await mkdir(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: [
      { in: join(HERE, "main.ts"), out: "app" },
      { in: join(HERE, "app.css"), out: "app" },
    ],
    outdir: outDir,
    ...BROWSER_BUNDLE_OPTIONS,
    minify: opts.minify ?? true,
  });
  await copyFile(join(HERE, "index.html"), join(outDir, "index.html"));
  return outDir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildDashboard({ outDir: process.argv[2] ? resolve(process.argv[2]) : undefined }).then(
    (dir) => console.log("dashboard built in " + dir),
    (e: unknown) => {
      console.error(String((e as Error)?.message ?? e));
      process.exit(1);
    },
  );
}
