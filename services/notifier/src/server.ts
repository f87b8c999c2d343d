// The HTTP side: /health, /metrics, sign-in (SIWE) and each member's own subscriptions.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { corsHeaders, preflightHeaders, sendHealth, sendJson, sendMetrics } from "@ai-dao/service-kit";
import type { Logger } from "pino";
import { getAddress } from "viem";
import { z } from "zod";

import { Auth, AuthError, MAX_MESSAGE_LENGTH } from "./auth.ts";
import { targetProblem } from "./channels/post.ts";
import { EVENT_TYPES, type NotificationEvent, TEST_EVENT } from "./events.ts";
import type { Metrics } from "./metrics.ts";
import type { Store } from "./store.ts";
import { createSubscriptionSchema, publicChannel, type Subscription } from "./subscriptions.ts";
import type { Watcher } from "./watcher.ts";

export const MAX_BODY_BYTES = 16_384;
/** A member may ask for a test message on one subscription this often. */
export const TEST_INTERVAL_MS = 10_000;

export interface ServerOptions {
  host: string;
  port: number;
  corsOrigins: string[];
  store: Store;
  auth: Auth;
  watcher: Watcher;
  metrics: Metrics;
  logger: Logger;
  chainId: number;
  siweDomains: readonly string[];
  maxSubscriptionsPerAddress: number;
  /** Whether webhook URLs may name this machine or a private network (development and tests). */
  allowPrivateTargets: boolean;
  /** A poll older than this makes /health answer 503. */
  staleAfterMs: number;
  /** New deliveries were queued (a test message). */
  onQueued?: () => void;
}

