// The ABIs of the Governors the platform did not deploy but can attach to (`npm run attach`), by
// flavour: OpenZeppelin Governor 4.x / 5.x with a TimelockController, Compound GovernorAlpha /
// GovernorBravo with a Compound Timelock. Attach probes a Governor with them, the subgraph indexes
// with them and the analyst decodes, simulates and reads proposals with them, so each is written once,
// here. Also: how each flavour's proposals are read from its ProposalCreated event and identified.
import {
  concat,
  decodeAbiParameters,
  decodeEventLog,
  getAddress,
  hexToString,
  keccak256,
  parseAbi,
  parseAbiParameters,
  size,
  slice,
  type Abi,
  type Address,
  type Hex,
} from "viem";

import { contractNames, daoAbis, type ContractRole } from "./abis.ts";
import { decodeProposalCreated, hashDescription, hashProposal, proposalCreatedEvent, type ProposalCreated } from "./proposal.ts";

/** Governor flavours attach recognises (the same names as the deployment file's `attached.flavour`). */
export type GovernorFlavourName = "openzeppelin-4" | "openzeppelin-5" | "compound-alpha" | "compound-bravo";
/** Timelocks an attached Governor executes through (the deployment file's `attached.timelockKind`). */
export type TimelockKindName = "timelock-controller" | "compound-timelock";

/** Whether a flavour is Compound's (sequential proposal ids, signatures plus calldata, a Compound Timelock). */
export function isCompoundFlavour(flavour: GovernorFlavourName): flavour is "compound-alpha" | "compound-bravo" {
  return flavour === "compound-alpha" || flavour === "compound-bravo";
}

/**
 * Every Governor function attach calls to find out what a Governor is, across the flavours
 * (OpenZeppelin 4.x/5.x, Compound Alpha/Bravo, and this platform's own extensions). Probing only: a
 * Governor answers some of them.
 */
export const governorProbeAbi = parseAbi([
  "function name() view returns (string)",
  "function version() view returns (string)",
  "function COUNTING_MODE() view returns (string)",
  "function CLOCK_MODE() view returns (string)",
  "function clock() view returns (uint48)",
  "function hashProposal(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) view returns (uint256)",
  "function votingDelay() view returns (uint256)",
  "function votingPeriod() view returns (uint256)",
  "function proposalThreshold() view returns (uint256)",
  "function quorum(uint256 timepoint) view returns (uint256)",
  "function quorumNumerator() view returns (uint256)",
  "function quorumDenominator() view returns (uint256)",
  "function quorumVotes() view returns (uint256)",
  "function token() view returns (address)",
  "function comp() view returns (address)",
  "function uni() view returns (address)",
  "function timelock() view returns (address)",
  "function proposalNeedsQueuing(uint256 proposalId) view returns (bool)",
  "function proposalEta(uint256 proposalId) view returns (uint256)",
  "function proposalCount() view returns (uint256)",
  "function proposalDetails(uint256 proposalId) view returns (address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash)",
  "function queue(uint256 proposalId)",
  "function execute(uint256 proposalId) payable",
  "function proposalGuardian() view returns (address)",
  "function guardian() view returns (address)",
  "function lateQuorumVoteExtension() view returns (uint48)",
  "function isAnalyst(address account) view returns (bool)",
  "function riskTiers() view returns ((uint8 minRisk, uint32 delay)[])",
  "function codeHashOf(address account) view returns (bytes32)",
  "function supportsInterface(bytes4 interfaceId) view returns (bool)",
  "function initialProposalId() view returns (uint256)",
  "function implementation() view returns (address)",
  "function admin() view returns (address)",
]);

/** The votes-token functions attach calls (ERC-5805 `getPastVotes` or Compound's `getPriorVotes`). */
export const votesTokenProbeAbi = parseAbi([
  "function name() view returns (string)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function totalSupply() view returns (uint256)",
  "function balanceOf(address account) view returns (uint256)",
  "function getPastVotes(address account, uint256 timepoint) view returns (uint256)",
  "function getPriorVotes(address account, uint256 blockNumber) view returns (uint96)",
]);

/** The timelock functions attach calls: a TimelockController's or a Compound Timelock's. */
export const timelockProbeAbi = parseAbi([
  "function getMinDelay() view returns (uint256)",
  "function PROPOSER_ROLE() view returns (bytes32)",
  "function hasRole(bytes32 role, address account) view returns (bool)",
  "function delay() view returns (uint256)",
  "function GRACE_PERIOD() view returns (uint256)",
  "function admin() view returns (address)",
  "function pendingAdmin() view returns (address)",
]);

