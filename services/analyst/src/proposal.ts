import { readFile } from "node:fs/promises";

import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";
import { z } from "zod";

import { descriptionBytesOf, hashDescription } from "@ai-dao/protocol";
import { descriptionText } from "@ai-dao/description";

import { ProposalFileError } from "./errors.ts";

const MAX_UINT256 = 2n ** 256n - 1n;
const DECIMAL = /^(0|[1-9]\d*)$/;

/**
 * Why `s` is not an acceptable address, or null. All-lowercase and all-uppercase hex carry no
 * checksum and are accepted; mixed case is an EIP-55 checksum and must be right, since a wrong one
 * usually means a mistyped (or doctored) address.
 */
export function addressProblem(s: string): string | null {
  if (!isAddress(s, { strict: false })) return "not an address (0x followed by 40 hex digits)";
  const body = s.slice(2);
  if (body === body.toLowerCase() || body === body.toUpperCase()) return null;
  if (getAddress(s) !== s) return `bad EIP-55 checksum (mixed case must be ${getAddress(s)}; or write it all lowercase)`;
  return null;
}

/** A decimal string that fits a uint256, as a bigint, or why not. Never throws. */
export function parseUint256(s: string): { value: bigint } | { problem: string } {
  if (!DECIMAL.test(s)) return { problem: "not a decimal string (digits only, no sign, no exponent, no leading zeros)" };
  if (s.length > 78 || BigInt(s) > MAX_UINT256) return { problem: "larger than uint256" };
  return { value: BigInt(s) };
}

/** Index of the first lone UTF-16 surrogate in `s`, or -1 (such a string has no UTF-8 encoding). */
export function loneSurrogateAt(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return -1;
}

export const addressField = z.string({ error: "must be an address string" }).superRefine((value, ctx) => {
  const problem = addressProblem(value);
  if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
});
const valueField = z.string({ error: "must be a decimal string" }).superRefine((value, ctx) => {
  const parsed = parseUint256(value);
  if ("problem" in parsed) ctx.addIssue({ code: "custom", message: parsed.problem });
});
const hexField = (what: string) =>
  z
    .string({ error: `must be a hex string${what}` })
    .refine((s) => isHex(s, { strict: true }), "not hex (0x followed by hex digits)")
    .refine((s) => s.length % 2 === 0, "odd number of hex digits");
const descriptionField = z.string({ error: "must be a string" }).superRefine((value, ctx) => {
  const at = loneSurrogateAt(value);
  if (at !== -1) {
    const unit = value.charCodeAt(at).toString(16).toUpperCase();
    ctx.addIssue({
      code: "custom",
      message: `contains a lone UTF-16 surrogate (\\u${unit} at index ${at}), which has no UTF-8 encoding; fix the text or give the exact bytes as descriptionBytes`,
    });
  }
});

/**
 * A proposal file: the four arguments of `Governor.propose`. Values are decimal strings (wei),
 * calldatas hex; the three arrays must have one entry per call. The description is either
 * `description` (a string, hashed as its UTF-8 bytes) or `descriptionBytes` (hex: the exact bytes,
 * e.g. copied from a ProposalCreated event, for a description that is not valid UTF-8 text).
 */
export const proposalFileSchema = z
  .strictObject({
    targets: z.array(addressField).min(1, "must list at least one call"),
    values: z.array(valueField),
    calldatas: z.array(hexField("")),
    description: descriptionField.optional(),
    descriptionBytes: hexField(" (the description's exact bytes)").optional(),
  })
  .superRefine((p, ctx) => {
    for (const field of ["values", "calldatas"] as const) {
      if (p[field].length !== p.targets.length) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `has ${p[field].length} entries but targets has ${p.targets.length}; give one per call`,
        });
      }
    }
    if (p.description === undefined && p.descriptionBytes === undefined) ctx.addIssue({ code: "custom", path: ["description"], message: "must be a string (or give descriptionBytes)" });
    if (p.description !== undefined && p.descriptionBytes !== undefined) {
      ctx.addIssue({ code: "custom", path: ["descriptionBytes"], message: "give either description or descriptionBytes, not both" });
    }
  });

export type ProposalFile = z.input<typeof proposalFileSchema>;