class HttpError extends Error {
  readonly status: number;
  readonly details: unknown;
  constructor(status: number, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.details = details;
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, "send JSON (content-type: application/json)");
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `body over ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "body is not valid JSON");
  }
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new HttpError(
      400,
      "invalid request",
      result.error.issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  return result.data;
}

const verifySchema = z.strictObject({ message: z.string().min(1).max(MAX_MESSAGE_LENGTH), signature: z.string().min(1).max(20_000) });

/** A subscription as its owner sees it: secrets masked. */
export function publicSubscription(s: Subscription) {
  return { id: s.id, owner: getAddress(s.owner), channel: publicChannel(s.channel), filter: s.filter, events: s.events, label: s.label, createdAt: new Date(s.createdAt).toISOString() };
}

export async function startServer(o: ServerOptions): Promise<{ server: Server; port: number }> {
  const lastTest = new Map<string, number>();
  const handle = async (req: IncomingMessage, res: ServerResponse, cors: Record<string, string>) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    const method = req.method ?? "GET";
    if (method === "GET" && pathname === "/health") {
      const { watcher } = o;
      const fresh = watcher.lastPollAt !== null && Date.now() - watcher.lastPollAt < o.staleAfterMs;
      const cursor = o.store.cursor();
      sendHealth(
        res,
        { status: fresh ? "ok" : "degraded", chainId: o.chainId, lastPollAt: watcher.lastPollAt === null ? null : new Date(watcher.lastPollAt).toISOString(), lastError: watcher.lastError, cursorBlock: cursor?.block ?? null, deliveries: o.store.countByStatus() },
        fresh,
        cors,
      );
      return;
    }
    if (method === "GET" && pathname === "/metrics") return sendMetrics(res, o.metrics.registry, cors);
    if (method === "GET" && pathname === "/") {
      return sendJson(
        res,
        200,
        {
          service: "notifier",
          chainId: o.chainId,
          siweDomains: o.siweDomains,
          eventTypes: EVENT_TYPES,
          channels: ["webhook", "discord", "slack", "telegram", "email"],
          filters: ["all", "risk", "delegate", "my-delegate"],
        },
        cors,
      );
    }
    if (method === "POST" && pathname === "/auth/nonce") return sendJson(res, 200, { ...o.auth.issueNonce(), chainId: o.chainId, domains: o.siweDomains }, { ...cors, "cache-control": "no-store" });
    if (method === "POST" && pathname === "/auth/verify") {
      const body = parse(verifySchema, await readJson(req));
      try {
        const session = await o.auth.signIn(body.message, body.signature);
        o.metrics.signIns.inc({ outcome: "ok" });
        return sendJson(res, 200, session, { ...cors, "cache-control": "no-store" });
      } catch (error) {
        o.metrics.signIns.inc({ outcome: "refused" });
        throw error;
      }
    }
    if (method === "POST" && pathname === "/auth/logout") {
      o.auth.signOut(req.headers.authorization);
      return sendJson(res, 200, { ok: true }, cors);
    }
    if (pathname === "/subscriptions" || pathname.startsWith("/subscriptions/")) {
      const owner = o.auth.session(req.headers.authorization);
      if (pathname === "/subscriptions" && method === "GET") {
        return sendJson(res, 200, { address: getAddress(owner), subscriptions: o.store.subscriptions(owner).map(publicSubscription) }, { ...cors, "cache-control": "no-store" });
      }
      if (pathname === "/subscriptions" && method === "POST") {
        const body = parse(createSubscriptionSchema, await readJson(req));
        if ("url" in body.channel) {
          const problem = targetProblem(new URL(body.channel.url), o.allowPrivateTargets);
          if (problem) throw new HttpError(400, "invalid request", [{ path: "channel.url", message: problem }]);
        }
        if (o.store.subscriptions(owner).length >= o.maxSubscriptionsPerAddress) throw new HttpError(409, `at most ${o.maxSubscriptionsPerAddress} subscriptions per address; delete one first`);
        const sub = o.store.addSubscription({ owner, channel: body.channel, filter: body.filter, events: body.events ?? null, label: body.label ?? null });
        o.logger.info({ subscription: sub.id, owner: getAddress(owner), channel: sub.channel.type, filter: sub.filter.kind }, "subscription created");
        return sendJson(res, 201, publicSubscription(sub), cors);
      }
      const match = /^\/subscriptions\/([0-9a-f-]{36})(\/deliveries|\/test)?$/.exec(pathname);
      if (match) {
        const sub = o.store.subscription(match[1]!);
        if (!sub || sub.owner.toLowerCase() !== owner.toLowerCase()) throw new HttpError(404, "no such subscription of yours");
        if (method === "DELETE" && !match[2]) {
          if (!o.store.deleteSubscription(sub.id, owner)) throw new HttpError(404, "no such subscription of yours");
          o.logger.info({ subscription: sub.id }, "subscription deleted");
          return sendJson(res, 200, { deleted: sub.id }, cors);
        }
        if (method === "POST" && match[2] === "/test") {
          const last = lastTest.get(sub.id) ?? 0;
          if (Date.now() - last < TEST_INTERVAL_MS) throw new HttpError(429, `one test message per ${TEST_INTERVAL_MS / 1000} s`);
          lastTest.set(sub.id, Date.now());
          const event: NotificationEvent = { id: `test:${randomUUID()}`, type: TEST_EVENT, proposalId: "0", title: "Test notification", risk: null, occurredAt: Math.floor(Date.now() / 1000), block: 0, data: { requestedBy: getAddress(owner) } };
          o.store.transaction(() => {
            o.store.addEvent(event);
            o.store.enqueue(event.id, sub.id);
          });
          o.onQueued?.();
          return sendJson(res, 202, { event: event.id }, cors);
        }
        if (method === "GET" && match[2] === "/deliveries") {
          const rows = o.store.deliveries({ subscriptionId: sub.id }).slice(-100);
          return sendJson(res, 200, { deliveries: rows.map((r) => ({ event: r.eventId, status: r.status, attempts: r.attempts, lastError: r.lastError, nextAttemptAt: r.status === "pending" ? new Date(r.nextAttemptAt).toISOString() : null })) }, cors);
        }
      }
    }
    throw new HttpError(404, "not found; see GET / for what this service offers");
  };

  const server = createServer((req, res) => {
    const cors = corsHeaders(req, o.corsOrigins);
    if (req.method === "OPTIONS") {
      res.writeHead(204, preflightHeaders(req, o.corsOrigins, "GET, POST, DELETE, OPTIONS")).end();
      return;
    }
    handle(req, res, cors).catch((error: unknown) => {
      if (error instanceof HttpError) return sendJson(res, error.status, { error: error.message, ...(error.details ? { details: error.details } : {}) }, cors);
      if (error instanceof AuthError) return sendJson(res, error.status, { error: error.message }, cors);
      o.logger.error({ err: (error as Error)?.message }, "request failed");
      sendJson(res, 500, { error: "internal error" }, cors);
    });
  });
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