/**
 * An OpenZeppelin Governor of 4.9 or 5.x without this platform's extensions: the calls a proposal
 * may make to it (settings, quorum, timelock, late quorum, relay), the lifecycle functions and its
 * events. Where 4.9 and 5 differ in a parameter type (`setVotingDelay(uint256)` vs `(uint48)`), both
 * are listed: their selectors differ.
 */
export const openZeppelinGovernorAbi = parseAbi([
  "function name() view returns (string)",
  "function version() view returns (string)",
  "function COUNTING_MODE() view returns (string)",
  "function CLOCK_MODE() view returns (string)",
  "function clock() view returns (uint48)",
  "function token() view returns (address)",
  "function timelock() view returns (address)",
  "function hashProposal(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) view returns (uint256)",
  "function state(uint256 proposalId) view returns (uint8)",
  "function proposalSnapshot(uint256 proposalId) view returns (uint256)",
  "function proposalDeadline(uint256 proposalId) view returns (uint256)",
  "function proposalProposer(uint256 proposalId) view returns (address)",
  "function proposalEta(uint256 proposalId) view returns (uint256)",
  "function votingDelay() view returns (uint256)",
  "function votingPeriod() view returns (uint256)",
  "function proposalThreshold() view returns (uint256)",
  "function quorum(uint256 timepoint) view returns (uint256)",
  "function quorumNumerator() view returns (uint256)",
  "function quorumDenominator() view returns (uint256)",
  "function getVotes(address account, uint256 timepoint) view returns (uint256)",
  "function hasVoted(uint256 proposalId, address account) view returns (bool)",
  "function propose(address[] targets, uint256[] values, bytes[] calldatas, string description) returns (uint256)",
  "function queue(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) returns (uint256)",
  "function execute(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) payable returns (uint256)",
  "function cancel(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) returns (uint256)",
  "function castVote(uint256 proposalId, uint8 support) returns (uint256)",
  "function castVoteWithReason(uint256 proposalId, uint8 support, string reason) returns (uint256)",
  "function relay(address target, uint256 value, bytes data) payable",
  "function setVotingDelay(uint256 newVotingDelay)",
  "function setVotingDelay(uint48 newVotingDelay)",
  "function setVotingPeriod(uint256 newVotingPeriod)",
  "function setVotingPeriod(uint32 newVotingPeriod)",
  "function setProposalThreshold(uint256 newProposalThreshold)",
  "function updateQuorumNumerator(uint256 newQuorumNumerator)",
  "function updateTimelock(address newTimelock)",
  "function setLateQuorumVoteExtension(uint64 newVoteExtension)",
  "function setLateQuorumVoteExtension(uint48 newVoteExtension)",
  "function lateQuorumVoteExtension() view returns (uint256)",
  "event ProposalCreated(uint256 proposalId, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 voteStart, uint256 voteEnd, string description)",
  "event ProposalQueued(uint256 proposalId, uint256 etaSeconds)",
  "event ProposalExecuted(uint256 proposalId)",
  "event ProposalCanceled(uint256 proposalId)",
  "event VoteCast(address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason)",
  "event VoteCastWithParams(address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason, bytes params)",
  "event VotingDelaySet(uint256 oldVotingDelay, uint256 newVotingDelay)",
  "event VotingPeriodSet(uint256 oldVotingPeriod, uint256 newVotingPeriod)",
  "event ProposalThresholdSet(uint256 oldProposalThreshold, uint256 newProposalThreshold)",
  "event QuorumNumeratorUpdated(uint256 oldQuorumNumerator, uint256 newQuorumNumerator)",
  "event TimelockChange(address oldTimelock, address newTimelock)",
]);

