import { decodeRevert, proposalStateNames, proposalStatesOf, revertDataOf, type DecodedRevert } from "@ai-dao/protocol";
import { BaseError, InsufficientFundsError, UserRejectedRequestError } from "viem";

import { formatAmount } from "./format.ts";

/** The DAO token, so amounts in errors read in its units. */
export interface TokenUnits {
  symbol: string;
  decimals: number;
}

// Plain sentences over @ai-dao/protocol's decodeRevert: the decoder says which error and with what
// arguments; this page says what it means for the person who pressed the button.

const messages: Record<string, (args: readonly unknown[], token?: TokenUnits) => string> = {
  GovernorUnexpectedProposalState: ([, current, expected]) =>
    `The proposal is ${proposalStateNames[Number(current)] ?? "in another state"}; this needs it to be ${proposalStatesOf(expected as `0x${string}`).join(" or ")}.`,
  GovernorInsufficientProposerVotes: ([, votes, threshold], token) => {
    const units = (v: unknown) => (token && typeof v === "bigint" ? formatAmount(v, token.decimals, 4, { symbol: token.symbol }) : `${String(v)} of the smallest token unit`);
    return `Your voting power (${units(votes)}) is below the proposal threshold (${units(threshold)}). Delegate to yourself first, then wait for the next block.`;
  },
  GovernorAlreadyCastVote: () => "This account has already voted on this proposal.",
  GovernorNonexistentProposal: () => "No proposal with this id exists on the Governor.",
  GovernorRestrictedProposer: () => "The description ends with #proposer= for another address: only that address may submit it.",
  GovernorInvalidProposalLength: () => "Targets, values and calldatas must have the same length.",
  GovernorInvalidVoteType: () => "That vote type is not For, Against or Abstain.",
  GovernorAnalystCannotVote: () => "Analyst accounts cannot vote.",
  GovernorInvalidAnalyst: () => "That address cannot be an analyst.",
  GovernorOnlyExecutor: () => "Only the timelock can do this.",
  GovernorUnableToCancel: () => "Only the proposer (before voting starts) or the guardian can cancel this proposal.",
  GovernorNotQueuedProposal: () => "The proposal has not been queued.",
  GovernorQueueNotImplemented: () => "This Governor cannot queue proposals.",
  GovernorTargetCodeChanged: ([, target]) =>
    `The Governor refuses: the code at ${String(target)} changed since the proposal was made, so it can never be queued or executed; it can only be canceled.`,
  GovernorDisabledDeposit: () => "The Governor does not accept ETH: send it to the treasury (the timelock).",
  TimelockUnexpectedOperationState: () => "The timelock operation is not ready yet: wait until its eta, then execute.",
  TimelockInsufficientDelay: () => "The timelock delay is too short.",
  TimelockUnexecutedPredecessor: () => "A previous timelock operation must execute first.",
  FailedCall: () => "One of the proposal's calls reverted when the timelock executed it.",
  ERC20InsufficientBalance: () => "The sender's token balance is too low.",
  DecisionLogUnauthorizedPublisher: () => "This account may not publish decisions.",
};

/** A plain-language sentence for a decoded revert, the error's name kept for whoever reports it. */
export function explainRevert(revert: DecodedRevert, token?: TokenUnits): string {
  switch (revert.kind) {
    case "custom": {
      const explain = messages[revert.name ?? ""];
      return explain ? `${explain(revert.args, token)} (${revert.name})` : `The contract refused: ${revert.message}.`;
    }
    case "error-string":
      return `The contract refused: ${revert.reason}.`;
    case "panic":
      return `The contract failed a built-in check: ${revert.reason} (${revert.message}).`;
    case "unknown":
      return `The contract refused with an error this app does not know: ${revert.message}.`;
    case "empty":
      return "The contract refused without saying why.";
  }
}

/** A plain-language message for a failed transaction or call: reverts decoded with every DAO contract's errors. */
export function explainError(error: unknown, token?: TokenUnits): string {
  if (error instanceof BaseError) {
    const rejected = error.walk((e) => e instanceof UserRejectedRequestError);
    if (rejected) return "You rejected the request in your wallet.";
    // Nodes word it differently ("insufficient funds", Hardhat's "doesn't have enough funds"), and some
    // answer with a generic invalid-parameters error that only the message explains.
    const noFunds = error.walk((e) => e instanceof InsufficientFundsError || /insufficient funds|enough funds/i.test(e instanceof Error ? e.message : ""));
    if (noFunds) return "This account does not have enough ETH to pay for the transaction (its fee, and any ETH it sends). Add ETH to it, or use another account.";
    const data = revertDataOf(error);
    if (data !== undefined) return explainRevert(decodeRevert(data), token);
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}

// Requests to the DAO's services (indexer, analyst API, executor). A browser rejects a fetch with
// the same bare TypeError whether the service is down or it answered without allowing this page's
// origin (CORS), so the two are told apart here, once, for every client.

/** Why a request to a service got no readable answer. */
export type ServiceFailureKind = "refused-origin" | "unreachable";

export class ServiceRequestError extends Error {
  override name = "ServiceRequestError";
  constructor(
    readonly kind: ServiceFailureKind,
    /** "the indexer", "the analyst API", … */
    readonly service: string,
    readonly url: string,
    /** This page's origin, as the service saw it in the request's Origin header. */
    readonly origin: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const PROBE_TIMEOUT_MS = 5_000;

/**
 * Tells a refused origin from an unreachable service after `fetch(url)` was rejected with `error`:
 * a `no-cors` request to the same URL needs no permission to be sent, so it resolves (with an
 * opaque answer) exactly when something answers there. Anything else — not a network TypeError, a
 * probe that fails or takes too long — counts as unreachable.
 */
export async function classifyFetchFailure(url: string, error: unknown, fetchImpl: typeof fetch = (...args) => fetch(...args)): Promise<ServiceFailureKind> {
  if (!(error instanceof TypeError)) return "unreachable";
  try {
    await fetchImpl(url, { mode: "no-cors", cache: "no-store", signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return "refused-origin";
  } catch {
    return "unreachable";
  }
}

/** The sentence for a failed service request: what happened, in plain words, and for an operator what to set. */
export function serviceFailureMessage(kind: ServiceFailureKind, service: string, url: string, origin: string, error?: unknown): string {
  if (kind === "refused-origin") {
    return (
      `${capitalise(service)} at ${url} is running, but it does not allow pages from ${origin} (this page's origin) to read its answers, ` +
      `so the browser blocks them (a CORS refusal). To fix it, start ${service} with CORS_ORIGINS including ${origin} ` +
      `(npm start does this for the web app's own port unless CORS_ORIGINS is set).`
    );
  }
  const reason = error instanceof Error && error.message ? ` (${error.message})` : "";
  return `${capitalise(service)} at ${url} is unreachable${reason}: check that it is running and that this address is right.`;
}

/**
 * `fetch` to one of the DAO's services; a request that gets no answer the page may read is thrown
 * as a {@link ServiceRequestError} saying whether the service is down or refuses this page's origin.
 * A cancelled request (AbortError) is rethrown as it is.
 */
export async function fetchService(
  service: string,
  url: string,
  init: RequestInit | undefined,
  fetchImpl: typeof fetch = (...args) => fetch(...args),
  origin: string = pageOrigin(),
): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    const kind = await classifyFetchFailure(url, error, fetchImpl);
    throw new ServiceRequestError(kind, service, url, origin, serviceFailureMessage(kind, service, url, origin, error), { cause: error });
  }
}

function pageOrigin(): string {
  return typeof location === "undefined" ? "(unknown origin)" : location.origin;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
