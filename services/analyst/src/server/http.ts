import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { corsHeaders, errorLine, preflightHeaders, sendMetrics } from "@ai-dao/service-kit";
import { z } from "zod";

import { AnalystError, ProposalFileError, RpcUnreachableError } from "../errors.ts";
import { addressField, parseProposal, parseUint256 } from "../proposal.ts";
import { latestPublishedReport, previewAnalysis, type AnalystService } from "./service.ts";

/** Largest accepted request body. */
export const MAX_BODY_BYTES = 256 * 1024;

export class HttpError extends Error {
  readonly status: number;
  readonly details: string[];

  constructor(status: number, message: string, details: string[] = []) {
    super(message);
    this.status = status;
    this.details = details;
  }
}

export const draftRequestSchema = z.strictObject({
  intent: z.string().trim().min(1, "must not be empty").max(4000, "must be at most 4000 characters"),
  proposer: addressField.optional(),
  /** Propose on chain with the analyst key (only when the service allows it). */
  propose: z.boolean().optional(),
});
export type DraftRequest = z.output<typeof draftRequestSchema>;

const analyzeRequestSchema = z.looseObject({ proposer: addressField.optional() });

export interface HttpOptions {
  service: AnalystService;
  corsOrigins: string[];
  /** Drafting; when absent (no model configured) POST /draft answers 503. */
  draft?: ((request: DraftRequest) => Promise<unknown>) | undefined;
  /** Extra fields for /health (e.g. watcher status). */
  healthExtra?: () => Record<string, unknown>;
}

function zodDetails(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.code === "unrecognized_keys" ? `unknown field(s) ${i.keys.join(", ")}` : i.message}`);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = req.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, "the body must be JSON (Content-Type: application/json)");
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (error) {
    throw new HttpError(400, "the body is not valid JSON", [(error as Error).message]);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  res.writeHead(status, { "content-type": typeof body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8", ...headers });
  res.end(text);
}

/**
 * The analyst's HTTP API (node:http): GET /health, GET /metrics, GET /proposals/:id/report,
 * POST /analyze (preview, nothing published), POST /draft. JSON errors `{error, details?}`; CORS for
 * the configured origins.
 */
export function createAnalystServer(o: HttpOptions): Server {
  const { service } = o;
  const log = service.logger.child({ component: "http" });
  const allowedOrigins = new Set(o.corsOrigins);

  return createServer((req, res) => {
    // The kit's CORS rule: only the configured origins, never `null`; preflights also say what is allowed.
    for (const [name, value] of Object.entries(req.method === "OPTIONS" ? preflightHeaders(req, allowedOrigins) : corsHeaders(req, allowedOrigins))) res.setHeader(name, value);
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      url = new URL("http://localhost/(invalid)");
    }
    let route = "unknown";
    const done = (status: number, body: unknown, headers?: Record<string, string>) => {
      service.metrics.httpRequests.inc({ route, status: String(status) });
      send(res, status, body, headers);
    };

    void (async () => {
      try {
        if (req.method === "OPTIONS") {
          route = "preflight";
          service.metrics.httpRequests.inc({ route, status: "204" });
          res.writeHead(204).end();
          return;
        }
        const reportMatch = /^\/proposals\/([^/]+)\/report$/.exec(url.pathname);
        if (url.pathname === "/health" && req.method === "GET") {
          route = "health";
          let block: string;
          try {
            block = (await service.client.getBlockNumber()).toString();
          } catch (error) {
            done(503, { status: "error", error: `the RPC is unreachable: ${errorLine(error)}` });
            return;
          }
          done(200, {
            status: "ok",
            mode: service.judge ? "model" : "deterministic",
            model: service.judge?.model ?? null,
            chainId: service.deployment.chainId,
            block,
            publishing: service.publisher !== undefined,
            ...(o.healthExtra?.() ?? {}),
          });
        } else if (url.pathname === "/metrics" && req.method === "GET") {
          route = "metrics";
          service.metrics.httpRequests.inc({ route, status: "200" });
          await sendMetrics(res, service.metrics.registry);
        } else if (reportMatch && req.method === "GET") {
          route = "report";
          let id: string;
          try {
            id = decodeURIComponent(reportMatch[1]!);
          } catch {
            throw new HttpError(400, "the proposal id in the path is not valid percent-encoding");
          }
          const parsed = parseUint256(id);
          if ("problem" in parsed) throw new HttpError(400, `the proposal id must be a decimal number below 2^256: ${parsed.problem}`);
          const found = await latestPublishedReport(service, parsed.value);
          if (!found) done(404, { error: `no analysis published for proposal ${id}` });
          else done(200, found);
        } else if (url.pathname === "/analyze" && req.method === "POST") {
          route = "analyze";
          const body = await readJsonBody(req);
          const extra = analyzeRequestSchema.safeParse(body);
          if (!extra.success) throw new HttpError(400, "invalid request body", zodDetails(extra.error));
          const { proposer, ...proposalFields } = body as Record<string, unknown>;
          const proposal = parseProposal(proposalFields, "the body");
          done(200, await previewAnalysis(service, proposal, proposer as string | undefined));
        } else if (url.pathname === "/draft" && req.method === "POST") {
          route = "draft";
          if (!o.draft) throw new HttpError(503, "drafting needs a model: set ANTHROPIC_API_KEY (and optionally ANALYST_MODEL) and restart the analyst");
          const parsed = draftRequestSchema.safeParse(await readJsonBody(req));
          if (!parsed.success) throw new HttpError(400, "invalid request body", zodDetails(parsed.error));
          done(200, await o.draft(parsed.data));
        } else if (["/health", "/metrics", "/analyze", "/draft"].includes(url.pathname) || reportMatch) {
          done(405, { error: `${req.method} is not allowed on ${url.pathname}` });
        } else {
          done(404, { error: `no route ${req.method} ${url.pathname}` });
        }
      } catch (error) {
        if (error instanceof HttpError) done(error.status, { error: error.message, ...(error.details.length ? { details: error.details } : {}) });
        else if (error instanceof ProposalFileError) done(400, { error: error.shortMessage, details: error.details });
        else if (error instanceof RpcUnreachableError) done(502, { error: error.shortMessage, details: error.details });
        else if (error instanceof AnalystError) done(422, { error: error.shortMessage, details: error.details });
        else {
          log.error({ err: (error as Error).message, route }, "request failed");
          done(500, { error: "internal error; see the analyst's log" });
        }
      }
    })();
  });
}

/** Listens and resolves with the bound port (pass 0 for a free one). */
export async function listen(server: Server, port: number, host = "127.0.0.1"): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
