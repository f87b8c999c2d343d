// Gasless votes and delegations through the DAO's relayer (services/relayer): the member signs an
// EIP-712 message in their wallet (no transaction, no fee), the relayer checks it and sends the
// transaction with its own key. The vote or delegation is the member's own: the contracts recover
// the signer from the signature. Every refusal says why, and the member can still send it themselves.
import { ballotTypes, delegationTypes, extendedBallotTypes, governorAbi, tokenAbi } from "@ai-dao/protocol";
import type { Address, Hash, Hex, PublicClient, TypedDataDomain, WalletClient } from "viem";
import { getEip712Domain } from "viem/actions";

import { fetchService } from "./errors.ts";

/** The relayer declined to send a request (or could not be reached); nothing was spent. */
export class RelayerRefusal extends Error {
  override name = "RelayerRefusal";
  constructor(
    /** The relayer's refusal code (`NO_VOTES`, `OVER_BUDGET`, …), or `UNREACHABLE`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface RelayAnswer {
  relay: { id: Hex; hash: Hash; status: string };
  duplicate: boolean;
}

/**
 * The contract's EIP-712 domain with exactly the fields its ERC-5267 `fields` bitmap names (name,
 * version, chainId, verifyingContract, salt): a field signed that the contract does not hash (a zero
 * salt, say) would make the signature another's.
 */
async function domainOf(publicClient: PublicClient, address: Address): Promise<TypedDataDomain> {
  const { domain, fields } = await getEip712Domain(publicClient, { address });
  const bits = Number.parseInt(fields.slice(2), 16);
  return {
    ...(bits & 0x01 ? { name: domain.name } : {}),
    ...(bits & 0x02 ? { version: domain.version } : {}),
    ...(bits & 0x04 ? { chainId: domain.chainId } : {}),
    ...(bits & 0x08 ? { verifyingContract: domain.verifyingContract } : {}),
    ...(bits & 0x10 ? { salt: domain.salt } : {}),
  };
}

/**
 * The relayer's refusals a member meets most, in words about them (its own messages are written
 * for any client and name addresses and snapshots). Others keep the relayer's message.
 */
const MEMBER_WORDS: Record<string, string> = {
  NO_VOTES: "your account had no voting power when voting on this proposal opened, so there is no vote to send.",
  ALREADY_VOTED: "this account has already voted on this proposal.",
  NOT_ACTIVE: "voting on this proposal is not open.",
  NO_TOKENS: "this account holds no tokens, so delegating would give no voting power.",
  ALREADY_DELEGATED: "this account already delegates to that address.",
  OVER_BUDGET: "the DAO's budget for gasless transactions is spent for today.",
  RATE_LIMITED: "too many requests in the last minute; wait a minute and try again.",
  PENDING: "an earlier request from this account is still on its way; wait for it to confirm.",
};

/** How long a signed delegation stays valid for the relayer to send it. */
const DELEGATION_VALID_S = 3_600n;

async function post(relayerUrl: string, path: "vote" | "delegate", body: Record<string, unknown>): Promise<RelayAnswer> {
  const url = `${relayerUrl.replace(/\/$/, "")}/${path}`;
  let response: Response;
  try {
    response = await fetchService("the relayer", url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body, (_key, value) => (typeof value === "bigint" ? value.toString() : value)),
    });
  } catch (error) {
    throw new RelayerRefusal("UNREACHABLE", `The relayer cannot be reached right now (${(error as Error).message}).`);
  }
  const answer = (await response.json().catch(() => null)) as (RelayAnswer & { error?: { code?: string; message?: string } }) | null;
  if (!response.ok || answer === null || answer.relay === undefined) {
    const code = answer?.error?.code ?? `HTTP_${response.status}`;
    throw new RelayerRefusal(code, MEMBER_WORDS[code] ?? answer?.error?.message ?? `The relayer answered ${response.status} without saying why.`);
  }
  return answer;
}

/**
 * Signs a ballot for `proposalId` in the member's wallet and has the relayer cast it; returns the
 * transaction's hash to follow to confirmation. With a reason, the ballot carries it (extended ballot).
 */
export async function relayVote(
  o: { publicClient: PublicClient; wallet: WalletClient; account: Address; relayerUrl: string; chainId: number; governor: Address },
  vote: { proposalId: bigint; support: number; reason: string },
): Promise<Hash> {
  const [domain, nonce] = await Promise.all([
    domainOf(o.publicClient, o.governor),
    o.publicClient.readContract({ address: o.governor, abi: governorAbi, functionName: "nonces", args: [o.account] }),
  ]);
  const ballot = { proposalId: vote.proposalId, support: vote.support, voter: o.account, nonce };
  const extended = vote.reason !== "";
  const signature = extended
    ? await o.wallet.signTypedData({ account: o.account, domain, types: extendedBallotTypes, primaryType: "ExtendedBallot", message: { ...ballot, reason: vote.reason, params: "0x" } })
    : await o.wallet.signTypedData({ account: o.account, domain, types: ballotTypes, primaryType: "Ballot", message: ballot });
  const answer = await post(o.relayerUrl, "vote", { chainId: o.chainId, ...ballot, ...(extended ? { reason: vote.reason, params: "0x" } : {}), signature });
  return answer.relay.hash;
}

/** Signs a delegation to `delegatee` in the member's wallet and has the relayer send it. */
export async function relayDelegation(
  o: { publicClient: PublicClient; wallet: WalletClient; account: Address; relayerUrl: string; chainId: number; token: Address },
  delegatee: Address,
): Promise<Hash> {
  const [domain, nonce, block] = await Promise.all([
    domainOf(o.publicClient, o.token),
    o.publicClient.readContract({ address: o.token, abi: tokenAbi, functionName: "nonces", args: [o.account] }),
    o.publicClient.getBlock({ blockTag: "latest" }),
  ]);
  const message = { delegatee, nonce, expiry: block.timestamp + DELEGATION_VALID_S };
  const signature = await o.wallet.signTypedData({ account: o.account, domain, types: delegationTypes, primaryType: "Delegation", message });
  const answer = await post(o.relayerUrl, "delegate", { chainId: o.chainId, delegator: o.account, ...message, signature });
  return answer.relay.hash;
}
