// Rebuilds dist/dashboard when a source is newer than the bundle (npm test's build:dashboard normally ran first).
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildDashboard, DASHBOARD_OUT_DIR } from "../../host/dashboard/build-dashboard";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Folders whose files go into the dashboard bundle. */
const SOURCE_DIRS = ["host/dashboard", "host/ws", "host/record", "protocol"];

export async function ensureDashboardBuilt(): Promise<void> {
  const built = await stat(path.join(DASHBOARD_OUT_DIR, "app.js")).then((s) => s.mtimeMs, () => 0);
  let newest = 0;
  for (const d of SOURCE_DIRS) for (const f of await readdir(path.join(ROOT, d))) newest = Math.max(newest, (await stat(path.join(ROOT, d, f))).mtimeMs);
  if (newest > built) await buildDashboard();
}
