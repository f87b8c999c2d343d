import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { corsHeaders, preflightHeaders, sendHealth, sendJson, sendMetrics } from "@ai-dao/service-kit";
import { getAddress, isAddress } from "viem";

import { RateLimiter } from "./limits.ts";
import { Refusal } from "./refusal.ts";
import type { RelayAnswer, Relayer } from "./relayer.ts";

export interface ServerOptions {
  relayer: Relayer;
  host: string;
  port: number;
  corsOrigins: string[];
  /** Requests per minute from one IP address (default 30). */
  ratePerIp?: number;
  /** Largest request body in bytes; larger ones are answered 413 unread (default 16 KiB). */
  maxBodyBytes?: number;
  /** Take the client's address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
  /** A poll older than this makes /health answer 503. */
  staleAfterMs: number;
}

/**
 * The relayer's HTTP API: `POST /vote`, `POST /delegate`, `GET /tx/:id`, `GET /budget`, `GET /health`,
 * `GET /metrics`. CORS answers the allowed origins only (the kit's rule). Every refusal is
 * `{ error: { code, message, selfSend, details } }` with a status from the code.
 */
export async function startServer(o: ServerOptions): Promise<{ server: Server; port: number }> {
  const ipLimiter = new RateLimiter(o.ratePerIp ?? 30);
  const maxBody = o.maxBodyBytes ?? 16_384;
  const { relayer } = o;

  const refuse = (res: ServerResponse, refusal: Refusal, cors: Record<string, string>) => {
    const headers: Record<string, string> = { ...cors };
    if (refusal.retryAfterS !== undefined) headers["retry-after"] = String(refusal.retryAfterS);
    sendJson(res, refusal.status, refusal.toJSON(), headers);
  };

  const server = createServer(async (req, res) => {
    const cors = corsHeaders(req, o.corsOrigins);
    let pathname: string;
    let search: URLSearchParams;
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      pathname = url.pathname;
      search = url.searchParams;
    } catch {
      sendJson(res, 400, { error: { code: "BAD_REQUEST", message: "The request's URL cannot be read." } }, cors);
      return;
    }
    try {
      if (req.method === "OPTIONS") {
        res.writeHead(204, preflightHeaders(req, o.corsOrigins, "GET, POST, OPTIONS")).end();
        return;
      }
      if (req.method === "POST" && (pathname === "/vote" || pathname === "/delegate")) {
        const kind = pathname === "/vote" ? "vote" : "delegate";
        let body: unknown;
        try {
          const wait = ipLimiter.hit(clientIp(req, o.trustProxy ?? false));
          if (wait > 0) throw new Refusal("RATE_LIMITED", `Too many requests from your address in the last minute; try again in ${wait} seconds.`, {}, wait);
          body = await readJson(req, maxBody);
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          // Refused before the relayer saw it: counted here (the relayer counts its own refusals).
          relayer.metrics.refused.inc({ kind, code: error.code });
          if (error.code === "PAYLOAD_TOO_LARGE") res.setHeader("connection", "close");
          refuse(res, error, cors);
          return;
        }
        try {
          const answer = kind === "vote" ? await relayer.relayVote(body) : await relayer.relayDelegation(body);
          sendJson(res, answer.duplicate ? 200 : 202, withStatusUrl(answer), cors);
        } catch (error) {
          if (!(error instanceof Refusal)) throw error;
          refuse(res, error, cors);
        }
        return;
      }
      if (req.method === "GET" && pathname.startsWith("/tx/")) {
        const id = pathname.slice("/tx/".length);
        const relay = /^0x[0-9a-fA-F]{64}$/.test(id) ? relayer.view(id) : undefined;
        if (relay === undefined) {
          sendJson(res, 404, { error: { code: "NOT_FOUND", message: "The relayer sent no transaction with this id." } }, cors);
          return;
        }
        sendJson(res, 200, { relay }, cors);
        return;
      }
      if (req.method === "GET" && pathname === "/budget") {
        const account = search.get("account");
        if (account !== null && !isAddress(account, { strict: false })) {
          sendJson(res, 400, { error: { code: "BAD_REQUEST", message: "account must be an address." } }, cors);
          return;
        }
        sendJson(res, 200, relayer.remaining(account === null ? undefined : getAddress(account)), cors);
        return;
      }
      if (req.method === "GET" && pathname === "/health") {
        const fresh = relayer.lastPollAt !== null && Date.now() - relayer.lastPollAt < o.staleAfterMs;
        sendHealth(
          res,
          {
            status: fresh ? "ok" : "degraded",
            chainId: relayer.chainId,
            address: relayer.address,
            lastPollAt: relayer.lastPollAt === null ? null : new Date(relayer.lastPollAt).toISOString(),
            lastError: relayer.lastError,
            budget: relayer.remaining(),
          },
          fresh,
          cors,
        );
        return;
      }
      if (req.method === "GET" && pathname === "/metrics") {
        await sendMetrics(res, relayer.metrics.registry, cors);
        return;
      }
      sendJson(res, 404, { error: { code: "NOT_FOUND", message: "Not found; try POST /vote, POST /delegate, GET /tx/:id, GET /budget, GET /health or GET /metrics." } }, cors);
    } catch {
      sendJson(res, 500, { error: { code: "INTERNAL", message: "The relayer failed on this request; nothing was sent." } }, cors);
    }
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

function withStatusUrl(answer: RelayAnswer) {
  return { ...answer, statusUrl: `/tx/${answer.relay.id}` };
}

function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? "unknown";
}

/** Reads a JSON body of at most `max` bytes: larger is PAYLOAD_TOO_LARGE (unread), malformed is BAD_REQUEST. */
async function readJson(req: IncomingMessage, max: number): Promise<unknown> {
  const tooLarge = () => new Refusal("PAYLOAD_TOO_LARGE", `The request is larger than ${max} bytes; a signed vote or delegation is far smaller.`, { maxBytes: max });
  const declared = Number(req.headers["content-length"] ?? "0");
  if (Number.isFinite(declared) && declared > max) {
    // Refused unread: the answer closes the connection.
    throw tooLarge();
  }
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        // Answer now; the connection is closed after the answer, so the rest is never read.
        req.removeAllListeners("data");
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  try {
    return JSON.parse(text.decode(body));
  } catch {
    throw new Refusal("BAD_REQUEST", "The request body must be JSON in UTF-8.");
  }
}
