import { readFile } from "node:fs/promises";

import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";
import { z } from "zod";

import { ProposalFileError } from "./errors.ts";

const MAX_UINT256 = 2n ** 256n - 1n;

const addressField = z.string().refine((s) => isAddress(s, { strict: false }), "not an address (0x followed by 40 hex digits)");
const valueField = z
  .string({ error: "must be a decimal string" })
  .regex(/^(0|[1-9]\d*)$/, "not a decimal string (digits only, no sign, no leading zeros)")
  .refine((s) => BigInt(s) <= MAX_UINT256, "larger than uint256");
const calldataField = z
  .string({ error: "must be a hex string" })
  .refine((s) => isHex(s, { strict: true }), "not hex (0x followed by hex digits)")
  .refine((s) => s.length % 2 === 0, "odd number of hex digits");

/**
 * A proposal file: the four arguments of `Governor.propose`. Values are decimal strings (wei),
 * calldatas hex; the three arrays must have one entry per call.
 */
export const proposalFileSchema = z
  .strictObject({
    targets: z.array(addressField).min(1, "must list at least one call"),
    values: z.array(valueField),
    calldatas: z.array(calldataField),
    description: z.string({ error: "must be a string" }),
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
  });

export type ProposalFile = z.input<typeof proposalFileSchema>;

/** A validated proposal: checksummed targets, values as bigint. */
export interface Proposal {
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  description: string;
}

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
  return {
    targets: p.targets.map((t) => getAddress(t)),
    values: p.values.map((v) => BigInt(v)),
    calldatas: p.calldatas.map((c) => c.toLowerCase() as Hex),
    description: p.description,
  };
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ProposalFileError(`proposal file ${file} is not JSON`, [(error as Error).message]);
  }
  return parseProposal(json, `proposal file ${file}`);
}

/** The proposal in its file form (decimal strings), e.g. for hashing or printing. */
export function proposalToJson(p: Proposal) {
  return { targets: p.targets, values: p.values.map(String), calldatas: p.calldatas, description: p.description };
}

/** Checksums targets and lower-cases calldata so equal proposals analyse (and hash) the same way. */
export function normalizeProposal(p: Proposal): Proposal {
  return {
    targets: p.targets.map((t) => getAddress(t)),
    values: [...p.values],
    calldatas: p.calldatas.map((c) => c.toLowerCase() as Hex),
    description: p.description,
  };
}
