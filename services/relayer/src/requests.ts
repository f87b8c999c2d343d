// What the web app sends: the request bodies that carry the EIP-712 messages OpenZeppelin's Governor
// (`castVoteBySig`, `castVoteWithReasonAndParamsBySig`) and ERC20Votes (`delegateBySig`) verify; the
// message types themselves are defined once in `@ai-dao/protocol`. Parsing is strict: unknown
// fields, numbers outside uint256, malformed hex and text that is not well-formed Unicode are refused
// before anything is read from the chain.
import { ballotTypes, delegationTypes, extendedBallotTypes } from "@ai-dao/protocol";
import { getAddress, isAddress, parseSignature, serializeSignature, type Address, type Hex, type TypedDataDomain } from "viem";
import { z } from "zod";

import { Refusal } from "./refusal.ts";

const MAX_UINT256 = 2n ** 256n - 1n;
/** secp256k1's order over two: OpenZeppelin's ECDSA refuses signatures with a larger `s`. */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
const MAX_PARAMS_BYTES = 1_024;
/** Half of a UTF-16 surrogate pair without the other half: no UTF-8 encoding exists, so what was signed cannot be known. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const uint256 = (what: string) =>
  z.union([z.string(), z.number()], { error: `${what} must be a whole number written in decimal` }).transform((v, ctx) => {
    const text = typeof v === "number" ? (Number.isSafeInteger(v) && v >= 0 ? String(v) : "") : v;
    if (!/^\d{1,78}$/.test(text) || BigInt(text) > MAX_UINT256) {
      ctx.addIssue({ code: "custom", message: `${what} must be a whole number from 0 to 2^256-1, in decimal` });
      return z.NEVER;
    }
    return BigInt(text);
  });

const address = (what: string) =>
  z.string({ error: `${what} must be an address` }).refine((v) => isAddress(v, { strict: false }), `${what} must be an address (0x and 40 hex digits)`).transform((v) => getAddress(v));

const hex = (what: string, maxBytes: number) =>
  z
    .string({ error: `${what} must be hex` })
    .refine((v) => /^0x([0-9a-fA-F]{2})*$/.test(v) && (v.length - 2) / 2 <= maxBytes, `${what} must be 0x-prefixed hex of at most ${maxBytes} bytes`)
    .transform((v) => v.toLowerCase() as Hex);

const chainId = z.number({ error: "chainId must be the chain's id as a number" }).int().positive().max(Number.MAX_SAFE_INTEGER);
const signature = z.string({ error: "signature must be hex" }).regex(/^0x[0-9a-fA-F]{130}$/, "signature must be 0x and 65 bytes (130 hex digits): r, s and v");

export function voteSchema(maxReasonBytes: number) {
  return z.strictObject({
    chainId,
    governor: address("governor").optional(),
    proposalId: uint256("proposalId"),
    support: z.union([z.literal(0), z.literal(1), z.literal(2)], { error: "support must be 0 (against), 1 (for) or 2 (abstain)" }),
    voter: address("voter"),
    nonce: uint256("nonce"),
    /** With `reason` or `params` the ballot is an ExtendedBallot (castVoteWithReasonAndParamsBySig). */
    reason: z
      .string({ error: "reason must be text" })
      .refine((v) => !LONE_SURROGATE.test(v), "reason must be well-formed Unicode text (it has an unpaired surrogate)")
      .refine((v) => Buffer.byteLength(v, "utf8") <= maxReasonBytes, `reason must be at most ${maxReasonBytes} bytes in UTF-8`)
      .optional(),
    params: hex("params", MAX_PARAMS_BYTES).optional(),
    signature,
  });
}

export const delegationSchema = z.strictObject({
  chainId,
  token: address("token").optional(),
  delegator: address("delegator"),
  delegatee: address("delegatee"),
  nonce: uint256("nonce"),
  expiry: uint256("expiry"),
  signature,
});

export type VoteRequest = z.output<ReturnType<typeof voteSchema>>;
export type DelegationRequest = z.output<typeof delegationSchema>;

/** Parses a body with `schema`, refusing with BAD_REQUEST and every problem named. */
export function parseRequest<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => (i.path.length > 0 && !i.message.startsWith(String(i.path[0])) ? `${i.path.join(".")}: ${i.message}` : i.message));
  throw new Refusal("BAD_REQUEST", `The request is not one the relayer understands: ${problems.join("; ")}.`, { problems });
}

/** Whether a ballot is the extended kind (with reason and params). */
export function isExtended(v: Pick<VoteRequest, "reason" | "params">): boolean {
  return v.reason !== undefined || v.params !== undefined;
}

/** The EIP-712 message of a ballot, as the Governor hashes it. */
export function ballotTypedData(domain: TypedDataDomain, v: Pick<VoteRequest, "proposalId" | "support" | "voter" | "nonce" | "reason" | "params">) {
  if (isExtended(v)) {
    return {
      domain,
      types: extendedBallotTypes,
      primaryType: "ExtendedBallot" as const,
      message: { proposalId: v.proposalId, support: v.support, voter: v.voter, nonce: v.nonce, reason: v.reason ?? "", params: v.params ?? "0x" },
    };
  }
  return { domain, types: ballotTypes, primaryType: "Ballot" as const, message: { proposalId: v.proposalId, support: v.support, voter: v.voter, nonce: v.nonce } };
}

/** The EIP-712 message of a delegation, as ERC20Votes hashes it. */
export function delegationTypedData(domain: TypedDataDomain, d: Pick<DelegationRequest, "delegatee" | "nonce" | "expiry">) {
  return { domain, types: delegationTypes, primaryType: "Delegation" as const, message: { delegatee: d.delegatee, nonce: d.nonce, expiry: d.expiry } };
}

/**
 * The signature in the one form the contracts accept: v as 27 or 28 and a low `s`. Anything else is
 * refused, so two spellings of one signature can never become two transactions.
 */
export function canonicalSignature(sig: Hex): { signature: Hex; r: Hex; s: Hex; v: number } {
  let parsed: ReturnType<typeof parseSignature>;
  try {
    parsed = parseSignature(sig);
  } catch {
    throw new Refusal("BAD_SIGNATURE", "The signature is not a valid Ethereum signature.");
  }
  const v = sig.slice(-2).toLowerCase();
  if (!["00", "01", "1b", "1c"].includes(v)) throw new Refusal("BAD_SIGNATURE", "The signature's last byte (v) must be 27 or 28.");
  if (BigInt(parsed.s) > HALF_N) throw new Refusal("BAD_SIGNATURE", "The signature has a high s value, which the contracts refuse; sign again with a standard wallet.");
  const yParity = parsed.yParity ?? (parsed.v === 28n ? 1 : 0);
  const signature = serializeSignature({ r: parsed.r, s: parsed.s, yParity });
  return { signature, r: parsed.r, s: parsed.s, v: 27 + yParity };
}

/** The request as JSON-safe values, for the database and answers. */
export function requestJson(r: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]));
}

export { ballotTypes, delegationTypes, extendedBallotTypes };
export type { Address };
