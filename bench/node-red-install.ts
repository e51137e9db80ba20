// Node-RED 4 for the benchmarks, installed on demand into its own folder (git-ignored, never by npm ci).
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Where Node-RED and its serial nodes live: outside node_modules, so `npm ci` never installs them. */
export const NODE_RED_DIR = process.env.BENCH_NODE_RED_DIR ?? fileURLToPath(new URL("../.bench-cache/node-red/", import.meta.url));
/** The packages of the integrator's usual relay: Node-RED 4 with the serialport nodes (`serial in`). */
export const NODE_RED_PACKAGES = ["node-red@4", "node-red-node-serialport@2"];
const NODE_RED_MAJOR = 4;

function installedMajor(): number | null {
  const pkg = path.join(NODE_RED_DIR, "node_modules", "node-red", "package.json");
  const serial = path.join(NODE_RED_DIR, "node_modules", "node-red-node-serialport", "package.json");
  if (!existsSync(pkg) || !existsSync(serial)) return null;
  return Number((JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version.split(".")[0]);
}

/** The installed Node-RED version ("4.1.8"). */
export function nodeRedVersion(): string {
  return (JSON.parse(readFileSync(path.join(NODE_RED_DIR, "node_modules", "node-red", "package.json"), "utf8")) as { version: string }).version;
}

let installing: Promise<string> | null = null;

/** Resolves with NODE_RED_DIR once Node-RED 4 is there, running `npm install --prefix` the first time. */
export function ensureNodeRed(log: (msg: string) => void = () => {}): Promise<string> {
  installing ??= (async () => {
    if (installedMajor() === NODE_RED_MAJOR) return NODE_RED_DIR;
    mkdirSync(NODE_RED_DIR, { recursive: true });
    const manifest = path.join(NODE_RED_DIR, "package.json");
    if (!existsSync(manifest)) writeFileSync(manifest, JSON.stringify({ name: "thermoguard-bench-node-red", private: true }) + "\n");
    log(`installing ${NODE_RED_PACKAGES.join(" ")} into ${NODE_RED_DIR} (first bench run only)`);
    await new Promise<void>((resolve, reject) => {
      execFile("npm", ["install", "--prefix", NODE_RED_DIR, "--no-audit", "--no-fund", ...NODE_RED_PACKAGES], { timeout: 600_000 }, (err, _out, stderr) =>
        err ? reject(new Error(`npm install of Node-RED failed: ${stderr.trim().split("\n").pop() ?? err.message}`)) : resolve(),
      );
    });
    if (installedMajor() !== NODE_RED_MAJOR) throw new Error(`Node-RED ${NODE_RED_MAJOR} not found in ${NODE_RED_DIR} after npm install`);
    return NODE_RED_DIR;
  })();
  return installing;
}

/** How the method paragraphs describe the Node-RED relay ("4.1.15, one flow: serial in -> websocket out"). */
export function nodeRedLabel(ran: boolean): string {
  return ran ? `${nodeRedVersion()} (one flow: \`serial in\` -> \`websocket out\`, the serialport nodes ${serialNodesVersion()}, editor off)` : "(not available in this run)";
}

function serialNodesVersion(): string {
  return (JSON.parse(readFileSync(path.join(NODE_RED_DIR, "node_modules", "node-red-node-serialport", "package.json"), "utf8")) as { version: string }).version;
}
