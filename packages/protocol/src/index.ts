export {
  beaconAbi,
  contractNames,
  daoAbis,
  daoErrorsAbi,
  decisionLogAbi,
  ERC1967_ADMIN_SLOT,
  ERC1967_BEACON_SLOT,
  ERC1967_IMPLEMENTATION_SLOT,
  governorAbi,
  standardAbis,
  standardEventAbis,
  timelockAbi,
  tokenAbi,
  type ContractRole,
} from "./abis.ts";
export { createCallDecoder, decodeCalls, type DecodedCall, type ExtraAbi, type ProposalCalls } from "./decode.ts";
export {
  DecisionKind,
  decisionKindName,
  decisionKindNames,
  ProposalState,
  proposalStateName,
  proposalStateNames,
  proposalStatesOf,
  Recommendation,
  recommendationName,
  recommendationNames,
  recommendationOfReport,
  Support,
  supportName,
  supportNames,
  type DecisionKindName,
  type ProposalStateName,
  type RecommendationName,
  type ReportRecommendation,
  type SupportName,
} from "./enums.ts";
export {
  decodeProposalCreated,
  descriptionBytesOf,
  hashDescription,
  hashProposal,
  proposalCreatedEvent,
  timelockSalt,
  type ProposalCreated,
} from "./proposal.ts";
export { INITIALIZER_SIGNATURES, KNOWN_SIGNATURES_SOURCE, knownSignatureAbis } from "./known-signatures.ts";
export { decodeRevert, panicReasons, revertDataOf, type DecodedRevert } from "./revert.ts";
export {
  getDecisions,
  getLatestDecision,
  getLatestDecisionId,
  verifyDecision,
  type DecisionQuery,
  type PublishedDecision,
} from "./decision-log.ts";
