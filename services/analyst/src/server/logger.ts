import { pino, type Logger } from "pino";

/** JSON logs (pino). Keys are redacted wherever they might appear. */
export function createLogger(level = process.env.LOG_LEVEL ?? "info"): Logger {
  return pino({
    name: "analyst",
    level,
    redact: { paths: ["privateKey", "apiKey", "*.privateKey", "*.apiKey", "headers.authorization", "headers[\"x-api-key\"]"], censor: "[redacted]" },
  });
}
