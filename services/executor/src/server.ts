import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import type { Executor } from "./executor.ts";

export interface ServerOptions {
  executor: Executor;
  host: string;
  port: number;
  corsOrigins: string[];
  dryRun: boolean;
  chainId: number;
  /** A poll older than this makes /health answer 503. */
  staleAfterMs: number;
}

/** `GET /health` and `GET /metrics` (Prometheus text). */
export async function startServer(o: ServerOptions): Promise<{ server: Server; port: number }> {
  const server = createServer(async (req, res) => {
    const origin = req.headers.origin;
    if (origin !== undefined && o.corsOrigins.includes(origin)) {
      res.setHeader("access-control-allow-origin", origin);
      res.setHeader("vary", "origin");
    }
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "OPTIONS") {
      res.writeHead(204, { "access-control-allow-methods": "GET", "access-control-allow-headers": "content-type" }).end();
      return;
    }
    if (req.method === "GET" && pathname === "/health") {
      const { executor } = o;
      const fresh = executor.lastTickAt !== null && Date.now() - executor.lastTickAt < o.staleAfterMs;
      const body = {
        status: fresh ? "ok" : "degraded",
        chainId: o.chainId,
        address: executor.address,
        dryRun: o.dryRun,
        lastPollAt: executor.lastTickAt === null ? null : new Date(executor.lastTickAt).toISOString(),
        lastError: executor.lastError,
      };
      res.writeHead(fresh ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(body));
      return;
    }
    if (req.method === "GET" && pathname === "/metrics") {
      const text = await o.executor.metrics.registry.metrics();
      res.writeHead(200, { "content-type": o.executor.metrics.registry.contentType }).end(text);
      return;
    }
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found; try GET /health or GET /metrics" }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
