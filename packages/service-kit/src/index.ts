export { ConfigError, loadEnv, type LoadEnvOptions } from "./config.ts";
export { boolean, corsOriginList, corsOrigins, DEFAULT_CORS_ORIGINS, localWebOrigins, int, list, LOG_LEVELS, logLevel, nonEmpty, port, positiveInt, privateKey, url } from "./fields.ts";
export { createLogger, type Logger, type LoggerOptions } from "./logger.ts";
export { backoffDelay, errorLine, pollLoop, retry, sleep, waitForChain, type PollLoopOptions, type RetryOptions, type WaitForChainOptions } from "./poll.ts";
export { isSecretName, redactText, redactUrl, scrubText, secretsOf } from "./redact.ts";
export { deploymentsDir, readDeploymentFor, repoRoot, resolveDeploymentFile } from "./repo.ts";
export { corsHeaders, createRegistry, preflightHeaders, sendHealth, sendJson, sendMetrics } from "./http.ts";