/** An ERC20Votes token (OpenZeppelin 4.9 / 5): the ERC-20 calls, delegation and votes, and their events. */
export const votesTokenAbi = parseAbi([
  "function name() view returns (string)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function totalSupply() view returns (uint256)",
  "function balanceOf(address account) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function transfer(address to, uint256 amount) returns (bool)",
  "function transferFrom(address from, address to, uint256 amount) returns (bool)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)",
  "function delegate(address delegatee)",
  "function delegates(address account) view returns (address)",
  "function getVotes(address account) view returns (uint256)",
  "function getPastVotes(address account, uint256 timepoint) view returns (uint256)",
  "function getPastTotalSupply(uint256 timepoint) view returns (uint256)",
  "function clock() view returns (uint48)",
  "function CLOCK_MODE() view returns (string)",
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "event Approval(address indexed owner, address indexed spender, uint256 value)",
  "event DelegateChanged(address indexed delegator, address indexed fromDelegate, address indexed toDelegate)",
  "event DelegateVotesChanged(address indexed delegate, uint256 previousVotes, uint256 newVotes)",
]);

/**
 * Compound's GovernorAlpha as Uniswap deployed it: the ABI of the build artifact
 * `@uniswap/governance@1.0.2` ships (build/GovernorAlpha.json), verbatim (test/flavours.test.ts
 * compares them).
 */
