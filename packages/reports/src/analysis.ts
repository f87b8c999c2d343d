import { z } from "zod";

import { address, analyzerSchema, decimal, hash, hex, json, recommendations, score, severities } from "./fields.ts";
import { intentVsEffectSchema, modelSectionSchema, provenanceSchema } from "./model.ts";
import { simulationSchema } from "./simulation.ts";

/**
 * The version analyses and failure reports are written in. Version 2 added `status` (`analysed` |
 * `failed`), `proposal.descriptionInfo`, the description hashed from its exact bytes, and the
 * failure report ({@link failedReportSchema}); version 1 reports have neither and are read with
 * {@link analysisV1Schema}. Version 3 drops the check's `name` from `coverage` entries (`{check,
 * status, reason?}`): the label lives once, in the check catalogue (`checkName` in `checks.ts`); version 2
 * reports, whose entries carry it, are read with {@link reportV2Schema} and {@link failedReportV2Schema}.
 */
export const REPORT_SCHEMA_VERSION = 3;

const opcodes = z.strictObject({ SELFDESTRUCT: z.boolean(), DELEGATECALL: z.boolean(), CREATE2: z.boolean() });

/** Whether a check ran: `ran`; `not-applicable` (nothing in this proposal for it); `skipped` (it applied but could not run, `reason` says why). */
export const coverageStatuses = ["ran", "not-applicable", "skipped"] as const;
export type CoverageStatus = (typeof coverageStatuses)[number];

/** A coverage entry (version 3): the check's id, whether it ran, and why not. Its label is `checkName(check)`. */
export const coverageEntrySchema = z.strictObject({
  check: z.string(),
  status: z.enum(coverageStatuses),
  reason: z.string().optional(),
});
export type CoverageEntry = z.output<typeof coverageEntrySchema>;

/** A coverage entry of a version 2 report: also the check's label, `name`, as the analyst then named it. */
export const coverageEntryV2Schema = z.strictObject({
  check: z.string(),
  name: z.string(),
  status: z.enum(coverageStatuses),
  reason: z.string().optional(),
});
export type CoverageEntryV2 = z.output<typeof coverageEntryV2Schema>;

/**
 * A coverage entry as readers meet it in a version 2 or 3 report: `name` only in version 2. Label it
 * `entry.name ?? checkName(entry.check)`.
 */
export type ReadCoverageEntry = CoverageEntry & { name?: string };

/** One finding of a deterministic check (or the failure finding). */
export const findingSchema = z.strictObject({
  id: z.string(),
  check: z.string(),
  severity: z.enum(severities),
  title: z.string(),
  detail: z.string(),
  evidence: z.record(z.string(), json),
});

/**
 * The analyst's report, the current version ({@link REPORT_SCHEMA_VERSION}). Field names other parts rely on: `scores.risk`, `riskFloor`,
 * `recommendation`, `findings[].{id, severity, title, evidence}`. Big numbers are decimal strings so
 * the canonical JSON (RFC 8785) is exact.
 */
