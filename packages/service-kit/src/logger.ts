// The one logger factory: pino JSON lines, with keys and credentials taken out before they are written.
import { pino, type DestinationStream, type Logger } from "pino";

import { redactUrl, scrubText } from "./redact.ts";

export type { Logger };

/** Fields whose value is a secret wherever they appear (top level, one or two objects deep). */
const SECRET_FIELDS = ["privateKey", "apiKey", "password", "secret", "token", "mnemonic", "authorization", "cookie", '"x-api-key"'];
/** Fields holding a URL that may carry a key in its path (RPC providers, webhooks): logged as origin only. */
const URL_FIELDS = ["rpcUrl", "forkRpcUrl", "webhookUrl", "baseURL", "baseUrl"];

const paths = [...SECRET_FIELDS, ...URL_FIELDS].flatMap((field) => {
  const key = field.startsWith('"') ? `[${field}]` : field;
  const member = field.startsWith('"') ? key : `.${key}`;
  return [key, `*${member}`, `*.*${member}`];
});

export interface LoggerOptions {
  /** The service's name, on every line as `name`. */
  name: string;
  level?: string;
  /** Values to blank out wherever they appear, in messages too (the service's private key, API key). */
  secrets?: ReadonlyArray<string | undefined>;
  /** Where lines go; default stdout. */
  destination?: DestinationStream;
}

/**
 * A pino logger that never writes a key: secret-named fields become `[redacted]`, URL fields their
 * origin, and every string (messages and error texts included) loses the given secret values, URL
 * userinfo and token-like query parameters.
 */
export function createLogger(o: LoggerOptions): Logger {
  const secrets = (o.secrets ?? []).filter((s): s is string => typeof s === "string" && s.length >= 4);
  const scrub = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value === "string") return scrubText(value, secrets);
    if (value === null || typeof value !== "object" || depth > 6 || seen.has(value)) return value;
    seen.add(value);
    if (value instanceof Error) return scrub(pino.stdSerializers.err(value), depth + 1, seen);
    if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1, seen));
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1, seen)]));
  };
  return pino(
    {
      name: o.name,
      level: o.level ?? process.env.LOG_LEVEL ?? "info",
      redact: {
        paths,
        censor: (value: unknown, path: string[]) => {
          const field = path.at(-1) ?? "";
          if (URL_FIELDS.includes(field) && typeof value === "string") return redactUrl(value);
          return "[redacted]";
        },
      },
      formatters: { log: (object) => scrub(object, 0, new WeakSet()) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === "string" ? scrubText(arg, secrets) : arg)) as Parameters<typeof method>);
        },
      },
    },
    o.destination,
  );
}
