/**
 * A loopback stand-in for the Anthropic Messages API (`POST /v1/messages`), for tests that drive
 * the real `@anthropic-ai/sdk` through `baseURL` / `ANTHROPIC_BASE_URL`.
 *
 * - validates requests the way the real API does (auth and version headers, model, max_tokens,
 *   messages alternating from `user`, system as a string or text blocks, `output_config.format`)
 *   and answers 400/401 with the API's error shape;
 * - answers from a script, in order: a JSON value as structured output, raw text, an error status
 *   (429/500/529 with `retry-after` / `retry-after-ms`), or a delay before any of these;
 * - records every request (headers and parsed body) so tests can assert what was sent.
 *
 * Usage:
 *   const api = await startMessagesApi();
 *   api.script({ json: { ... } }, { status: 429, retryAfterMs: 5 }, { json: { ... } });
 *   const client = new Anthropic({ apiKey: "test", baseURL: api.url });
 *   ...
 *   await api.close();
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted answer. */
export type ScriptedResponse =
  /** A message whose single text block is `JSON.stringify(json)` (structured output). */
  | { json: unknown; delayMs?: number; stopReason?: string }
  /** A message whose single text block is `text` verbatim. */
  | { text: string; delayMs?: number; stopReason?: string }
  /** An API error: 429 rate_limit_error, 500 api_error, 529 overloaded_error, ... */
  | { status: number; errorType?: string; message?: string; retryAfter?: number; retryAfterMs?: number; delayMs?: number }
  /** Computed from the request. */
  | ((request: RecordedRequest) => ScriptedResponse);

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (undefined if it was not JSON). */
  body: any;
  /** What the stand-in answered: status code. */
  status?: number;
}

export interface MessagesApi {
  /** Base URL to give the SDK (`http://127.0.0.1:<port>`). */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Appends answers to the script. */
  script(...responses: ScriptedResponse[]): void;
  /** Answers left in the script. */
  pending(): number;
  /** Empties the script and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

export interface MessagesApiOptions {
  /** Answer used when the script is empty; default a 500 saying the script ran out. */
  fallback?: ScriptedResponse;
  /** Accepted API key; default any non-empty key. */
  apiKey?: string;
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  408: "timeout_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

class InvalidRequest extends Error {
  readonly status: number;

  constructor(message: string, status = 400) {
    super(message);
    this.status = status;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const CONTENT_BLOCK_TYPES = new Set(["text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking", "search_result"]);

/** The checks the real API makes on a Messages request that matter to our client. */
export function validateMessagesRequest(headers: IncomingMessage["headers"], body: unknown, apiKey?: string): void {
  const key = headers["x-api-key"] ?? (typeof headers.authorization === "string" ? headers.authorization.replace(/^Bearer /, "") : undefined);
  if (typeof key !== "string" || key === "") throw new InvalidRequest("x-api-key header is required", 401);
  if (apiKey !== undefined && key !== apiKey) throw new InvalidRequest("invalid x-api-key", 401);
  if (typeof headers["anthropic-version"] !== "string") throw new InvalidRequest("anthropic-version: header is required");
  if (!isObject(body)) throw new InvalidRequest("request body must be a JSON object");
  if (typeof body.model !== "string" || body.model === "") throw new InvalidRequest("model: Field required");
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) throw new InvalidRequest("max_tokens: Field required (a positive integer)");
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) throw new InvalidRequest("messages: at least one message is required");
  messages.forEach((m: unknown, i: number) => {
    if (!isObject(m)) throw new InvalidRequest(`messages.${i}: must be an object`);
    if (m.role !== "user" && m.role !== "assistant") throw new InvalidRequest(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    if (i === 0 && m.role !== "user") throw new InvalidRequest("messages: first message must use the \"user\" role");
    const prev = i > 0 ? (messages[i - 1] as { role: string }).role : undefined;
    if (prev === m.role && m.role === "assistant") throw new InvalidRequest(`messages.${i}: roles must alternate`);
    if (typeof m.content === "string") {
      if (m.content === "" && !(m.role === "assistant" && i === messages.length - 1)) throw new InvalidRequest(`messages.${i}: text content blocks must be non-empty`);
    } else if (Array.isArray(m.content)) {
      m.content.forEach((b: unknown, j: number) => {
        if (!isObject(b) || typeof b.type !== "string" || !CONTENT_BLOCK_TYPES.has(b.type)) throw new InvalidRequest(`messages.${i}.content.${j}.type: unknown content block type`);
        if (b.type === "text" && (typeof b.text !== "string" || b.text === "")) throw new InvalidRequest(`messages.${i}.content.${j}.text: text content blocks must be non-empty`);
      });
    } else throw new InvalidRequest(`messages.${i}.content: must be a string or a list of content blocks`);
  });
  if (body.system !== undefined) {
    const ok =
      typeof body.system === "string" || (Array.isArray(body.system) && body.system.every((b) => isObject(b) && b.type === "text" && typeof b.text === "string"));
    if (!ok) throw new InvalidRequest("system: must be a string or a list of text blocks");
  }
  if (body.temperature !== undefined && (typeof body.temperature !== "number" || body.temperature < 0 || body.temperature > 1)) {
    throw new InvalidRequest("temperature: must be between 0 and 1");
  }
  if (body.output_config !== undefined) {
    if (!isObject(body.output_config)) throw new InvalidRequest("output_config: must be an object");
    const format = body.output_config.format;
    if (format !== undefined && format !== null) {
      if (!isObject(format) || format.type !== "json_schema") throw new InvalidRequest("output_config.format.type: Input should be 'json_schema'");
      if (!isObject(format.schema) || format.schema.type !== "object") throw new InvalidRequest("output_config.format.schema: the root must be an object schema");
      const open = findOpenObject(format.schema);
      if (open !== null) throw new InvalidRequest(`output_config.format.schema: objects must set additionalProperties to false (at ${open})`);
    }
  }
  if (body.stream === true) throw new InvalidRequest("stream: not supported by this stand-in");
}

/** Structured outputs require `additionalProperties: false` on every object schema. */
function findOpenObject(schema: unknown, at = "#"): string | null {
  if (Array.isArray(schema)) {
    for (let i = 0; i < schema.length; i++) {
      const r = findOpenObject(schema[i], `${at}/${i}`);
      if (r) return r;
    }
    return null;
  }
  if (!isObject(schema)) return null;
  if (schema.type === "object" && schema.additionalProperties !== false) return at;
  for (const [k, v] of Object.entries(schema)) {
    const r = findOpenObject(v, `${at}/${k}`);
    if (r) return r;
  }
  return null;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "request-id": `req_${randomBytes(8).toString("hex")}`, ...headers });
  res.end(text);
}