export const compoundGovernorAlphaAbi = [
  {"inputs":[{"internalType":"address","name":"timelock_","type":"address"},{"internalType":"address","name":"uni_","type":"address"}],"payable":false,"stateMutability":"nonpayable","type":"constructor"},
  {"anonymous":false,"inputs":[{"indexed":false,"internalType":"uint256","name":"id","type":"uint256"}],"name":"ProposalCanceled","type":"event"},
  {"anonymous":false,"inputs":[{"indexed":false,"internalType":"uint256","name":"id","type":"uint256"},{"indexed":false,"internalType":"address","name":"proposer","type":"address"},{"indexed":false,"internalType":"address[]","name":"targets","type":"address[]"},{"indexed":false,"internalType":"uint256[]","name":"values","type":"uint256[]"},{"indexed":false,"internalType":"string[]","name":"signatures","type":"string[]"},{"indexed":false,"internalType":"bytes[]","name":"calldatas","type":"bytes[]"},{"indexed":false,"internalType":"uint256","name":"startBlock","type":"uint256"},{"indexed":false,"internalType":"uint256","name":"endBlock","type":"uint256"},{"indexed":false,"internalType":"string","name":"description","type":"string"}],"name":"ProposalCreated","type":"event"},
  {"anonymous":false,"inputs":[{"indexed":false,"internalType":"uint256","name":"id","type":"uint256"}],"name":"ProposalExecuted","type":"event"},
  {"anonymous":false,"inputs":[{"indexed":false,"internalType":"uint256","name":"id","type":"uint256"},{"indexed":false,"internalType":"uint256","name":"eta","type":"uint256"}],"name":"ProposalQueued","type":"event"},
  {"anonymous":false,"inputs":[{"indexed":false,"internalType":"address","name":"voter","type":"address"},{"indexed":false,"internalType":"uint256","name":"proposalId","type":"uint256"},{"indexed":false,"internalType":"bool","name":"support","type":"bool"},{"indexed":false,"internalType":"uint256","name":"votes","type":"uint256"}],"name":"VoteCast","type":"event"},
  {"constant":true,"inputs":[],"name":"BALLOT_TYPEHASH","outputs":[{"internalType":"bytes32","name":"","type":"bytes32"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"DOMAIN_TYPEHASH","outputs":[{"internalType":"bytes32","name":"","type":"bytes32"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":false,"inputs":[{"internalType":"uint256","name":"proposalId","type":"uint256"}],"name":"cancel","outputs":[],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":false,"inputs":[{"internalType":"uint256","name":"proposalId","type":"uint256"},{"internalType":"bool","name":"support","type":"bool"}],"name":"castVote","outputs":[],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":false,"inputs":[{"internalType":"uint256","name":"proposalId","type":"uint256"},{"internalType":"bool","name":"support","type":"bool"},{"internalType":"uint8","name":"v","type":"uint8"},{"internalType":"bytes32","name":"r","type":"bytes32"},{"internalType":"bytes32","name":"s","type":"bytes32"}],"name":"castVoteBySig","outputs":[],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":false,"inputs":[{"internalType":"uint256","name":"proposalId","type":"uint256"}],"name":"execute","outputs":[],"payable":true,"stateMutability":"payable","type":"function"},
  {"constant":true,"inputs":[{"internalType":"uint256","name":"proposalId","type":"uint256"}],"name":"getActions","outputs":[{"internalType":"address[]","name":"targets","type":"address[]"},{"internalType":"uint256[]","name":"values","type":"uint256[]"},{"internalType":"string[]","name":"signatures","type":"string[]"},{"internalType":"bytes[]","name":"calldatas","type":"bytes[]"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[{"internalType":"uint256","name":"proposalId","type":"uint256"},{"internalType":"address","name":"voter","type":"address"}],"name":"getReceipt","outputs":[{"components":[{"internalType":"bool","name":"hasVoted","type":"bool"},{"internalType":"bool","name":"support","type":"bool"},{"internalType":"uint96","name":"votes","type":"uint96"}],"internalType":"struct GovernorAlpha.Receipt","name":"","type":"tuple"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[{"internalType":"address","name":"","type":"address"}],"name":"latestProposalIds","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"name","outputs":[{"internalType":"string","name":"","type":"string"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"proposalCount","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"proposalMaxOperations","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"pure","type":"function"},
  {"constant":true,"inputs":[],"name":"proposalThreshold","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"pure","type":"function"},
  {"constant":true,"inputs":[{"internalType":"uint256","name":"","type":"uint256"}],"name":"proposals","outputs":[{"internalType":"uint256","name":"id","type":"uint256"},{"internalType":"address","name":"proposer","type":"address"},{"internalType":"uint256","name":"eta","type":"uint256"},{"internalType":"uint256","name":"startBlock","type":"uint256"},{"internalType":"uint256","name":"endBlock","type":"uint256"},{"internalType":"uint256","name":"forVotes","type":"uint256"},{"internalType":"uint256","name":"againstVotes","type":"uint256"},{"internalType":"bool","name":"canceled","type":"bool"},{"internalType":"bool","name":"executed","type":"bool"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":false,"inputs":[{"internalType":"address[]","name":"targets","type":"address[]"},{"internalType":"uint256[]","name":"values","type":"uint256[]"},{"internalType":"string[]","name":"signatures","type":"string[]"},{"internalType":"bytes[]","name":"calldatas","type":"bytes[]"},{"internalType":"string","name":"description","type":"string"}],"name":"propose","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":false,"inputs":[{"internalType":"uint256","name":"proposalId","type":"uint256"}],"name":"queue","outputs":[],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":true,"inputs":[],"name":"quorumVotes","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"pure","type":"function"},
  {"constant":true,"inputs":[{"internalType":"uint256","name":"proposalId","type":"uint256"}],"name":"state","outputs":[{"internalType":"enum GovernorAlpha.ProposalState","name":"","type":"uint8"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"timelock","outputs":[{"internalType":"contract TimelockInterface","name":"","type":"address"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"uni","outputs":[{"internalType":"contract UniInterface","name":"","type":"address"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"votingDelay","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"pure","type":"function"},
  {"constant":true,"inputs":[],"name":"votingPeriod","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"pure","type":"function"},
] as const;

/** Compound's Timelock (`@uniswap/governance@1.0.2`, build/Timelock.json), verbatim. */
export const compoundTimelockAbi = [
  {"inputs":[{"internalType":"address","name":"admin_","type":"address"},{"internalType":"uint256","name":"delay_","type":"uint256"}],"payable":false,"stateMutability":"nonpayable","type":"constructor"},
  {"anonymous":false,"inputs":[{"indexed":true,"internalType":"bytes32","name":"txHash","type":"bytes32"},{"indexed":true,"internalType":"address","name":"target","type":"address"},{"indexed":false,"internalType":"uint256","name":"value","type":"uint256"},{"indexed":false,"internalType":"string","name":"signature","type":"string"},{"indexed":false,"internalType":"bytes","name":"data","type":"bytes"},{"indexed":false,"internalType":"uint256","name":"eta","type":"uint256"}],"name":"CancelTransaction","type":"event"},
  {"anonymous":false,"inputs":[{"indexed":true,"internalType":"bytes32","name":"txHash","type":"bytes32"},{"indexed":true,"internalType":"address","name":"target","type":"address"},{"indexed":false,"internalType":"uint256","name":"value","type":"uint256"},{"indexed":false,"internalType":"string","name":"signature","type":"string"},{"indexed":false,"internalType":"bytes","name":"data","type":"bytes"},{"indexed":false,"internalType":"uint256","name":"eta","type":"uint256"}],"name":"ExecuteTransaction","type":"event"},
  {"anonymous":false,"inputs":[{"indexed":true,"internalType":"address","name":"newAdmin","type":"address"}],"name":"NewAdmin","type":"event"},
  {"anonymous":false,"inputs":[{"indexed":true,"internalType":"uint256","name":"newDelay","type":"uint256"}],"name":"NewDelay","type":"event"},
  {"anonymous":false,"inputs":[{"indexed":true,"internalType":"address","name":"newPendingAdmin","type":"address"}],"name":"NewPendingAdmin","type":"event"},
  {"anonymous":false,"inputs":[{"indexed":true,"internalType":"bytes32","name":"txHash","type":"bytes32"},{"indexed":true,"internalType":"address","name":"target","type":"address"},{"indexed":false,"internalType":"uint256","name":"value","type":"uint256"},{"indexed":false,"internalType":"string","name":"signature","type":"string"},{"indexed":false,"internalType":"bytes","name":"data","type":"bytes"},{"indexed":false,"internalType":"uint256","name":"eta","type":"uint256"}],"name":"QueueTransaction","type":"event"},
  {"payable":true,"stateMutability":"payable","type":"fallback"},
  {"constant":true,"inputs":[],"name":"GRACE_PERIOD","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"MAXIMUM_DELAY","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"MINIMUM_DELAY","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":false,"inputs":[],"name":"acceptAdmin","outputs":[],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":true,"inputs":[],"name":"admin","outputs":[{"internalType":"address","name":"","type":"address"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":false,"inputs":[{"internalType":"address","name":"target","type":"address"},{"internalType":"uint256","name":"value","type":"uint256"},{"internalType":"string","name":"signature","type":"string"},{"internalType":"bytes","name":"data","type":"bytes"},{"internalType":"uint256","name":"eta","type":"uint256"}],"name":"cancelTransaction","outputs":[],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":true,"inputs":[],"name":"delay","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":false,"inputs":[{"internalType":"address","name":"target","type":"address"},{"internalType":"uint256","name":"value","type":"uint256"},{"internalType":"string","name":"signature","type":"string"},{"internalType":"bytes","name":"data","type":"bytes"},{"internalType":"uint256","name":"eta","type":"uint256"}],"name":"executeTransaction","outputs":[{"internalType":"bytes","name":"","type":"bytes"}],"payable":true,"stateMutability":"payable","type":"function"},
  {"constant":true,"inputs":[],"name":"pendingAdmin","outputs":[{"internalType":"address","name":"","type":"address"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":false,"inputs":[{"internalType":"address","name":"target","type":"address"},{"internalType":"uint256","name":"value","type":"uint256"},{"internalType":"string","name":"signature","type":"string"},{"internalType":"bytes","name":"data","type":"bytes"},{"internalType":"uint256","name":"eta","type":"uint256"}],"name":"queueTransaction","outputs":[{"internalType":"bytes32","name":"","type":"bytes32"}],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":true,"inputs":[{"internalType":"bytes32","name":"","type":"bytes32"}],"name":"queuedTransactions","outputs":[{"internalType":"bool","name":"","type":"bool"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":false,"inputs":[{"internalType":"uint256","name":"delay_","type":"uint256"}],"name":"setDelay","outputs":[],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":false,"inputs":[{"internalType":"address","name":"pendingAdmin_","type":"address"}],"name":"setPendingAdmin","outputs":[],"payable":false,"stateMutability":"nonpayable","type":"function"},
] as const;

/** A Compound-style votes token (UNI, `@uniswap/governance@1.0.2`, build/Uni.json), verbatim: `getPriorVotes`, no ERC-6372 clock. */
export const compoundTokenAbi = [
  {"inputs":[{"internalType":"address","name":"account","type":"address"},{"internalType":"address","name":"minter_","type":"address"},{"internalType":"uint256","name":"mintingAllowedAfter_","type":"uint256"}],"payable":false,"stateMutability":"nonpayable","type":"constructor"},
  {"anonymous":false,"inputs":[{"indexed":true,"internalType":"address","name":"owner","type":"address"},{"indexed":true,"internalType":"address","name":"spender","type":"address"},{"indexed":false,"internalType":"uint256","name":"amount","type":"uint256"}],"name":"Approval","type":"event"},
  {"anonymous":false,"inputs":[{"indexed":true,"internalType":"address","name":"delegator","type":"address"},{"indexed":true,"internalType":"address","name":"fromDelegate","type":"address"},{"indexed":true,"internalType":"address","name":"toDelegate","type":"address"}],"name":"DelegateChanged","type":"event"},
  {"anonymous":false,"inputs":[{"indexed":true,"internalType":"address","name":"delegate","type":"address"},{"indexed":false,"internalType":"uint256","name":"previousBalance","type":"uint256"},{"indexed":false,"internalType":"uint256","name":"newBalance","type":"uint256"}],"name":"DelegateVotesChanged","type":"event"},
  {"anonymous":false,"inputs":[{"indexed":false,"internalType":"address","name":"minter","type":"address"},{"indexed":false,"internalType":"address","name":"newMinter","type":"address"}],"name":"MinterChanged","type":"event"},
  {"anonymous":false,"inputs":[{"indexed":true,"internalType":"address","name":"from","type":"address"},{"indexed":true,"internalType":"address","name":"to","type":"address"},{"indexed":false,"internalType":"uint256","name":"amount","type":"uint256"}],"name":"Transfer","type":"event"},
  {"constant":true,"inputs":[],"name":"DELEGATION_TYPEHASH","outputs":[{"internalType":"bytes32","name":"","type":"bytes32"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"DOMAIN_TYPEHASH","outputs":[{"internalType":"bytes32","name":"","type":"bytes32"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"PERMIT_TYPEHASH","outputs":[{"internalType":"bytes32","name":"","type":"bytes32"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[{"internalType":"address","name":"account","type":"address"},{"internalType":"address","name":"spender","type":"address"}],"name":"allowance","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":false,"inputs":[{"internalType":"address","name":"spender","type":"address"},{"internalType":"uint256","name":"rawAmount","type":"uint256"}],"name":"approve","outputs":[{"internalType":"bool","name":"","type":"bool"}],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":true,"inputs":[{"internalType":"address","name":"account","type":"address"}],"name":"balanceOf","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[{"internalType":"address","name":"","type":"address"},{"internalType":"uint32","name":"","type":"uint32"}],"name":"checkpoints","outputs":[{"internalType":"uint32","name":"fromBlock","type":"uint32"},{"internalType":"uint96","name":"votes","type":"uint96"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"decimals","outputs":[{"internalType":"uint8","name":"","type":"uint8"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":false,"inputs":[{"internalType":"address","name":"delegatee","type":"address"}],"name":"delegate","outputs":[],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":false,"inputs":[{"internalType":"address","name":"delegatee","type":"address"},{"internalType":"uint256","name":"nonce","type":"uint256"},{"internalType":"uint256","name":"expiry","type":"uint256"},{"internalType":"uint8","name":"v","type":"uint8"},{"internalType":"bytes32","name":"r","type":"bytes32"},{"internalType":"bytes32","name":"s","type":"bytes32"}],"name":"delegateBySig","outputs":[],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":true,"inputs":[{"internalType":"address","name":"","type":"address"}],"name":"delegates","outputs":[{"internalType":"address","name":"","type":"address"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[{"internalType":"address","name":"account","type":"address"}],"name":"getCurrentVotes","outputs":[{"internalType":"uint96","name":"","type":"uint96"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[{"internalType":"address","name":"account","type":"address"},{"internalType":"uint256","name":"blockNumber","type":"uint256"}],"name":"getPriorVotes","outputs":[{"internalType":"uint96","name":"","type":"uint96"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"minimumTimeBetweenMints","outputs":[{"internalType":"uint32","name":"","type":"uint32"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":false,"inputs":[{"internalType":"address","name":"dst","type":"address"},{"internalType":"uint256","name":"rawAmount","type":"uint256"}],"name":"mint","outputs":[],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":true,"inputs":[],"name":"mintCap","outputs":[{"internalType":"uint8","name":"","type":"uint8"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"minter","outputs":[{"internalType":"address","name":"","type":"address"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"mintingAllowedAfter","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"name","outputs":[{"internalType":"string","name":"","type":"string"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[{"internalType":"address","name":"","type":"address"}],"name":"nonces","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[{"internalType":"address","name":"","type":"address"}],"name":"numCheckpoints","outputs":[{"internalType":"uint32","name":"","type":"uint32"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":false,"inputs":[{"internalType":"address","name":"owner","type":"address"},{"internalType":"address","name":"spender","type":"address"},{"internalType":"uint256","name":"rawAmount","type":"uint256"},{"internalType":"uint256","name":"deadline","type":"uint256"},{"internalType":"uint8","name":"v","type":"uint8"},{"internalType":"bytes32","name":"r","type":"bytes32"},{"internalType":"bytes32","name":"s","type":"bytes32"}],"name":"permit","outputs":[],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":false,"inputs":[{"internalType":"address","name":"minter_","type":"address"}],"name":"setMinter","outputs":[],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":true,"inputs":[],"name":"symbol","outputs":[{"internalType":"string","name":"","type":"string"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":true,"inputs":[],"name":"totalSupply","outputs":[{"internalType":"uint256","name":"","type":"uint256"}],"payable":false,"stateMutability":"view","type":"function"},
  {"constant":false,"inputs":[{"internalType":"address","name":"dst","type":"address"},{"internalType":"uint256","name":"rawAmount","type":"uint256"}],"name":"transfer","outputs":[{"internalType":"bool","name":"","type":"bool"}],"payable":false,"stateMutability":"nonpayable","type":"function"},
  {"constant":false,"inputs":[{"internalType":"address","name":"src","type":"address"},{"internalType":"address","name":"dst","type":"address"},{"internalType":"uint256","name":"rawAmount","type":"uint256"}],"name":"transferFrom","outputs":[{"internalType":"bool","name":"","type":"bool"}],"payable":false,"stateMutability":"nonpayable","type":"function"},
] as const;

/**
 * GovernorBravo's ABI as far as the platform uses it: GovernorAlpha's, with Bravo's `VoteCast`
 * (uint8 support and a reason, from Compound's GovernorBravoInterfaces.sol) in place of Alpha's
 * (bool support). No installed package ships Bravo's artifacts.
 */
export const compoundGovernorBravoAbi = [
  ...compoundGovernorAlphaAbi.filter((item) => !(item.type === "event" && item.name === "VoteCast")),
  {
    type: "event",
    name: "VoteCast",
    inputs: [
      { indexed: true, name: "voter", type: "address" },
      { indexed: false, name: "proposalId", type: "uint256" },
      { indexed: false, name: "support", type: "uint8" },
      { indexed: false, name: "votes", type: "uint256" },
      { indexed: false, name: "reason", type: "string" },
    ],
  },
] as const;

/** One DAO contract's ABI and the name decoded calls and logs are attributed to. */
export interface NamedAbi {
  name: string;
  abi: Abi;
}

/** The parts of a deployment file that say which flavour a DAO is (`attached` is absent for the platform's own). */
export interface FlavourOf {
  attached?: { flavour: GovernorFlavourName; timelockKind: TimelockKindName } | undefined;
}

/**
 * The ABIs of a deployment's token, Governor and timelock: the platform's own contracts', or for an
 * attached DAO those of its flavour and timelock kind. Calls and logs are attributed to the same
 * names as the platform's contracts by role (`DAOGovernor` is "the DAO's Governor", whatever its
 * flavour), except a Compound Timelock (`CompoundTimelock`), which has other functions.
 */
export function flavourAbis(deployment: FlavourOf): Record<Exclude<ContractRole, "decisionLog">, NamedAbi> & { decisionLog: NamedAbi } {
  const decisionLog = { name: contractNames.decisionLog, abi: daoAbis.decisionLog as Abi };
  const attached = deployment.attached;
  if (attached === undefined) {
    return {
      token: { name: contractNames.token, abi: daoAbis.token as Abi },
      governor: { name: contractNames.governor, abi: daoAbis.governor as Abi },
      timelock: { name: contractNames.timelock, abi: daoAbis.timelock as Abi },
      decisionLog,
    };
  }
  const compound = isCompoundFlavour(attached.flavour);
  return {
    token: { name: compound ? "CompoundVotesToken" : "ERC20Votes", abi: (compound ? compoundTokenAbi : votesTokenAbi) as Abi },
    governor: {
      name: contractNames.governor,
      abi: (attached.flavour === "compound-alpha" ? compoundGovernorAlphaAbi : attached.flavour === "compound-bravo" ? compoundGovernorBravoAbi : openZeppelinGovernorAbi) as Abi,
    },
    timelock:
      attached.timelockKind === "compound-timelock"
        ? { name: "CompoundTimelock", abi: compoundTimelockAbi as Abi }
        : { name: contractNames.timelock, abi: daoAbis.timelock as Abi },
    decisionLog,
  };
}

/**
 * What a Compound Timelock executes for one action: `signature`'s selector followed by `data` when
 * the signature is not empty, else `data` as it is (`Timelock.executeTransaction`). The selector is
 * keccak256 of the signature's exact bytes, as the Timelock computes it (no normalisation).
 */
export function compoundCalldata(signatureBytes: Hex, data: Hex): Hex {
  if (size(signatureBytes) === 0) return data.toLowerCase() as Hex;
  return concat([slice(keccak256(signatureBytes), 0, 4), data]).toLowerCase() as Hex;
}

/** A ProposalCreated event of any flavour: `calldatas` are what each call sends (for Compound, selector and arguments). */
export interface FlavouredProposalCreated extends ProposalCreated {
  /**
   * What the event emitted as `calldatas` (Compound: the arguments only, next to `signatures`);
   * the same as `calldatas` for OpenZeppelin Governors.
   */
  emittedCalldatas: Hex[];
}

/** Compound's ProposalCreated data with `signatures` and the description as bytes (ABI-encoded `string` and `bytes` are identical). */
const compoundCreatedData = parseAbiParameters(
  "uint256 id, address proposer, address[] targets, uint256[] values, bytes[] signatures, bytes[] calldatas, uint256 startBlock, uint256 endBlock, bytes description",
);

/**
 * Decodes a ProposalCreated log as `flavour` emits it. OpenZeppelin: the id is checked against the
 * hash of the fields (`decodeProposalCreated`). Compound (the same event signature): the id is the
 * Governor's sequential one, taken from the event, and each call's data is built as the Timelock
 * will execute it ({@link compoundCalldata}); `voteStart`/`voteEnd` are its start and end blocks.
 * Throws when the log is not a ProposalCreated event or the arrays do not line up.
 */
export function decodeProposalCreatedFor(flavour: GovernorFlavourName | undefined, log: { data: Hex; topics: readonly Hex[] }): FlavouredProposalCreated {
  if (flavour === undefined || !isCompoundFlavour(flavour)) {
    const created = decodeProposalCreated(log);
    return { ...created, emittedCalldatas: created.calldatas };
  }
  decodeEventLog({ abi: [proposalCreatedEvent], data: log.data, topics: log.topics as [Hex, ...Hex[]], strict: true });
  const [id, proposer, targets, values, signatures, calldatas, startBlock, endBlock, descriptionBytes] = decodeAbiParameters(compoundCreatedData, log.data);
  if (values.length !== targets.length || signatures.length !== targets.length || calldatas.length !== targets.length) {
    throw new Error(`ProposalCreated ${id}: ${targets.length} targets, ${values.length} values, ${signatures.length} signatures and ${calldatas.length} calldatas do not line up`);
  }
  return {
    proposalId: id,
    proposer: getAddress(proposer),
    targets: targets.map((t) => getAddress(t)),
    values: [...values],
    // Signatures are text only for display; the selector comes from their bytes.
    signatures: signatures.map((s) => hexToString(s)),
    calldatas: calldatas.map((data, i) => compoundCalldata(signatures[i]!, data)),
    emittedCalldatas: calldatas.map((c) => c.toLowerCase() as Hex),
    voteStart: startBlock,
    voteEnd: endBlock,
    descriptionBytes: descriptionBytes.toLowerCase() as Hex,
    descriptionHash: hashDescription(descriptionBytes),
  };
}

/**
 * A proposal's id as its Governor computes it. OpenZeppelin: the hash of targets, values, calldatas
 * and the description hash. Compound: the sequential id the Governor assigned, which only the chain
 * knows (`emittedId`, from ProposalCreated or `proposalCount()`); without it this throws.
 */
export function proposalIdFor(
  flavour: GovernorFlavourName | undefined,
  proposal: { targets: readonly Address[]; values: readonly bigint[]; calldatas: readonly Hex[]; descriptionHash: Hex },
  emittedId?: bigint,
): bigint {
  if (flavour === undefined || !isCompoundFlavour(flavour)) {
    const computed = hashProposal(proposal);
    if (emittedId !== undefined && emittedId !== computed) throw new Error(`proposal id ${emittedId} is not the hash of the proposal's fields (${computed})`);
    return computed;
  }
  if (emittedId === undefined) throw new Error("a Compound Governor's proposal id is assigned by the chain (sequential): it cannot be computed from the proposal");
  return emittedId;
}
