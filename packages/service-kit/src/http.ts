// What every service's HTTP side shares: CORS that answers only the allowed origins, `/health` as
// JSON (200 or 503), and `/metrics` as Prometheus text from a registry of the service's own.
import type { IncomingMessage, ServerResponse } from "node:http";

import { collectDefaultMetrics, Registry } from "prom-client";

/**
 * CORS headers for this request: `access-control-allow-origin` only for an allowed origin, echoed
 * exactly — never `*` and never the `null` origin (sandboxed frames, `file:` pages), even if listed.
 * `vary: Origin` always, so caches keep answers for different origins apart.
 */
export function corsHeaders(req: IncomingMessage, allowed: ReadonlySet<string> | readonly string[]): Record<string, string> {
  const origin = req.headers.origin;
  const list = allowed instanceof Set ? allowed : new Set(allowed as readonly string[]);
  if (!origin || origin === "null" || !list.has(origin)) return { vary: "Origin" };
  return { "access-control-allow-origin": origin, vary: "Origin" };
}

/**
 * Headers for a preflight (`OPTIONS`): the CORS headers, and the methods and headers allowed only
 * when the origin is; a refused origin gets nothing to allow.
 */
export function preflightHeaders(req: IncomingMessage, allowed: ReadonlySet<string> | readonly string[], methods = "GET, POST, OPTIONS"): Record<string, string> {
  const cors = corsHeaders(req, allowed);
  if (!("access-control-allow-origin" in cors)) return cors;
  const requested = req.headers["access-control-request-headers"];
  return {
    ...cors,
    "access-control-allow-methods": methods,
    "access-control-allow-headers": typeof requested === "string" && requested !== "" ? requested : "content-type",
    "access-control-max-age": "600",
  };
}

/** Writes `body` as JSON (bigints as decimal strings). A response already under way is cut off instead. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(text);
}

/** `GET /health`: the service's status object, 200 when `healthy`, else 503 (what a monitor alerts on). */
export function sendHealth(res: ServerResponse, body: Record<string, unknown>, healthy: boolean, headers: Record<string, string> = {}): void {
  sendJson(res, healthy ? 200 : 503, body, headers);
}

/**
 * A Prometheus registry for one service instance (tests run several in one process, so never the
 * global one). With `prefix`, Node's process metrics are collected too, named `<prefix>process_…`.
 */
export function createRegistry(o: { prefix?: string } = {}): Registry {
  const registry = new Registry();
  if (o.prefix !== undefined) collectDefaultMetrics({ register: registry, prefix: o.prefix });
  return registry;
}

/** `GET /metrics`: the registry as Prometheus text. */
export async function sendMetrics(res: ServerResponse, registry: Registry, headers: Record<string, string> = {}): Promise<void> {
  const text = await registry.metrics();
  res.writeHead(200, { "content-type": registry.contentType, ...headers });
  res.end(text);
}
