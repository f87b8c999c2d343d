// HTTP: graphql-yoga at /subgraphs/name/dao (graph-node's path), GET /health, GET /metrics, CORS for
// the allowed origins only (the service kit's rule), and limits on what one request may ask: body and variables size (before parsing),
// query length, depth, aliases, estimated cost, `first`/`skip`, filter sizes, entities loaded, time,
// and queries at once per client.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { GraphQLError, type ASTVisitor, type FragmentDefinitionNode, Kind, type SelectionSetNode, type ValidationContext } from "graphql";
import { createYoga, type Plugin } from "graphql-yoga";
import { corsHeaders, DEFAULT_CORS_ORIGINS, preflightHeaders, sendHealth, sendJson, sendMetrics, type Logger } from "@ai-dao/service-kit";

import { buildGraphQLSchema, defaultLimits, type QueryContext, type QueryLimits } from "./schema.ts";
import { directExecute } from "./execute.ts";
import { ClientGate, QueryTimeoutError, Scheduler, TooManyRequestsError, checkLiterals, checkVariables, queryCost } from "./limits.ts";
import type { Indexer } from "../chain/indexer.ts";
import { createMetrics } from "../metrics.ts";
import type { EntityStore } from "../store/store.ts";
import type { Subgraph } from "../subgraph.ts";

export const GRAPHQL_PATH = "/subgraphs/name/dao";

export interface ServerLimits extends QueryLimits {
  /** Longest query text, in characters. */
  maxQueryLength: number;
  /** Deepest selection nesting. */
  maxDepth: number;
  /** Most aliased fields in one query. */
  maxAliases: number;
  /** Highest estimated cost (entities a query may return, graph-node's complexity). */
  maxCost: number;
  /** Longest a query may run, in milliseconds. */
  timeLimitMs: number;
  /** Largest request body, in bytes (refused before it is read). */
  maxBodyBytes: number;
  /** Largest `variables` object, in bytes of JSON. */
  maxVariablesBytes: number;
  /** Queries one client (remote address) may run at once. */
  maxConcurrentPerClient: number;
  /** Further queries of one client that may wait for a slot. */
  maxQueuedPerClient: number;
  /** Longest a waiting query waits for a slot before it is refused (429). */
  queueWaitMs: number;
}

export const defaultServerLimits: ServerLimits = {
  ...defaultLimits,
  maxQueryLength: 20_000,
  maxDepth: 10,
  maxAliases: 30,
  maxCost: 500_000,
  timeLimitMs: 10_000,
  maxBodyBytes: 256_000,
  maxVariablesBytes: 128_000,
  maxConcurrentPerClient: 4,
  maxQueuedPerClient: 16,
  queueWaitMs: 5_000,
};

/** A validation rule refusing selections nested deeper than `maxDepth` (fragments followed). */
function depthLimit(maxDepth: number, maxAliases: number) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    let aliases = 0;
    const depth = (set: SelectionSetNode, level: number, seen: Set<string>): number => {
      let max = level;
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          if (sel.alias) aliases++;
          if (sel.selectionSet) max = Math.max(max, depth(sel.selectionSet, level + 1, seen));
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          max = Math.max(max, depth(sel.selectionSet, level, seen));
        } else {
          const frag = fragments.get(sel.name.value);
          if (frag && !seen.has(frag.name.value)) max = Math.max(max, depth(frag.selectionSet, level, new Set([...seen, frag.name.value])));
        }
      }
      return max;
    };
    return {
      OperationDefinition(node) {
        aliases = 0;
        const d = depth(node.selectionSet, 0, new Set());
        if (d > maxDepth) context.reportError(new GraphQLError(`The query is nested ${d} levels deep; the limit is ${maxDepth}`, { nodes: [node] }));
        if (aliases > maxAliases) context.reportError(new GraphQLError(`The query uses ${aliases} aliases; the limit is ${maxAliases}`, { nodes: [node] }));
      },
    };
  };
}