function errorBody(type: string, message: string) {
  return { type: "error", error: { type, message } };
}

/** Starts the stand-in on 127.0.0.1, port 0 (a free port). */
export async function startMessagesApi(options: MessagesApiOptions = {}): Promise<MessagesApi> {
  const queue: ScriptedResponse[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void handle(req, res, Buffer.concat(chunks).toString("utf8"));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    let body: unknown;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const record: RecordedRequest = { method: req.method ?? "", path: (req.url ?? "").split("?")[0]!, headers: { ...req.headers }, body };
    requests.push(record);
    const reply = (status: number, payload: unknown, headers?: Record<string, string>) => {
      record.status = status;
      if (!res.destroyed) send(res, status, payload, headers);
    };

    if (record.method !== "POST" || record.path !== "/v1/messages") {
      reply(404, errorBody("not_found_error", `${record.method} ${record.path} not found`));
      return;
    }
    try {
      if (body === undefined) throw new InvalidRequest("request body is not valid JSON");
      validateMessagesRequest(req.headers, body, options.apiKey);
    } catch (error) {
      const status = error instanceof InvalidRequest ? error.status : 400;
      reply(status, errorBody(ERROR_TYPES[status] ?? "invalid_request_error", (error as Error).message));
      return;
    }

    let next: ScriptedResponse = queue.shift() ?? options.fallback ?? { status: 500, message: "the stand-in's script is empty" };
    while (typeof next === "function") next = next(record);
    if (next.delayMs) await new Promise((r) => setTimeout(r, next.delayMs));
    if (res.destroyed) {
      record.status = 0;
      return;
    }
    if ("status" in next) {
      const headers: Record<string, string> = {};
      if (next.retryAfter !== undefined) headers["retry-after"] = String(next.retryAfter);
      if (next.retryAfterMs !== undefined) headers["retry-after-ms"] = String(next.retryAfterMs);
      reply(next.status, errorBody(next.errorType ?? ERROR_TYPES[next.status] ?? "api_error", next.message ?? `scripted ${next.status}`), headers);
      return;
    }
    const text = "json" in next ? JSON.stringify(next.json) : next.text;
    const b = body as { model: string; messages: unknown[] };
    reply(200, {
      id: `msg_${randomBytes(12).toString("hex")}`,
      type: "message",
      role: "assistant",
      model: b.model,
      content: [{ type: "text", text }],
      stop_reason: next.stopReason ?? "end_turn",
      stop_sequence: null,
      usage: { input_tokens: Math.ceil(raw.length / 4), output_tokens: Math.ceil(text.length / 4), cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...responses) => void queue.push(...responses),
    pending: () => queue.length,
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
