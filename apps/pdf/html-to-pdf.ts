// Prints an HTML page to PDF with the system's Chromium (Debian's /usr/bin/chromium) through playwright-core; no downloaded browser.
import { UserError } from "../user-error";

/** Paper sizes the report's print stylesheet fits. */
export const PAPER_SIZES = ["A4", "Letter"] as const;
export type PaperSize = (typeof PAPER_SIZES)[number];

/** The Chromium executable: $CHROMIUM_PATH, else Debian's. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Flags for a headless print: no sandbox needs (containers), no network chatter. */
export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** The PDF of `page` (self-contained HTML) on `paper`. One-line errors (NO_CHROMIUM) when Chromium cannot start. */
export async function htmlToPdf(page: string, paper: PaperSize): Promise<Buffer> {
  let chromium: typeof import("playwright-core").chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch {
    throw new UserError("PDF output needs the playwright-core package (npm install playwright-core)", "NO_CHROMIUM");
  }
  let browser: import("playwright-core").Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (e) {
    throw new UserError(`cannot start Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH): ${(e as Error).message.split("\n")[0]}`, "NO_CHROMIUM");
  }
  try {
    const p = await browser.newPage({ javaScriptEnabled: false });
    await p.setContent(page, { waitUntil: "load" });
    return await p.pdf({ format: paper, printBackground: true, preferCSSPageSize: false, margin: { top: "12mm", bottom: "12mm", left: "12mm", right: "12mm" } });
  } finally {
    await browser.close();
  }
}