function limitsPlugin(limits: ServerLimits): Plugin<QueryContext> {
  return {
    onParams({ params }) {
      if (typeof params.query === "string" && params.query.length > limits.maxQueryLength) {
        throw new GraphQLError(`The query is ${params.query.length} characters long; the limit is ${limits.maxQueryLength}`, {
          extensions: { http: { status: 400 }, code: "QUERY_TOO_LONG", limit: limits.maxQueryLength },
        });
      }
      if (params.variables !== undefined && params.variables !== null) {
        const size = Buffer.byteLength(JSON.stringify(params.variables));
        if (size > limits.maxVariablesBytes) {
          throw new GraphQLError(`The variables are ${size} bytes of JSON; the limit is ${limits.maxVariablesBytes}`, {
            extensions: { http: { status: 413 }, code: "VARIABLES_TOO_LARGE", limit: limits.maxVariablesBytes },
          });
        }
        try {
          checkVariables(params.variables, limits);
        } catch (error) {
          const e = error as GraphQLError;
          throw new GraphQLError(e.message, { extensions: { ...e.extensions, http: { status: 400 } } });
        }
      }
    },
    onValidate({ addValidationRule, params, setResult }) {
      // Oversized filter literals are refused before graphql-js checks each of their objects.
      const error = checkLiterals(params.documentAST, limits);
      if (error) {
        setResult([error]);
        return;
      }
      addValidationRule(depthLimit(limits.maxDepth, limits.maxAliases));
    },
    onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      const cost = queryCost(args.schema, args.document, args.operationName, args.variableValues ?? undefined);
      if (cost > limits.maxCost) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `The query's cost is ${cost}, over the limit of ${limits.maxCost}: it may return that many entities (each list's \`first\`, 100 when absent, times its parent's count, summed over the query). Ask for fewer with \`first\`, nest fewer lists, or split it`,
              { extensions: { code: "QUERY_TOO_COMPLEX", cost, limit: limits.maxCost } },
            ),
          ],
        });
        return;
      }
      setExecuteFn(directExecute(executeFn) as typeof executeFn);
      return {
        onExecuteDone({ args: done, setResult }) {
          // One clear error instead of one per field that was stopped.
          if (done.contextValue.timedOut) setResult({ errors: [new QueryTimeoutError(limits.timeLimitMs)] });
        },
      };
    },
  };
}

export interface ServeOptions {
  subgraph: Subgraph;
  store: EntityStore;
  indexer?: Indexer;
  logger: Logger;
  port: number;
  host?: string;
  corsOrigins?: string[];
  limits?: Partial<ServerLimits>;
}

export interface RunningServer {
  server: Server;
  url: string;
  /** Per-client concurrency (tests look at it). */
  gate: ClientGate;
  close(): Promise<void>;
}

/** A refusal before GraphQL runs, in GraphQL's error shape. */
const refusal = (message: string, code: string, extra: Record<string, unknown> = {}) => ({ errors: [{ message, extensions: { code, ...extra } }] });

class BodyTooLargeError extends Error {}

