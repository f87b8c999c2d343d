// HTTP: graphql-yoga at /subgraphs/name/dao (graph-node's path), GET /health, CORS for the web app,
// and limits on what one request may ask (query length, depth, aliases, `first`, entities loaded).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { GraphQLError, type ASTVisitor, type FragmentDefinitionNode, Kind, type SelectionSetNode, type ValidationContext } from "graphql";
import { createYoga, type Plugin } from "graphql-yoga";
import type { Logger } from "pino";

import { buildGraphQLSchema, type QueryContext, type QueryLimits } from "./graphql.ts";
import type { Indexer } from "./indexer.ts";
import type { EntityStore } from "./store.ts";
import type { Subgraph } from "./subgraph.ts";

export const GRAPHQL_PATH = "/subgraphs/name/dao";

export interface ServerLimits extends QueryLimits {
  /** Longest query text, in characters. */
  maxQueryLength: number;
  /** Deepest selection nesting. */
  maxDepth: number;
  /** Most aliased fields in one query. */
  maxAliases: number;
}

export const defaultServerLimits: ServerLimits = {
  maxFirst: 1000,
  maxSkip: 5000,
  maxEntities: 100_000,
  maxQueryLength: 20_000,
  maxDepth: 10,
  maxAliases: 30,
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

function limitsPlugin(limits: ServerLimits): Plugin {
  return {
    onParams({ params }) {
      if (typeof params.query === "string" && params.query.length > limits.maxQueryLength) {
        throw new GraphQLError(`The query is ${params.query.length} characters long; the limit is ${limits.maxQueryLength}`, {
          extensions: { http: { status: 400 } },
        });
      }
    },
    onValidate({ addValidationRule }) {
      addValidationRule(depthLimit(limits.maxDepth, limits.maxAliases));
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
  close(): Promise<void>;
}

export async function serve(options: ServeOptions): Promise<RunningServer> {
  const limits = { ...defaultServerLimits, ...options.limits };
  const schema = buildGraphQLSchema(options.subgraph.schema, { store: options.store, deployment: options.subgraph.deployment, limits });
  const yoga = createYoga<object, QueryContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: () => ({ loaded: 0 }),
    plugins: [limitsPlugin(limits)],
    cors: { origin: options.corsOrigins ?? ["http://localhost:5173", "http://127.0.0.1:5173"], credentials: false },
    logging: {
      debug: (...args) => options.logger.debug({ args }, "graphql"),
      info: (...args) => options.logger.info({ args }, "graphql"),
      warn: (...args) => options.logger.warn({ args }, "graphql"),
      error: (...args) => options.logger.error({ args }, "graphql"),
    },
    landingPage: false,
  });
  const server = createServer((req, res) => {
    if (req.url === "/health" && req.method === "GET") {
      const status = options.indexer?.status;
      const cursor = options.store.cursor();
      const body = {
        status: status?.error ? "failed" : "ok",
        synced: status?.synced ?? false,
        block: cursor?.number ?? null,
        head: status?.head ?? null,
        rpcDown: status?.rpcDown ?? false,
        hasIndexingErrors: options.store.indexingError() !== undefined,
        deployment: options.subgraph.deployment,
      };
      res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" });
      res.end(JSON.stringify(body));
      return;
    }
    void yoga.handle(req, res);
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
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