export const reportSchema = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  /** `analysed`: the analysis ran (this schema); `failed`: see {@link failedReportSchema}. */
  status: z.literal("analysed"),
  /** `deterministic`: checks only, no model judgement; `model`: checks plus a model judgement. */
  mode: z.enum(["deterministic", "model"]),
  analyzer: analyzerSchema,
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
  findings: z.array(findingSchema),
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
  /**
   * One deterministic sentence a voter reads first: what moves where, in token units, and what the
   * description says against it. Always code's: a model's summary goes in `model.summary`.
   */
  summary: z.string().min(1).max(1000).optional(),
  /**
   * What the description asserts (amounts, recipients, "no funds move", what an address is), checked
   * by code against the calls, the targets and the simulation: the same shape as the model's
   * `intentVsEffect`, so both render alike. Evidence ids as the model's (`call:N`, `finding:N`, ...).
   */
  descriptionClaims: intentVsEffectSchema.optional(),
  /** Every deterministic check and whether it ran; a check that applied but could not run makes the report inconclusive. */
  coverage: z.array(coverageEntrySchema).optional(),
  /** True when a check that applies could not run (no fork, an RPC error): the recommendation is then `needs-review`. */
  inconclusive: z.boolean().optional(),
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
  /**
   * Accounts outside the DAO the calls pay, approve, empower or call: kind, controller, Safe owners,
   * first seen, earlier dealings with the treasury, whether one key controls it; null or absent when
   * unknown, with the facts that could not be read in `unread`.
   */
  counterparties: z
    .array(
      z.strictObject({
        address,
        roles: z.array(z.enum(["recipient", "spender", "new-owner", "grantee", "target"])),
        callIndexes: z.array(z.number().int().nonnegative()),
        kind: z.enum(["eoa", "contract", "delegated-eoa"]),
        delegatedTo: address.optional(),
        controller: z.strictObject({ via: z.enum(["owner", "proxy-admin"]), address, isEoa: z.boolean() }).optional(),
        controllerOwner: z.strictObject({ address, isEoa: z.boolean() }).optional(),
        proxyAdmin: z.strictObject({ address, isEoa: z.boolean() }).optional(),
        safe: z.strictObject({ owners: z.array(address), threshold: z.number().int().positive() }).optional(),
        nonce: z.number().int().nonnegative().optional(),
        firstSeen: z.strictObject({ blockNumber: decimal, timestamp: decimal }).nullable(),
        firstSeenBefore: z.boolean().optional(),
        age: z.strictObject({ blocks: decimal, seconds: decimal, clock: decimal }).optional(),
        priorInteractions: z.number().int().nonnegative().nullable(),
        prior: z.strictObject({ calls: z.number().int().nonnegative(), tokenTransfers: z.number().int().nonnegative() }).optional(),
        singleKeyControl: z.boolean(),
        unread: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

export type Report = z.output<typeof reportSchema>;

/** A version 2 analysis: the current schema but for `coverage` entries, which carry the check's `name`. Only read, never written. */
export const reportV2Schema = reportSchema.extend({
  schemaVersion: z.literal(2),
  coverage: z.array(coverageEntryV2Schema).optional(),
});

export type ReportV2 = z.output<typeof reportV2Schema>;

/**
 * The report published when a proposal could not be analysed (version 2 onwards, `status: "failed"`): the
 * fixed fields with risk 100, recommendation `needs-review`, one critical `analysis/failed` finding,
 * and `failure` saying why. What is known of the proposal (from its event) is kept; nothing else is
 * claimed. Readers must treat it as "no analysis", never as a verdict.
 */
export const failedReportSchema = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  status: z.literal("failed"),
  mode: z.literal("deterministic"),
  analyzer: analyzerSchema,
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
  findings: z.array(findingSchema).min(1),
  riskFloor: z.literal(100),
  scores: z.strictObject({ risk: z.literal(100) }),
  recommendation: z.literal("needs-review"),
  notes: z.array(z.string()),
  provenance: provenanceSchema,
});

export type FailedReport = z.output<typeof failedReportSchema>;

/** A version 2 failure report: the same fields as the current one. Only read, never written. */
export const failedReportV2Schema = failedReportSchema.extend({ schemaVersion: z.literal(2) });

export type FailedReportV2 = z.output<typeof failedReportV2Schema>;

/** Any report the analyst publishes (the current version): an analysis or a failure. */
export const publishedReportSchema = z.discriminatedUnion("status", [reportSchema, failedReportSchema]);
export type PublishedReportBody = Report | FailedReport;

export type Finding = z.output<typeof findingSchema>;

/**
 * A version 1 analysis, read tolerantly: version 1 had no `status` and no `descriptionInfo`, and the
 * web app and executor only ever relied on the fixed fields, so only those are checked (`findings`
 * with id, severity and title; `scores.risk`); every other field is kept as it is and typed as
 * optional. `schemaVersion` is 1 or absent. Never used to write a report.
 */
export const analysisV1Schema = z.looseObject({
  schemaVersion: z.literal(1).optional(),
  mode: z.string().optional(),
  analyzer: z.looseObject({ name: z.string(), version: z.string() }).optional(),
  chainId: z.number().optional(),
  blockNumber: z.string().optional(),
  proposal: z.looseObject({ proposalId: z.string().optional(), descriptionHash: z.string().optional() }).optional(),
  findings: z.array(
    z.looseObject({
      id: z.string(),
      check: z.string().optional(),
      severity: z.enum(severities),
      title: z.string(),
      detail: z.string().optional(),
      evidence: z.record(z.string(), json).optional(),
    }),
  ),
  riskFloor: score.optional(),
  scores: z.looseObject({ risk: score, benefit: score.optional(), confidence: z.number().min(0).max(1).optional() }),
  recommendation: z.enum(recommendations).optional(),
  notes: z.array(z.string()).optional(),
  /** The model section, or (in early version 1 reports) just the model id; anything else is dropped. */
  model: z.union([z.string(), modelSectionSchema]).optional().catch(undefined),
  intentVsEffect: intentVsEffectSchema.optional().catch(undefined),
  simulation: simulationSchema.optional().catch(undefined),
});

export type ReportV1 = z.output<typeof analysisV1Schema>;
