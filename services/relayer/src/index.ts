export { envSchema, loadConfig, type RelayerConfig } from "./config.ts";
export { RateLimiter } from "./limits.ts";
export { createMetrics, type Metrics } from "./metrics.ts";
export { Refusal, REFUSALS, SELF_SEND, type RefusalCode } from "./refusal.ts";
export { DEFAULT_BUDGET, Relayer, startOfUtcDay, type Budget, type RelayAnswer, type RelayerDeployment, type RelayerOptions, type RelayStatus, type RelayView } from "./relayer.ts";
export {
  ballotTypedData,
  ballotTypes,
  canonicalSignature,
  delegationSchema,
  delegationTypedData,
  delegationTypes,
  extendedBallotTypes,
  isExtended,
  voteSchema,
  type DelegationRequest,
  type VoteRequest,
} from "./requests.ts";
export { startServer, type ServerOptions } from "./server.ts";
export { RelayStore, relayKey, type RelayKind, type RelayRecord } from "./store.ts";