/**
 * A validated proposal: checksummed targets, values as bigint, and the description as its exact
 * bytes (what the Governor hashes) next to the text those bytes show (decoded faithfully: a
 * byte-order mark kept, invalid UTF-8 as U+FFFD).
 */
export interface Proposal {
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  /** The description's exact bytes, lower-case hex. The proposal id and `descriptionHash` come from these. */
  descriptionBytes: Hex;
  /** The text of {@link descriptionBytes}, decoded faithfully (`descriptionText`). */
  description: string;
}

/**
 * A proposal as callers give it: the description as text (hashed as its UTF-8), as exact bytes, or
 * both (the bytes win; the text is then derived from them).
 */
export type ProposalInput = Omit<Proposal, "description" | "descriptionBytes"> & ({ description: string; descriptionBytes?: Hex } | { description?: string; descriptionBytes: Hex });

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : out === "" ? String(key) : `.${String(key)}`;
  return out === "" ? "(root)" : out;
}

/** Validates parsed JSON; throws a {@link ProposalFileError} listing every bad field as `field[i]: problem`. */
export function parseProposal(input: unknown, source = "proposal"): Proposal {
  const result = proposalFileSchema.safeParse(input);
  if (!result.success) {
    const details = result.error.issues.map((issue) => {
      const message = issue.code === "unrecognized_keys" ? `unknown field(s) ${issue.keys.join(", ")}` : issue.message;
      return `${formatPath(issue.path)}: ${message}`;
    });
    throw new ProposalFileError(`${source} is not a valid proposal`, details);
  }
  const p = result.data;
  return normalizeProposal({
    targets: p.targets as Address[],
    values: p.values.map((v) => BigInt(v)),
    calldatas: p.calldatas as Hex[],
    ...(p.descriptionBytes !== undefined ? { descriptionBytes: p.descriptionBytes as Hex } : { description: p.description! }),
  });
}

/** Parses proposal JSON text; a leading UTF-8 byte-order mark (as some editors write) is not part of the JSON. */
export function parseProposalJson(text: string, source: string): Proposal {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new ProposalFileError(`${source} is not JSON`, [(error as Error).message]);
  }
  return parseProposal(json, source);
}

/** Reads and validates a proposal JSON file. */
export async function readProposalFile(file: string): Promise<Proposal> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProposalFileError(`cannot read proposal file ${file}`, [code === "ENOENT" ? "the file does not exist" : String(error)]);
  }
  return parseProposalJson(text, `proposal file ${file}`);
}

/** The proposal in its file form (decimal strings, the description as exact bytes), e.g. for hashing or printing. */
export function proposalToJson(p: Proposal) {
  return { targets: p.targets, values: p.values.map(String), calldatas: p.calldatas, descriptionBytes: p.descriptionBytes };
}

/**
 * Checksums targets, lower-cases calldata and fixes the description's bytes, so equal proposals
 * analyse (and hash) the same way. Given only text, the bytes are its UTF-8 (a lone surrogate, which
 * has none, is refused); given bytes, the text is their faithful decoding.
 */
export function normalizeProposal(p: ProposalInput): Proposal {
  let descriptionBytes: Hex;
  if (p.descriptionBytes !== undefined) {
    if (!isHex(p.descriptionBytes, { strict: true }) || p.descriptionBytes.length % 2 !== 0) {
      throw new ProposalFileError("the proposal is not valid", ["descriptionBytes: not a hex string of whole bytes"]);
    }
    descriptionBytes = p.descriptionBytes.toLowerCase() as Hex;
  } else {
    const at = loneSurrogateAt(p.description);
    if (at !== -1) {
      throw new ProposalFileError("the proposal is not valid", [`description: contains a lone UTF-16 surrogate at index ${at}, which has no UTF-8 encoding`]);
    }
    descriptionBytes = descriptionBytesOf(p.description);
  }
  return {
    targets: p.targets.map((t) => getAddress(t)),
    values: [...p.values],
    calldatas: p.calldatas.map((c) => c.toLowerCase() as Hex),
    descriptionBytes,
    description: descriptionText(descriptionBytes).text,
  };
}

/** `keccak256(bytes(description))` of a proposal, from its exact bytes. */
export function descriptionHashOf(p: Pick<Proposal, "descriptionBytes">) {
  return hashDescription(p.descriptionBytes);
}
