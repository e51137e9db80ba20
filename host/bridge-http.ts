// The bridge's http server: listen address, allowed Host names and Origins, dashboard files and the record routes.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Recorder } from "./record/recorder";
import { parseListen } from "./ws/listen-address";
import { handleRecordRoute } from "./ws/report-route";
import { staticHandler } from "./ws/static-files";
import { allowedHostNames, checkRequest, defaultOrigins } from "./ws/upgrade-guard";

/** A listening http server and what the WebSocket upgrade guard needs to know about it. */
export interface BridgeHttp {
  server: Server;
  hosts: Set<string>;
  origins: Set<string>;
  /** Host part for URLs ("127.0.0.1" for a wildcard address, brackets for IPv6). */
  urlHost: string;
  port: number;
  /** The recorder whose routes (/report, ...) the server serves, once there is one. */
  setRecorder(r: Recorder | null): void;
}

function listenOn(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts listening on `listen` ("host:port"); rejects with the listen error (EADDRINUSE, ...). */
export async function startHttp(listen: string, dashboardDir: string, allowOrigins: string[]): Promise<BridgeHttp> {
  const { host, port: wantPort } = parseListen(listen);
  let hosts = new Set<string>();
  let origins = new Set<string>();
  let recorder: Recorder | null = null;
  const serveStatic = staticHandler(dashboardDir);
  const server = createServer((req, res) => {
    const refusal = checkRequest(req, hosts, origins);
    if (refusal) res.writeHead(refusal.status, { "content-type": "text/plain" }).end(refusal.reason + "\n");
    else if (!handleRecordRoute(recorder, req, res)) serveStatic(req, res);
  });
  const port = await listenOn(server, host, wantPort);
  hosts = new Set(allowedHostNames(host, port).map((h) => h.toLowerCase()));
  origins = new Set([...defaultOrigins([...hosts]), ...allowOrigins].map((o) => o.toLowerCase().replace(/\/$/, "")));
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? "[" + host + "]" : host;
  return { server: server, hosts: hosts, origins: origins, urlHost: urlHost, port: port, setRecorder: (r) => void (recorder = r) };
}