/** The request body, refused once it exceeds `max` bytes. */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const limits = { ...defaultServerLimits, ...options.limits };
  const scheduler = new Scheduler();
  const schema = buildGraphQLSchema(options.subgraph.schema, { store: options.store, deployment: options.subgraph.deployment, limits, scheduler });
  const yoga = createYoga<object, QueryContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: (): QueryContext => ({ loaded: 0, deadline: performance.now() + limits.timeLimitMs, timeLimitMs: limits.timeLimitMs }),
    // The limits first: a query refused by its cost is never compiled.
    plugins: [limitsPlugin(limits)],
    // CORS is answered in front of yoga (below): allowed origins only.
    cors: false,
    logging: {
      debug: (...args) => options.logger.debug({ args }, "graphql"),
      info: (...args) => options.logger.info({ args }, "graphql"),
      warn: (...args) => options.logger.warn({ args }, "graphql"),
      error: (...args) => options.logger.error({ args }, "graphql"),
    },
    landingPage: false,
  });
  const allowedOrigins = new Set(options.corsOrigins ?? DEFAULT_CORS_ORIGINS);
  const gate = new ClientGate(limits.maxConcurrentPerClient, limits.maxQueuedPerClient, limits.queueWaitMs);

  const metrics = createMetrics({ status: () => options.indexer?.status, store: options.store });

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse, cors: Record<string, string>) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limits.maxBodyBytes) {
      sendJson(res, 413, refusal(`The request body is ${declared} bytes; the limit is ${limits.maxBodyBytes}`, "BODY_TOO_LARGE", { limit: limits.maxBodyBytes }), {
        ...cors,
        connection: "close",
      });
      req.destroy();
      return;
    }
    let release: () => void;
    try {
      release = await gate.acquire(req.socket.remoteAddress ?? "unknown");
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      sendJson(res, 429, refusal(error.message, "TOO_MANY_REQUESTS", { limit: limits.maxConcurrentPerClient }), {
        ...cors,
        "retry-after": String(error.retryAfterSeconds),
      });
      return;
    }
    try {
      let body: Buffer | undefined;
      if (req.method !== "GET" && req.method !== "HEAD") {
        try {
          body = await readBody(req, limits.maxBodyBytes);
        } catch (error) {
          if (!(error instanceof BodyTooLargeError)) throw error;
          sendJson(res, 413, refusal(`The request body is larger than the limit of ${limits.maxBodyBytes} bytes`, "BODY_TOO_LARGE", { limit: limits.maxBodyBytes }), {
            ...cors,
            connection: "close",
          });
          req.destroy();
          return;
        }
      }
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value === undefined || key === "content-length" || key === "transfer-encoding" || key === "connection") continue;
        headers.set(key, Array.isArray(value) ? value.join(", ") : value);
      }
      const response = await yoga.fetch(`http://${req.headers.host ?? "localhost"}${req.url ?? GRAPHQL_PATH}`, {
        method: req.method ?? "GET",
        headers,
        ...(body !== undefined ? { body: new Uint8Array(body) } : {}),
      });
      const out = Buffer.from(await response.arrayBuffer());
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        if (key !== "content-length" && !key.startsWith("access-control-")) responseHeaders[key] = value;
      });
      res.writeHead(response.status, { ...responseHeaders, ...cors, "content-length": String(out.length) });
      res.end(out);
    } finally {
      release();
    }
  };

  const server = createServer((req, res) => {
    const cors = corsHeaders(req, allowedOrigins);
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "OPTIONS") {
      // Preflight: the methods and headers only for an allowed origin; otherwise nothing to allow.
      res.writeHead(204, preflightHeaders(req, allowedOrigins));
      res.end();
      return;
    }
    if (path === "/health" && req.method === "GET") {
      const status = options.indexer?.status;
      const cursor = options.store.cursor();
      const skipped = options.store.skippedErrorCount();
      const body = {
        status: status?.error ? "failed" : "ok",
        synced: status?.synced ?? false,
        block: cursor?.number ?? null,
        head: status?.head ?? null,
        rpcDown: status?.rpcDown ?? false,
        hasIndexingErrors: options.store.hasIndexingErrors(),
        skippedHandlers: skipped,
        ...(skipped > 0 ? { firstSkippedHandler: options.store.skippedErrors(1)[0] } : {}),
        deployment: options.subgraph.deployment,
      };
      sendHealth(res, body, true, cors);
      return;
    }
    if (path === "/metrics" && req.method === "GET") {
      sendMetrics(res, metrics.registry, cors).catch((error: unknown) => {
        options.logger.error({ err: error }, "metrics failed");
        sendJson(res, 500, { error: "metrics unavailable; see the indexer's log" }, cors);
      });
      return;
    }
    if (path !== GRAPHQL_PATH) {
      sendJson(res, 404, refusal(`Not found: GraphQL is served at ${GRAPHQL_PATH}, health at /health, metrics at /metrics`, "NOT_FOUND"), cors);
      return;
    }
    handleGraphQL(req, res, cors).catch((error: unknown) => {
      options.logger.error({ err: error }, "request failed");
      sendJson(res, 500, refusal("The indexer could not answer this request; see its log", "INTERNAL"), cors);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${options.host ?? "127.0.0.1"}:${address.port}${GRAPHQL_PATH}`;
  return {
    server,
    url,
    gate,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
