// An in-process chain served over HTTP JSON-RPC, as `hardhat node` serves one: for code that only
// takes an RPC URL (the indexer, a service's main, the analyst's fork simulation).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** An EIP-1193 provider, such as a Hardhat network connection's `provider`. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

export interface RpcEndpointOptions {
  /** JSON-RPC error code for a request the provider rejects (default -32603, internal error). */
  errorCode?: number;
}

interface Call {
  id: unknown;
  method: string;
  params?: unknown[];
}

/**
 * A JSON-RPC HTTP endpoint over an EIP-1193 provider, single and batch requests. `down` makes it
 * drop every connection; `maxLogRange` makes eth_getLogs over more blocks fail as a node's result
 * limit does; `requests` counts the calls it answered.
 */
export class RpcEndpoint {
  down = false;
  requests = 0;
  /** When set, eth_getLogs over more blocks than this fails as a node's result limit does. */
  maxLogRange: number | undefined;
  url = "";
  private httpServer: Server | undefined;
  private readonly provider: Eip1193Provider;
  private readonly errorCode: number;

  constructor(provider: Eip1193Provider, options: RpcEndpointOptions = {}) {
    this.provider = provider;
    this.errorCode = options.errorCode ?? -32603;
  }

  /** The HTTP server once started. */
  get server(): Server {
    if (this.httpServer === undefined) throw new Error("the RPC endpoint is not started");
    return this.httpServer;
  }

  /** Listens on 127.0.0.1 (`port` 0: a free one) and returns the URL. */
  async start(port = 0): Promise<string> {
    const server = createServer(async (req, res) => {
      if (this.down) {
        req.socket.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Call | Call[];
      const result = Array.isArray(body) ? await Promise.all(body.map((call) => this.answer(call))) : await this.answer(body);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(result, (_k, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v)));
    });
    this.httpServer = server;
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.httpServer;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(call: Call): Promise<object> {
    this.requests++;
    if (call.method === "eth_getLogs" && this.maxLogRange !== undefined) {
      const { fromBlock, toBlock } = (call.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string };
      if (fromBlock && toBlock && Number(toBlock) - Number(fromBlock) + 1 > this.maxLogRange) {
        return { jsonrpc: "2.0", id: call.id, error: { code: -32005, message: "query returned more than 10000 results" } };
      }
    }
    try {
      return { jsonrpc: "2.0", id: call.id, result: await this.provider.request({ method: call.method, params: call.params ?? [] }) };
    } catch (error) {
      const e = error as { message?: string; data?: unknown };
      return { jsonrpc: "2.0", id: call.id, error: { code: this.errorCode, message: e.message ?? String(error), ...(e.data !== undefined ? { data: e.data } : {}) } };
    }
  }
}

/** Serves `provider` on a free loopback port; `close` stops it. */
export async function serveRpc(
  provider: Eip1193Provider,
  options: RpcEndpointOptions = {},
): Promise<{ url: string; server: Server; endpoint: RpcEndpoint; close(): Promise<void> }> {
  const endpoint = new RpcEndpoint(provider, options);
  const url = await endpoint.start();
  return { url, server: endpoint.server, endpoint, close: () => endpoint.stop() };
}
