import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { corsHeaders, preflightHeaders, sendHealth, sendJson, sendMetrics } from "@ai-dao/service-kit";

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

/** `GET /health` and `GET /metrics` (Prometheus text), CORS for the allowed origins only (the kit's rule). */
export async function startServer(o: ServerOptions): Promise<{ server: Server; port: number }> {
  const server = createServer(async (req, res) => {
    const cors = corsHeaders(req, o.corsOrigins);
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method === "OPTIONS") {
      res.writeHead(204, preflightHeaders(req, o.corsOrigins, "GET")).end();
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
      sendHealth(res, body, fresh, cors);
      return;
    }
    if (req.method === "GET" && pathname === "/metrics") {
      await sendMetrics(res, o.executor.metrics.registry, cors);
      return;
    }
    sendJson(res, 404, { error: "not found; try GET /health or GET /metrics" }, cors);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
