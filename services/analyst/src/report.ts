import canonicalize from "canonicalize";
import { keccak256, stringToBytes, type Hex } from "viem";
import { z } from "zod";

import { severities } from "./checks/types.ts";
import { intentVsEffectSchema, modelSectionSchema, provenanceSchema } from "./model/report-fields.ts";
import { reportCid } from "./publish/cid.ts";
import { recommendations } from "./risk.ts";
import { simulationSchema } from "./simulate/schema.ts";

/**
 * Version 2: `status` (`analysed` | `failed`), `proposal.descriptionInfo`, the description hashed from
 * its exact bytes, and the failure report ({@link failedReportSchema}). Version 1 reports have neither.
 */
export const REPORT_SCHEMA_VERSION = 2;

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/, "must be hex");
const hash = z.string().regex(/^0x[0-9a-f]{64}$/, "must be a 32-byte hex hash");
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address");
const decimal = z.string().regex(/^\d+$/, "must be a decimal string");
const score = z.number().int().min(0).max(100);
const json: z.ZodType<unknown> = z.unknown();

const opcodes = z.strictObject({ SELFDESTRUCT: z.boolean(), DELEGATECALL: z.boolean(), CREATE2: z.boolean() });

const finding = z.strictObject({
  id: z.string(),
  check: z.string(),
  severity: z.enum(severities),
  title: z.string(),
  detail: z.string(),
  evidence: z.record(z.string(), json),
});

/**
 * The analyst's report, version 2. Field names other parts rely on: `scores.risk`, `riskFloor`,
 * `recommendation`, `findings[].{id, severity, title, evidence}`. Big numbers are decimal strings so
 * the canonical JSON (RFC 8785) is exact.
 */
export const reportSchema = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  /** `analysed`: the analysis ran (this schema); `failed`: see {@link failedReportSchema}. */
  status: z.literal("analysed"),
  /** `deterministic`: checks only, no model judgement; `model`: checks plus a model judgement. */
  mode: z.enum(["deterministic", "model"]),
  analyzer: z.strictObject({ name: z.string(), version: z.string() }),
  chainId: z.number().int().positive(),
  /** The block every read was made at. */
  blockNumber: decimal,
  /** keccak256 of the canonical JSON of the inputs: proposal, chain, block, DAO addresses, analyzer. */
  inputHash: hash,
  proposal: z.strictObject({
    proposalId: decimal,
    /** keccak256 of the description's exact bytes, as the Governor hashes it. */
    descriptionHash: hash,
    /** What the description's bytes hold beyond their text: size, invalid UTF-8, content and characters readers do not see. */
    descriptionInfo: z.strictObject({
      byteLength: z.number().int().nonnegative(),
      invalidUtf8Sequences: z.number().int().nonnegative(),
      hiddenContent: z.number().int().nonnegative(),
      hiddenCharacters: z.number().int().nonnegative(),
    }),
    targets: z.array(address),
    values: z.array(decimal),
    calldatas: z.array(hex),
    /** Present when the proposal already exists on the Governor. */
    onChain: z.strictObject({ state: z.number().int(), snapshot: decimal }).optional(),
  }),
  decodedCalls: z.array(
    z.strictObject({
      index: z.number().int().nonnegative(),
      target: address,
      value: decimal,
      kind: z.enum(["call", "eth-transfer", "empty"]),
      selector: hex.nullable(),
      functionName: z.string().optional(),
      signature: z.string().optional(),
      args: z.array(json).optional(),
      abiSource: z.string().optional(),
      trailingBytes: z.number().int().optional(),
      decoded: z.boolean(),
    }),
  ),
  targets: z.array(
    z.strictObject({
      address,
      label: z.string().optional(),
      kind: z.enum(["contract", "eoa", "empty"]),
      delegatedTo: address.optional(),
      codeSize: z.number().int().nonnegative(),
      codeHash: hash.nullable(),
      balance: decimal,
      nonce: z.number().int().nonnegative(),
      opcodes,
      proxy: z
        .strictObject({
          implementation: address.nullable(),
          admin: address.nullable(),
          implementationCodeHash: hash.nullable(),
          implementationOpcodes: opcodes.optional(),
        })
        .optional(),
    }),
  ),
  governance: z.strictObject({
    treasury: address,
    balances: z.array(
      z.strictObject({ asset: z.union([z.literal("ETH"), address]), symbol: z.string().nullable(), decimals: z.number().int().nullable(), balance: decimal.nullable() }),
    ),
    governor: z.record(z.string(), z.string()),
    proposer: z
      .strictObject({
        address,
        votes: decimal,
        isAnalyst: z.boolean(),
        recentVoteChanges: z.array(z.strictObject({ blockNumber: decimal, previousVotes: decimal, newVotes: decimal })),
      })
      .optional(),
  }),
  findings: z.array(finding),
  /** Lowest risk the deterministic findings allow; a model may raise the risk, never lower it. */
  riskFloor: score,
  scores: z.strictObject({ risk: score, benefit: score.optional(), confidence: z.number().min(0).max(1).optional() }),
  recommendation: z.enum(recommendations),
  /** What this report did not cover (e.g. no model judgement, no simulation). */
  notes: z.array(z.string()),
  /** What produced the report (analyzer, mode, model, prompt hash, input hash, block, trigger). */
  provenance: provenanceSchema.optional(),
  /** Model mode: the model's own answer and what code changed in it. */
  model: modelSectionSchema.optional(),
  /** Model mode: the description's claims matched against the calls. */
  intentVsEffect: intentVsEffectSchema.optional(),
  /** The fork simulation of the proposal executed as the timelock, or why it did not run. */
  simulation: simulationSchema.optional(),
  /** Votes of the proposer / largest voters at the reference time and one window earlier. */
  votingPower: z
    .strictObject({
      clockMode: z.enum(["timestamp", "blocknumber"]),
      reference: decimal,
      referenceKind: z.enum(["snapshot", "now"]),
      window: decimal,
      accounts: z.array(z.strictObject({ address, role: z.enum(["proposer", "voter"]), votes: decimal, votesBefore: decimal, acquired: decimal })),
    })
    .optional(),
});

