import { parseAbi } from "viem";

/** The parts of the Governor (OZ v5 + GovernorTimelockControl + GovernorStorage) the executor uses. */
export const governorAbi = parseAbi([
  "function state(uint256 proposalId) view returns (uint8)",
  "function proposalEta(uint256 proposalId) view returns (uint256)",
  "function proposalNeedsQueuing(uint256 proposalId) view returns (bool)",
  "function proposalGuardian() view returns (address)",
  "function timelock() view returns (address)",
  "function queue(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) returns (uint256)",
  "function execute(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) payable returns (uint256)",
]);

export const timelockAbi = parseAbi([
  "function hashOperationBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) pure returns (bytes32)",
  "function isOperationReady(bytes32 id) view returns (bool)",
  "function isOperationDone(bytes32 id) view returns (bool)",
]);

export const decisionLogAbi = parseAbi([
  "struct Decision { uint256 proposalId; bytes32 reportHash; address actor; uint8 kind; uint8 risk; uint8 recommendation; uint48 timestamp; }",
  "event DecisionPublished(uint256 decisionId, uint256 indexed proposalId, uint8 indexed kind, address indexed actor, uint8 risk, uint8 recommendation, bytes32 reportHash, bytes report)",
  "function publish(uint256 proposalId, uint8 kind, uint8 risk, uint8 recommendation, bytes32 reportHash, bytes report) returns (uint256)",
  "function latestDecision(uint256 proposalId, uint8 kind) view returns (uint256 decisionId, Decision decision)",
  "function isPublisher(address account) view returns (bool)",
]);

/** IBeacon, for ERC-1967 beacon proxies. */
export const beaconAbi = parseAbi(["function implementation() view returns (address)"]);

/**
 * Every custom error the DAO's contracts can revert with (Governor, timelock, DecisionLog, token and
 * the OpenZeppelin libraries they use), so a failed simulation can say why. `Error(string)` and
 * `Panic(uint256)` are decoded by viem itself.
 */
export const daoErrorsAbi = parseAbi([
  "error CheckpointUnorderedInsertion()",
  "error ERC6372InconsistentClock()",
  "error FailedCall()",
  "error GovernorAlreadyCastVote(address voter)",
  "error GovernorAlreadyQueuedProposal(uint256 proposalId)",
  "error GovernorAnalystCannotVote(address account)",
  "error GovernorDisabledDeposit()",
  "error GovernorInsufficientProposerVotes(address proposer, uint256 votes, uint256 threshold)",
  "error GovernorInvalidAnalyst(address account)",
  "error GovernorInvalidProposalLength(uint256 targets, uint256 calldatas, uint256 values)",
  "error GovernorInvalidQuorumFraction(uint256 quorumNumerator, uint256 quorumDenominator)",
  "error GovernorInvalidSignature(address voter)",
  "error GovernorInvalidVoteParams()",
  "error GovernorInvalidVoteType()",
  "error GovernorInvalidVotingPeriod(uint256 votingPeriod)",
  "error GovernorNonexistentProposal(uint256 proposalId)",
  "error GovernorOnlyExecutor(address account)",
  "error GovernorPreventLateQuorumVoteExtensionTooLarge(uint256 newVoteExtension, uint256 maxVoteExtension)",
  "error GovernorProposalQueueingFailed(uint256 proposalId)",
  "error GovernorProposalQueueingNotRequired(uint256 proposalId)",
  "error GovernorRestrictedProposer(address proposer)",
  "error GovernorUnableToCancel(uint256 proposalId, address account)",
  "error GovernorUnexpectedProposalState(uint256 proposalId, uint8 current, bytes32 expectedStates)",
  "error InvalidAccountNonce(address account, uint256 currentNonce)",
  "error InvalidShortString()",
  "error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value)",
  "error StringTooLong(string str)",
  "error AccessControlBadConfirmation()",
  "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
  "error TimelockInsufficientDelay(uint256 delay, uint256 minDelay)",
  "error TimelockInvalidOperationLength(uint256 targets, uint256 payloads, uint256 values)",
  "error TimelockUnauthorizedCaller(address caller)",
  "error TimelockUnexecutedPredecessor(bytes32 predecessorId)",
  "error TimelockUnexpectedOperationState(bytes32 operationId, bytes32 expectedStates)",
  "error DecisionLogEmptyReport()",
  "error DecisionLogHashMismatch(bytes32 given, bytes32 computed)",
  "error DecisionLogInvalidRisk(uint256 risk)",
  "error DecisionLogNoDecision(uint256 proposalId, uint8 kind)",
  "error DecisionLogOnlyGovernance(address caller)",
  "error DecisionLogReportTooLarge(uint256 size, uint256 maxSize)",
  "error DecisionLogUnauthorizedPublisher(address caller)",
  "error DecisionLogUnknownDecision(uint256 decisionId)",
  "error DecisionLogZeroAddress()",
  "error ERC20ExceededSafeSupply(uint256 increasedSupply, uint256 cap)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InvalidApprover(address approver)",
  "error ERC20InvalidReceiver(address receiver)",
  "error ERC20InvalidSender(address sender)",
  "error ERC20InvalidSpender(address spender)",
  "error ERC5805FutureLookup(uint256 timepoint, uint48 clock)",
  "error ECDSAInvalidSignature()",
]);

/** ERC-1967 storage slots. */
export const ERC1967_IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";
export const ERC1967_BEACON_SLOT = "0xa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50";
