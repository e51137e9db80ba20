// Serves the dashboard's static files (dist/dashboard/) or, until it is built, a page saying so.
import { createReadStream, existsSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json",
  ".wav": "audio/wav",
  ".woff2": "font/woff2",
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>thermoguard bridge</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto"><h1>thermoguard bridge</h1>
<p>The bridge is running, but the dashboard is not built (no <code>dist/dashboard/</code>).</p>
<p>WebSocket API: <code>/ws</code> (docs/WEBSOCKET.md).</p></body></html>`;

/** Returns a request handler serving files under `root` (no directory listing, no path escape). */
export function staticHandler(root: string): (req: IncomingMessage, res: ServerResponse) => void {
  const base = path.resolve(root);
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.resolve(base, "." + rel);
    const headers = { "x-content-type-options": "nosniff", "cache-control": "no-cache" };
    if (!existsSync(path.join(base, "index.html"))) {
      if (rel === "/index.html") res.writeHead(200, { ...headers, "content-type": TYPES[".html"] }).end(NOT_BUILT);
      else res.writeHead(404, headers).end("not found");
      return;
    }
    if (!file.startsWith(base + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, headers).end("not found");
      return;
    }
    res.writeHead(200, { ...headers, "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  };
}