export type Report = z.output<typeof reportSchema>;

/**
 * The report published when a proposal could not be analysed (version 2, `status: "failed"`): the
 * fixed fields with risk 100, recommendation `needs-review`, one critical `analysis/failed` finding,
 * and `failure` saying why. What is known of the proposal (from its event) is kept; nothing else is
 * claimed. Readers must treat it as "no analysis", never as a verdict.
 */
export const failedReportSchema = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  status: z.literal("failed"),
  mode: z.literal("deterministic"),
  analyzer: z.strictObject({ name: z.string(), version: z.string() }),
  chainId: z.number().int().positive(),
  /** The block of the event the analysis was for. */
  blockNumber: decimal,
  /** keccak256 of the canonical JSON of what the failure is about (event, proposal as far as known). */
  inputHash: hash,
  proposal: z.strictObject({
    proposalId: decimal,
    descriptionHash: hash.nullable(),
    targets: z.array(address).nullable(),
    values: z.array(decimal).nullable(),
    calldatas: z.array(hex).nullable(),
  }),
  failure: z.strictObject({
    /** Why the analysis failed, one line (no request bodies, no credentials). */
    reason: z.string(),
    /** Attempts made before giving up. */
    attempts: z.number().int().positive(),
    /** The event that triggered the analysis. */
    event: z.strictObject({ name: z.enum(["ProposalCreated", "ProposalQueued"]), blockNumber: decimal, transactionHash: hash, logIndex: z.number().int().nonnegative() }),
  }),
  findings: z.array(finding).min(1),
  riskFloor: z.literal(100),
  scores: z.strictObject({ risk: z.literal(100) }),
  recommendation: z.literal("needs-review"),
  notes: z.array(z.string()),
  provenance: provenanceSchema,
});

export type FailedReport = z.output<typeof failedReportSchema>;

/** Any report the analyst publishes: an analysis or a failure. */
export const publishedReportSchema = z.discriminatedUnion("status", [reportSchema, failedReportSchema]);
export type PublishedReportBody = Report | FailedReport;

/** RFC 8785 (JCS) canonical JSON of any JSON value. Throws on values JSON cannot represent. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError("value cannot be serialised as JSON");
  return text;
}

/** keccak256 of the UTF-8 bytes of the canonical JSON of `value`. */
export function canonicalHash(value: unknown): Hex {
  return keccak256(stringToBytes(canonicalJson(value)));
}

/**
 * Validates `report` and returns its canonical bytes and their hash: the exact bytes to publish to
 * the DecisionLog, and `reportHash = keccak256(bytes)`. Key order in `report` does not matter.
 */
export function serializeReport(report: unknown): { json: string; bytes: Uint8Array; reportHash: Hex; cid: string } {
  const parsed = publishedReportSchema.parse(report);
  const json = canonicalJson(parsed);
  const bytes = stringToBytes(json);
  // The CID is over the same bytes, so it cannot be a field of the report itself.
  return { json, bytes, reportHash: keccak256(bytes), cid: reportCid(bytes) };
}
