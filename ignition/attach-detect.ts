// What an existing Governor is, found by calling it: every fact here comes from an eth_call that
// answered (or from ERC-165 where the Governor implements it), never from a contract's name or
// version string. `npm run attach` records the result in deployments/<chainId>.json.

import type { GovernorCapabilities, GovernorFlavour, TimelockKind } from "@ai-dao/deployment";
import { governorProbeAbi, revertDataOf, timelockProbeAbi, votesTokenProbeAbi } from "@ai-dao/protocol";
import {
  BaseError,
  decodeFunctionResult,
  encodeFunctionData,
  getAddress,
  toFunctionSelector,
  zeroAddress,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";

/** The clock of a Governor without ERC-6372: block numbers (what ERC-6372 calls the default). */
export const DEFAULT_CLOCK_MODE = "mode=blocknumber&from=default";

/** A Governor, token, timelock or DecisionLog that attach cannot use, or a chain it cannot reach. */
export class AttachError extends Error {
  override name = "AttachError";
}

/** The result of one probing call. */
type Probe<T> = { answered: true; value: T } | { answered: false; reverted: boolean; revertData?: Hex };

/** The Governor, votes token and timelock functions attach calls (`@ai-dao/protocol`'s probe ABIs). */
const governorAbi = governorProbeAbi;
const tokenAbi = votesTokenProbeAbi;
const timelockAbi = timelockProbeAbi;

/** Compound's `proposals(uint256)`: GovernorAlpha returns 9 words, GovernorBravo 10 (with abstain votes). */
const PROPOSALS_SELECTOR = toFunctionSelector("proposals(uint256)");
const COMPOUND_PROPOSAL_WORDS = 9;

function xorSelectors(signatures: readonly string[]): Hex {
  const id = signatures.reduce((acc, signature) => acc ^ parseInt(toFunctionSelector(signature).slice(2), 16), 0) >>> 0;
  return `0x${id.toString(16).padStart(8, "0")}`;
}

const OZ5_GOVERNOR_FUNCTIONS = [
  "name()",
  "version()",
  "COUNTING_MODE()",
  "hashProposal(address[],uint256[],bytes[],bytes32)",
  "state(uint256)",
  "proposalThreshold()",
  "proposalSnapshot(uint256)",
  "proposalDeadline(uint256)",
  "proposalProposer(uint256)",
  "proposalEta(uint256)",
  "proposalNeedsQueuing(uint256)",
  "votingDelay()",
  "votingPeriod()",
  "quorum(uint256)",
  "getVotes(address,uint256)",
  "getVotesWithParams(address,uint256,bytes)",
  "hasVoted(uint256,address)",
  "propose(address[],uint256[],bytes[],string)",
  "queue(address[],uint256[],bytes[],bytes32)",
  "execute(address[],uint256[],bytes[],bytes32)",
  "cancel(address[],uint256[],bytes[],bytes32)",
  "castVote(uint256,uint8)",
  "castVoteWithReason(uint256,uint8,string)",
  "castVoteWithReasonAndParams(uint256,uint8,string,bytes)",
  "castVoteBySig(uint256,uint8,address,bytes)",
  "castVoteWithReasonAndParamsBySig(uint256,uint8,address,string,bytes,bytes)",
] as const;

/**
 * ERC-165 interface ids attach asks a Governor about. A "yes" is recorded by name; the flavour is
 * decided by what the Governor answers, and these only confirm it (older 4.x ids are not listed:
 * those Governors are recognised by their functions alone).
 */
export const KNOWN_INTERFACES: readonly { name: string; id: Hex }[] = [
  { name: "IGovernor (OpenZeppelin 5.1+)", id: xorSelectors([...OZ5_GOVERNOR_FUNCTIONS, "getProposalId(address[],uint256[],bytes[],bytes32)"]) },
  { name: "IGovernor (OpenZeppelin 5.0)", id: xorSelectors(OZ5_GOVERNOR_FUNCTIONS) },
  // OpenZeppelin 4.9 answers `cancel ^ proposalProposer` for its Governor.
  { name: "IGovernor (OpenZeppelin 4.9)", id: xorSelectors(["cancel(address[],uint256[],bytes[],bytes32)", "proposalProposer(uint256)"]) },
  { name: "IGovernorTimelock (OpenZeppelin 4.x)", id: xorSelectors(["timelock()", "proposalEta(uint256)", "queue(address[],uint256[],bytes[],bytes32)"]) },
  { name: "IERC1155Receiver", id: "0x4e2312e0" },
];

/** Everything attach learned about a DAO, in the form the deployment file records it. */
export interface DetectedDAO {
  flavour: GovernorFlavour;
  governor: Address;
  governorName: string;
  token: Address;
  tokenInfo: { name: string; symbol: string; decimals: number; totalSupply: bigint };
  timelock: Address;
  timelockKind: TimelockKind;
  timelockDelay: bigint;
  clockMode: string;
  /** The Governor's clock now (ERC-6372 `clock()`, or the block number). */
  clock: bigint;
  countingMode: string | null;
  votingDelay: bigint;
  votingPeriod: bigint;
  proposalThreshold: bigint;
  quorum: { votes: bigint; numerator: bigint | null; denominator: bigint | null };
  /** The quorum as a whole percentage of the total supply (rounded), for the deployment file. */
  quorumPercent: number;
  lateQuorumVoteExtension: bigint | null;
  proposalGuardian: Address | null;
  riskTiers: { minRisk: number; delay: number }[] | null;
  capabilities: GovernorCapabilities;
  interfaces: string[];
}

/** Whether a failed eth_call was the contract reverting (as opposed to the RPC failing). */
function isRevert(error: unknown): boolean {
  if (revertDataOf(error) !== undefined) return true;
  const text = error instanceof BaseError ? `${error.shortMessage} ${error.details}` : String((error as Error)?.message ?? error);
  return /revert|invalid opcode|out of gas/i.test(text);
}

/** Calls `data` on `to` and classifies the outcome; RPC failures are thrown, not classified. */
async function rawCall(client: PublicClient, to: Address, data: Hex): Promise<{ ok: true; data: Hex } | { ok: false; revertData?: Hex }> {
  try {
    const result = await client.call({ to, data });
    return { ok: true, data: result.data ?? "0x" };
  } catch (error) {
    if (!isRevert(error)) throw error;
    return { ok: false, revertData: revertDataOf(error) };
  }
}

/**
 * Calls `functionName` of `abi` on `to`. It answered when the call succeeded and its return data
 * decodes as the declared outputs (a contract without the function but with a permissive fallback
 * returns nothing decodable, so it does not count).
 */
async function probe<const TAbi extends Abi, T = unknown>(
  client: PublicClient,
  to: Address,
  abi: TAbi,
  functionName: string,
  args: readonly unknown[] = [],
): Promise<Probe<T>> {
  const data = encodeFunctionData({ abi: abi as Abi, functionName, args } as never);
  const result = await rawCall(client, to, data);
  if (!result.ok) return { answered: false, reverted: true, revertData: result.revertData };
  try {
    const value = decodeFunctionResult({ abi: abi as Abi, functionName, data: result.data } as never) as T;
    return { answered: true, value };
  } catch {
    return { answered: false, reverted: false };
  }
}

/**
 * Whether a function that reverts for an unknown proposal exists: it answered, or it reverted with
 * a reason or custom error. A contract without the function reverts with no data at all.
 */
async function exists(client: PublicClient, to: Address, abi: Abi, functionName: string, args: readonly unknown[]): Promise<boolean> {
  const result = await probe(client, to, abi, functionName, args);
  return result.answered || (result.reverted && result.revertData !== undefined && result.revertData.length > 2);
}

async function read<T>(client: PublicClient, to: Address, abi: Abi, functionName: string, args: readonly unknown[] = []): Promise<T | undefined> {
  const result = await probe<Abi, T>(client, to, abi, functionName, args);
  return result.answered ? result.value : undefined;
}

async function hasCode(client: PublicClient, address: Address): Promise<boolean> {
  const code = await client.getCode({ address });
  return code !== undefined && code !== "0x";
}

/** What a contract that is not a Governor looks like, for the refusal message. */
async function describeNonGovernor(client: PublicClient, address: Address, answered: string[]): Promise<string> {
  const symbol = await read<string>(client, address, tokenAbi, "symbol");
  const totalSupply = await read<bigint>(client, address, tokenAbi, "totalSupply");
  const balance = await read<bigint>(client, address, tokenAbi, "balanceOf", [zeroAddress]);
  if (totalSupply !== undefined && balance !== undefined) {
    const votes = (await exists(client, address, tokenAbi as Abi, "getPastVotes", [zeroAddress, 0n])) || (await exists(client, address, tokenAbi as Abi, "getPriorVotes", [zeroAddress, 0n]));
    return (
      `${address} is an ERC-20 token${symbol === undefined ? "" : ` (${symbol})`}${votes ? " with votes" : ""}, not a Governor. ` +
      "Pass the address of the Governor contract that counts its votes (--governor)."
    );
  }
  return (
    `${address} is a contract but not a Governor attach recognises (OpenZeppelin 4.x/5.x, Compound GovernorAlpha/GovernorBravo). ` +
    `Of the calls a Governor answers it answered ${answered.length === 0 ? "none" : answered.join(", ")}. ` +
    "Check --governor (a proxy's address is right when it forwards to the Governor)."
  );
}

/**
 * Finds out what `governor` is: flavour, token, timelock, clock, counting mode, parameters and the
 * optional extensions it answers. Sends nothing. Throws an {@link AttachError} saying what was found
 * when it is not a Governor attach recognises, or when its token or timelock are not usable.
 */
export async function detectGovernor(client: PublicClient, governorAddress: Address): Promise<DetectedDAO> {
  const governor = getAddress(governorAddress);
  if (!(await hasCode(client, governor))) {
    throw new AttachError(
      `${governor} has no code on chain ${await client.getChainId()}: it is an account, not a Governor (or the Governor is on another chain). Check --governor and --rpc.`,
    );
  }
  const gov = governorAbi as Abi;

  // The calls every Governor of a flavour answers.
  const countingMode = await read<string>(client, governor, gov, "COUNTING_MODE");
  const hashes = await exists(client, governor, gov, "hashProposal", [[], [], [], `0x${"00".repeat(32)}`]);
  const votingDelay = await read<bigint>(client, governor, gov, "votingDelay");
  const votingPeriod = await read<bigint>(client, governor, gov, "votingPeriod");
  const proposalThreshold = await read<bigint>(client, governor, gov, "proposalThreshold");
  const timelockAddress = await read<Address>(client, governor, gov, "timelock");
  const proposalCount = await read<bigint>(client, governor, gov, "proposalCount");
  const quorumVotes = await read<bigint>(client, governor, gov, "quorumVotes");
  const proposalsCall = await rawCall(client, governor, `${PROPOSALS_SELECTOR}${"00".repeat(32)}` as Hex);
  const proposals = proposalsCall.ok && (proposalsCall.data.length - 2) / 64 >= COMPOUND_PROPOSAL_WORDS;

  const answered = Object.entries({
    "COUNTING_MODE()": countingMode !== undefined,
    "hashProposal(...)": hashes,
    "votingDelay()": votingDelay !== undefined,
    "votingPeriod()": votingPeriod !== undefined,
    "proposalThreshold()": proposalThreshold !== undefined,
    "timelock()": timelockAddress !== undefined,
    "proposalCount()": proposalCount !== undefined,
    "proposals(uint256)": proposals,
    "quorumVotes()": quorumVotes !== undefined,
  })
    .filter(([, yes]) => yes)
    .map(([name]) => name);

  const isOpenZeppelin = countingMode !== undefined && hashes && votingDelay !== undefined && votingPeriod !== undefined;
  const isCompound =
    !isOpenZeppelin && proposalCount !== undefined && proposals && quorumVotes !== undefined && votingDelay !== undefined && votingPeriod !== undefined;
  if (!isOpenZeppelin && !isCompound) throw new AttachError(await describeNonGovernor(client, governor, answered));

  // ERC-165, where the Governor has it.
  const erc165 =
    (await read<boolean>(client, governor, gov, "supportsInterface", ["0x01ffc9a7"])) === true &&
    (await read<boolean>(client, governor, gov, "supportsInterface", ["0xffffffff"])) === false;
  const interfaces: string[] = [];
  if (erc165) {
    for (const known of KNOWN_INTERFACES) {
      if ((await read<boolean>(client, governor, gov, "supportsInterface", [known.id])) === true) interfaces.push(known.name);
    }
  }

  const proposalNeedsQueuing = (await probe(client, governor, gov, "proposalNeedsQueuing", [0n])).answered;
  let flavour: GovernorFlavour;
  if (isOpenZeppelin) {
    const saysFive = interfaces.some((name) => name.startsWith("IGovernor (OpenZeppelin 5"));
    flavour = proposalNeedsQueuing || saysFive ? "openzeppelin-5" : "openzeppelin-4";
  } else {
    // GovernorBravo (Compound's and its forks) has an initial proposal id and an admin behind its
    // delegator; GovernorAlpha has neither.
    const bravo =
      (await read<bigint>(client, governor, gov, "initialProposalId")) !== undefined ||
      ((await read<Address>(client, governor, gov, "admin")) !== undefined && (await read<Address>(client, governor, gov, "implementation")) !== undefined);
    flavour = bravo ? "compound-bravo" : "compound-alpha";
  }

  // Clock (ERC-6372 on the Governor; without it, block numbers).
  const clockMode = await read<string>(client, governor, gov, "CLOCK_MODE");
  const clockNow = await read<bigint>(client, governor, gov, "clock");
  const erc6372 = clockMode !== undefined && clockNow !== undefined;
  const clock = erc6372 ? BigInt(clockNow) : await client.getBlockNumber();

  // Token: GovernorVotes' token(), or Compound's getter (comp(), uni(), token() in its forks).
  let token: Address | undefined;
  for (const getter of isOpenZeppelin ? ["token"] : ["comp", "uni", "token"]) {
    const candidate = await read<Address>(client, governor, gov, getter);
    if (candidate !== undefined && candidate !== zeroAddress && (await hasCode(client, candidate))) {
      token = getAddress(candidate);
      break;
    }
  }
  if (token === undefined) {
    throw new AttachError(
      `${governor} looks like a ${flavour} Governor but names no votes token with code (${isOpenZeppelin ? "token()" : "comp(), uni() or token()"} did not answer with a contract). attach needs the token the Governor counts votes with.`,
    );
  }
  const tok = tokenAbi as Abi;
  const tokenName = await read<string>(client, token, tok, "name");
  const tokenSymbol = await read<string>(client, token, tok, "symbol");
  const decimals = await read<number>(client, token, tok, "decimals");
  const totalSupply = await read<bigint>(client, token, tok, "totalSupply");
  const votesToken =
    (await exists(client, token, tok, "getPastVotes", [zeroAddress, 0n])) || (await exists(client, token, tok, "getPriorVotes", [zeroAddress, 0n]));
  if (totalSupply === undefined || decimals === undefined || !votesToken) {
    throw new AttachError(
      `the Governor's token ${token} is not an ERC-20 votes token: ${totalSupply === undefined ? "totalSupply() " : ""}${decimals === undefined ? "decimals() " : ""}${votesToken ? "" : "getPastVotes()/getPriorVotes() "}did not answer.`,
    );
  }

  // Timelock: TimelockController (getMinDelay, roles) or Compound's Timelock (delay, admin).
  if (timelockAddress === undefined || timelockAddress === zeroAddress || !(await hasCode(client, timelockAddress))) {
    throw new AttachError(
      `${governor} is a ${flavour} Governor without a timelock (timelock() ${timelockAddress === undefined ? "did not answer" : `is ${timelockAddress}, which has no code`}). ` +
        "attach supports Governors that execute through a TimelockController or a Compound Timelock.",
    );
  }
  const timelock = getAddress(timelockAddress);
  const tl = timelockAbi as Abi;
  const minDelay = await read<bigint>(client, timelock, tl, "getMinDelay");
  const compoundDelay = await read<bigint>(client, timelock, tl, "delay");
  const gracePeriod = await read<bigint>(client, timelock, tl, "GRACE_PERIOD");
  let timelockKind: TimelockKind;
  let timelockDelay: bigint;
  if (minDelay !== undefined) {
    timelockKind = "timelock-controller";
    timelockDelay = minDelay;
    const proposerRole = await read<Hex>(client, timelock, tl, "PROPOSER_ROLE");
    const isProposer = proposerRole === undefined ? undefined : await read<boolean>(client, timelock, tl, "hasRole", [proposerRole, governor]);
    if (isProposer !== true) {
      throw new AttachError(
        `the timelock ${timelock} does not take proposals from the Governor ${governor} (hasRole(PROPOSER_ROLE, governor) is ${String(isProposer ?? "unanswered")}), so a DecisionLog it governs could never be changed by a proposal. Check that this is the DAO's Governor.`,
      );
    }
  } else if (compoundDelay !== undefined && gracePeriod !== undefined) {
    timelockKind = "compound-timelock";
    timelockDelay = compoundDelay;
    const admin = await read<Address>(client, timelock, tl, "admin");
    if (admin === undefined || getAddress(admin) !== governor) {
      const pending = await read<Address>(client, timelock, tl, "pendingAdmin");
      const pendingNote = pending !== undefined && getAddress(pending) === governor ? " (the Governor is its pendingAdmin: it must call __acceptAdmin() first)" : "";
      throw new AttachError(
        `the Compound Timelock ${timelock} has admin ${admin ?? "(unanswered)"}, not the Governor ${governor}${pendingNote}; a DecisionLog it governs could not be changed by a proposal.`,
      );
    }
  } else {
    throw new AttachError(
      `the Governor's timelock ${timelock} is neither a TimelockController (getMinDelay() did not answer) nor a Compound Timelock (delay() and GRACE_PERIOD() did not answer).`,
    );
  }

  // Quorum: a fraction of the supply at a past timepoint (OpenZeppelin) or a fixed number of votes (Compound).
  let quorum: DetectedDAO["quorum"];
  if (isOpenZeppelin) {
    const timepoint = clock > 0n ? clock - 1n : 0n;
    const votes = await read<bigint>(client, governor, gov, "quorum", [timepoint]);
    if (votes === undefined) throw new AttachError(`${governor} did not answer quorum(${timepoint}); attach needs the quorum to describe the DAO.`);
    const numerator = (await read<bigint>(client, governor, gov, "quorumNumerator")) ?? null;
    const denominator = numerator === null ? null : ((await read<bigint>(client, governor, gov, "quorumDenominator")) ?? null);
    quorum = { votes, numerator, denominator };
  } else {
    quorum = { votes: quorumVotes!, numerator: null, denominator: null };
  }
  const quorumPercent =
    quorum.numerator !== null && quorum.denominator !== null && quorum.denominator > 0n
      ? Number((quorum.numerator * 100n + quorum.denominator / 2n) / quorum.denominator)
      : totalSupply > 0n
        ? Number((quorum.votes * 100n + totalSupply / 2n) / totalSupply)
        : 0;

  // Optional extensions, each by the call that needs it.
  const guardian = isOpenZeppelin
    ? await probe<Abi, Address>(client, governor, gov, "proposalGuardian")
    : await probe<Abi, Address>(client, governor, gov, "guardian");
  const lateQuorum = await probe<Abi, number>(client, governor, gov, "lateQuorumVoteExtension");
  const tiers = await probe<Abi, readonly { minRisk: number; delay: number }[]>(client, governor, gov, "riskTiers");
  const capabilities: GovernorCapabilities = {
    erc165,
    erc6372,
    countingMode: countingMode !== undefined,
    proposalNeedsQueuing,
    proposalEta: (await probe(client, governor, gov, "proposalEta", [0n])).answered,
    proposalCount: proposalCount !== undefined,
    proposalDetails: isOpenZeppelin && (await exists(client, governor, gov, "proposalDetails", [0n])),
    proposals,
    queueById: await exists(client, governor, gov, "queue", [0n]),
    executeById: await exists(client, governor, gov, "execute", [0n]),
    proposalGuardian: guardian.answered,
    lateQuorum: lateQuorum.answered,
    analysts: (await probe(client, governor, gov, "isAnalyst", [zeroAddress])).answered,
    riskTiers: tiers.answered,
    codePins: (await probe(client, governor, gov, "codeHashOf", [zeroAddress])).answered,
  };

  const guardianAddress = guardian.answered && guardian.value !== zeroAddress ? getAddress(guardian.value) : null;
  return {
    flavour,
    governor,
    governorName: (await read<string>(client, governor, gov, "name")) ?? "Governor",
    token,
    tokenInfo: { name: tokenName ?? "", symbol: tokenSymbol ?? "", decimals: Number(decimals), totalSupply },
    timelock,
    timelockKind,
    timelockDelay,
    clockMode: erc6372 ? clockMode : DEFAULT_CLOCK_MODE,
    clock,
    countingMode: countingMode ?? null,
    votingDelay: votingDelay!,
    votingPeriod: votingPeriod!,
    proposalThreshold: proposalThreshold ?? 0n,
    quorum,
    quorumPercent,
    lateQuorumVoteExtension: lateQuorum.answered ? BigInt(lateQuorum.value) : null,
    proposalGuardian: guardianAddress,
    riskTiers: tiers.answered ? tiers.value.map((t) => ({ minRisk: Number(t.minRisk), delay: Number(t.delay) })) : null,
    capabilities,
    interfaces,
  };
}

/**
 * The first block at which `address` has code, by bisection over historical state (needs a node
 * that keeps it, e.g. an archive node); undefined when the node cannot answer for old blocks.
 */
export async function creationBlock(client: PublicClient, address: Address, latest: bigint): Promise<bigint | undefined> {
  try {
    let low = 0n;
    let high = latest;
    while (low < high) {
      const middle = (low + high) / 2n;
      const code = await client.getCode({ address, blockNumber: middle });
      if (code !== undefined && code !== "0x") high = middle;
      else low = middle + 1n;
    }
    return low;
  } catch {
    return undefined;
  }
}
