import Anthropic from "@anthropic-ai/sdk";

/** A current Claude Sonnet (the SDK's model list). */
export const DEFAULT_MODEL = "claude-sonnet-5-5";

export interface ModelConfig {
  apiKey: string;
  /** Default: the SDK's own `ANTHROPIC_BASE_URL`, then the Anthropic API. */
  baseURL?: string;
  model?: string;
  /** Retries on 408/409/429/5xx and connection errors or timeouts, with exponential backoff (the SDK's, honouring retry-after). Default 4. */
  maxRetries?: number;
  /** Per-request timeout in ms. Default 120000. */
  timeoutMs?: number;
  maxTokens?: number;
}

/** A configured model: the SDK client plus the model id and limits. */
export interface ModelJudge {
  client: Anthropic;
  model: string;
  maxTokens: number;
}

export function createModelJudge(config: ModelConfig): ModelJudge {
  const client = new Anthropic({
    apiKey: config.apiKey,
    ...(config.baseURL !== undefined ? { baseURL: config.baseURL } : {}),
    maxRetries: config.maxRetries ?? 4,
    timeout: config.timeoutMs ?? 120_000,
    // The SDK would otherwise log through console; the service logs through pino.
    logLevel: "off",
  });
  return { client, model: config.model ?? DEFAULT_MODEL, maxTokens: config.maxTokens ?? 8192 };
}
