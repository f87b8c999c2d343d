// Field helpers for environment schemas. Each takes the variable's text and returns its typed value;
// chain `.default(value)` or `.optional()`. Messages say what the value must be and never repeat a
// key or a URL (either may carry a secret); loadEnv puts the variable's name in front.
import { z } from "zod";

const text = () => z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be text") });

/** Non-empty text (paths, host names, ids). */
export const nonEmpty = () => text().min(1, "must not be empty");

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** pino's level names, default `info`. */
export const logLevel = () => z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info");

/** A whole number from `min` to `max`, written in decimal digits only. */
export function int(o: { min?: number; max?: number; unit?: string } = {}) {
  const min = o.min ?? 0;
  const max = o.max ?? Number.MAX_SAFE_INTEGER;
  const what = o.unit ? `a whole number of ${o.unit}` : "a whole number";
  const range = max === Number.MAX_SAFE_INTEGER ? `, at least ${min}` : ` from ${min} to ${max}`;
  return text().transform((v, ctx) => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || n < min || n > max) {
      ctx.addIssue({ code: "custom", message: `must be ${what}${range} (got "${v}")` });
      return z.NEVER;
    }
    return n;
  });
}

/** A whole number of at least 1. */
export const positiveInt = (o: { max?: number; unit?: string } = {}) => int({ ...o, min: 1 });

/** A TCP port; `0` (any free port) unless `min` says otherwise. */
export function port(o: { min?: number } = {}) {
  const min = o.min ?? 0;
  return text().transform((v, ctx) => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim())) {
      ctx.addIssue({ code: "custom", message: "must be a port number" });
      return z.NEVER;
    }
    if (n < min || n > 65_535) {
      ctx.addIssue({ code: "custom", message: `must be a port number from ${min} to 65535` });
      return z.NEVER;
    }
    return n;
  });
}

/** `true`/`false` (also 1/0, yes/no, on/off, any case). */
export const boolean = () =>
  text().transform((v, ctx) => {
    if (/^(1|true|yes|on)$/i.test(v.trim())) return true;
    if (/^(0|false|no|off)$/i.test(v.trim())) return false;
    ctx.addIssue({ code: "custom", message: `must be true or false (got "${v}")` });
    return z.NEVER;
  });

/**
 * An http(s) or ws(s) URL. `what` and `example` complete the message ("must be a URL of the chain's
 * JSON-RPC endpoint, e.g. http://127.0.0.1:8545"); the value itself is never repeated. `also` lists
 * words accepted instead of a URL (e.g. `off`).
 */
export function url<const W extends string = never>(o: { what?: string; example?: string; also?: readonly W[] } = {}) {
  const alternatives = o.also ?? [];
  const message = `must be a URL${o.what ? ` of ${o.what}` : ""}${alternatives.length ? ` or ${alternatives.join(" or ")}` : ""}${o.example ? `, e.g. ${o.example}` : ""}`;
  return text().refine((v): boolean => {
    if ((alternatives as readonly string[]).includes(v)) return true;
    try {
      return ["http:", "https:", "ws:", "wss:"].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, message) as unknown as z.ZodType<string | W, string>;
}

/**
 * A private key, 0x + 64 hex digits. The message leads with the variable's name, says what to do
 * (`hint`) and never shows the value; `required` is said when it is missing (leave it out for an
 * optional key and chain `.optional()`).
 */
export function privateKey(name: string, o: { required?: string; hint?: string } = {}) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? `is required${o.required ? `: ${o.required}` : ""}` : `${name} must be text`) })
    .regex(/^0x[0-9a-fA-F]{64}$/, `${name} must be 0x followed by 64 hex digits (${o.hint ?? "the value is not shown"})`)
    .transform((v) => v as `0x${string}`);
}

/**
 * A comma-separated list, items trimmed, empty items dropped. `item` checks each one; the message
 * names the bad items and what they should be (`what`).
 */
export function list(o: { what?: string; item?: (value: string) => boolean } = {}) {
  return text().transform((v, ctx) => {
    const items = v.split(",").map((s) => s.trim()).filter((s) => s !== "");
    const bad = o.item ? items.filter((s) => !o.item!(s)) : [];
    if (bad.length > 0) {
      ctx.addIssue({ code: "custom", message: `must be a comma-separated list of ${o.what ?? "values"} (bad: ${bad.join(", ")})` });
      return z.NEVER;
    }
    return items;
  });
}

/**
 * The origins of a web app served on this machine at `port`: a browser tab opened by name and one
 * opened by loopback address are different origins, so both are allowed.
 */
export const localWebOrigins = (port: number): string[] => [`http://localhost:${port}`, `http://127.0.0.1:${port}`];

/** The web app's origins on its default port; every service allows these unless `CORS_ORIGINS` says otherwise. */
export const DEFAULT_CORS_ORIGINS = localWebOrigins(5173);

/** `CORS_ORIGINS` without a default: for a caller that must tell "not set" from a list (npm start). */
export const corsOriginList = () => list({ what: "origins such as http://localhost:5173", item: (o) => /^https?:\/\/[^/\s]+$/.test(o) });

/** `CORS_ORIGINS`: origins allowed to read a service's HTTP answers. */
export const corsOrigins = () => corsOriginList().default(DEFAULT_CORS_ORIGINS);
