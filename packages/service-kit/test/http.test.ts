import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { Counter } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { corsHeaders, createRegistry, preflightHeaders, sendHealth, sendJson, sendMetrics } from "../src/index.ts";

const ALLOWED = ["http://localhost:5173", "null"];
const registry = createRegistry({ prefix: "demo_" });
const hits = new Counter({ name: "demo_hits_total", help: "hits", registers: [registry] });
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.inc();
    if (req.method === "OPTIONS") return void res.writeHead(204, preflightHeaders(req, ALLOWED, "GET")).end();
    const cors = corsHeaders(req, ALLOWED);
    if (req.url === "/health") return sendHealth(res, { status: "ok", big: 2n ** 70n }, true, cors);
    if (req.url === "/sick") return sendHealth(res, { status: "degraded" }, false, cors);
    if (req.url === "/metrics") return void sendMetrics(res, registry, cors);
    sendJson(res, 404, { error: "not found" }, cors);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("HTTP helpers", () => {
  it("answers CORS for allowed origins only, never null or *", async () => {
    const ok = await fetch(`${base}/health`, { headers: { origin: "http://localhost:5173" } });
    expect(ok.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(ok.headers.get("vary")).toBe("Origin");
    for (const origin of ["http://evil.example", "null"]) {
      const refused = await fetch(`${base}/health`, { headers: { origin } });
      expect(refused.headers.get("access-control-allow-origin"), origin).toBeNull();
    }
    const preflight = await fetch(`${base}/health`, { method: "OPTIONS", headers: { origin: "http://localhost:5173", "access-control-request-headers": "x-trace" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET");
    expect(preflight.headers.get("access-control-allow-headers")).toBe("x-trace");
    const refusedPreflight = await fetch(`${base}/health`, { method: "OPTIONS", headers: { origin: "http://evil.example" } });
    expect(refusedPreflight.headers.get("access-control-allow-methods")).toBeNull();
  });

  it("serves /health as JSON, 200 or 503", async () => {
    const ok = await fetch(`${base}/health`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: "ok", big: (2n ** 70n).toString() });
    expect((await fetch(`${base}/sick`)).status).toBe(503);
  });

  it("serves /metrics as Prometheus text from the service's own registry", async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/demo_hits_total \d+/);
    expect(text).toContain("demo_process_cpu_user_seconds_total");
    expect((await createRegistry().metrics()).trim()).toBe("");
  });
});
