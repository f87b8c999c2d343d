import { getContractAddress, type Address } from "viem";
import { z } from "zod";

import { ConfigError } from "./errors.ts";
import { address, seconds, tokenAmount } from "./schema-helpers.ts";

/** Allocation recipient keyword for the treasury (the timelock, whose address is known only at deploy). */
export const TREASURY = "treasury";

export const profileNames = ["local", "production"] as const;
export type ProfileName = (typeof profileNames)[number];

/**
 * Parameter defaults per profile, in the same JSON shape as a deploy config file.
 * - local: a whole proposal lifecycle fits in a few minutes of a demo;
 * - production: 1 day voting delay, 1 week voting period, 2 day timelock, 4% quorum.
 */
export const profiles: Record<ProfileName, { governor: GovernorInput; timelock: TimelockInput }> = {
  local: {
    governor: {
      name: "DAO Governor",
      votingDelay: 10,
      votingPeriod: 300,
      proposalThreshold: "1000",
      quorumPercent: 4,
      lateQuorumVoteExtension: 60,
      proposalGuardian: null,
      riskTiers: [
        { minRisk: 40, delay: 180 },
        { minRisk: 70, delay: 600 },
      ],
    },
    timelock: { minDelay: 60 },
  },
  production: {
    governor: {
      name: "DAO Governor",
      votingDelay: 86_400,
      votingPeriod: 604_800,
      proposalThreshold: "10000",
      quorumPercent: 4,
      lateQuorumVoteExtension: 86_400,
      proposalGuardian: null,
      riskTiers: [
        { minRisk: 40, delay: 345_600 },
        { minRisk: 70, delay: 604_800 },
      ],
    },
    timelock: { minDelay: 172_800 },
  },
};

/** Most risk tiers the Governor accepts (`GovernorRiskDelay.MAX_RISK_TIERS`). */
export const MAX_RISK_TIERS = 5;
/** Longest delay a risk tier may set, in seconds (`GovernorRiskDelay.MAX_RISK_DELAY`, 30 days). */
export const MAX_RISK_DELAY = 30 * 86_400;

/**
 * The timelock delay by risk: an analysis with risk `minRisk` or more waits at least `delay` seconds
 * between queueing and execution; below the first tier, the timelock's minimum; no analysis at all,
 * the last tier. Strictly increasing in risk, never decreasing in delay.
 */
const riskTiersSchema = z
  .array(
    z.strictObject({
      minRisk: z.number().int("must be a whole risk score").min(1, "must be at least 1").max(100, "must be at most 100"),
      delay: seconds(32).max(MAX_RISK_DELAY, `must be at most ${MAX_RISK_DELAY} seconds (30 days)`),
    }),
  )
  .min(1, "must list at least one tier")
  .max(MAX_RISK_TIERS, `must list at most ${MAX_RISK_TIERS} tiers`)
  .superRefine((tiers, ctx) => {
    tiers.forEach((tier, index) => {
      const before = tiers[index - 1];
      if (before && tier.minRisk <= before.minRisk) ctx.addIssue({ code: "custom", path: [index, "minRisk"], message: "must be higher than the tier before" });
      if (before && tier.delay < before.delay) ctx.addIssue({ code: "custom", path: [index, "delay"], message: "must not be shorter than the tier before" });
    });
  });

const governorSchema = z.strictObject({
  name: z.string().min(1, "must not be empty"),
  /** Seconds from proposing to the vote's snapshot and start. */
  votingDelay: seconds(48, 1),
  /** Seconds the vote stays open. */
  votingPeriod: seconds(32, 1),
  /** Whole tokens of voting power needed to propose (analysts are exempt). */
  proposalThreshold: tokenAmount(),
  /** Quorum as a percentage of the total supply at the snapshot. */
  quorumPercent: z.number().int("must be a whole percentage").min(1, "must be at least 1").max(100, "must be at most 100"),
  /** Seconds a vote is extended when quorum is reached late. */
  lateQuorumVoteExtension: seconds(48),
  /** Account that may cancel any proposal, or null for none. */
  proposalGuardian: address.nullable(),
  /** The timelock delay by the risk of the latest analysis (see `riskTiersSchema`). */
  riskTiers: riskTiersSchema,
});

const timelockSchema = z.strictObject({
  /** Seconds between queueing and executing a passed proposal. */
  minDelay: seconds(48),
});

const allocationSchema = z.strictObject({
  recipient: z.union([z.literal(TREASURY), address], {
    message: `must be "${TREASURY}" or an address (0x followed by 40 hex digits)`,
  }),
  amount: tokenAmount(),
  label: z.string().optional(),
});

/**
 * An ERC-20 token the treasury holds, so the subgraph indexes its flows in and out of the treasury.
 * Either its address, or — for a token a script deploys after the DAO, like the local demo's
 * stablecoin — the account that creates it and that account's nonce at creation, which fix the
 * address before the token exists (CREATE addresses depend on nothing else).
 */
const treasuryAssetSchema = z.union(
  [
    z.strictObject({ address, label: z.string().optional() }),
    z.strictObject({
      createdBy: address,
      nonce: z.number().int("must be a whole number").nonnegative("must be 0 or more"),
      label: z.string().optional(),
    }),
  ],
  { message: 'must be { "address": "0x…" } or { "createdBy": "0x…", "nonce": N }, each with an optional "label"' },
);

/** ERC20Votes caps the total supply at 2^208 - 1 base units. */
const MAX_VOTES_SUPPLY = 2n ** 208n - 1n;

const deployConfigSchema = z
  .strictObject({
    token: z.strictObject({
      name: z.string().min(1, "must not be empty"),
      symbol: z.string().min(1, "must not be empty"),
      allocations: z.array(allocationSchema).min(1, "must list at least one recipient"),
    }),
    governor: governorSchema,
    timelock: timelockSchema,
    /** Accounts that may propose below the threshold (the AI analyst's key). */
    analysts: z.array(address).default([]),
    /** Accounts that may publish to the DecisionLog (the analyst's and the executor's keys). */
    publishers: z.array(address).default([]),
    /** ERC-20 tokens besides the DAO token whose treasury inflows and outflows are indexed. */
    treasuryAssets: z.array(treasuryAssetSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>();
    config.token.allocations.forEach((allocation, index) => {
      const key = allocation.recipient.toLowerCase();
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["token", "allocations", index, "recipient"],
          message: `repeats the recipient of token.allocations[${first}]; merge them into one entry`,
        });
      }
      seen.set(key, index);
      if (allocation.amount === 0n) {
        ctx.addIssue({ code: "custom", path: ["token", "allocations", index, "amount"], message: "must be more than 0" });
      }
    });
    const totalSupply = config.token.allocations.reduce((sum, a) => sum + a.amount, 0n);
    if (totalSupply > MAX_VOTES_SUPPLY) {
      ctx.addIssue({ code: "custom", path: ["token", "allocations"], message: "total exceeds the votes token cap of 2^208-1 base units" });
    }
    if (config.governor.proposalThreshold > totalSupply) {
      ctx.addIssue({
        code: "custom",
        path: ["governor", "proposalThreshold"],
        message: "is larger than the total supply, so nobody but analysts could ever propose",
      });
    }
    // Refinements run even when a field check failed: only well-formed entries get an address.
    const wellFormed = config.treasuryAssets.every((a) => "address" in a || (Number.isSafeInteger(a.nonce) && a.nonce >= 0));
    const assets = wellFormed ? resolveTreasuryAssets(config.treasuryAssets).map((a) => a.address.toLowerCase()) : [];
    assets.forEach((a, index) => {
      if (assets.indexOf(a) !== index) {
        ctx.addIssue({ code: "custom", path: ["treasuryAssets", index], message: "is listed twice (same token address)" });
      }
    });
    for (const list of ["analysts", "publishers"] as const) {
      const lower = config[list].map((a) => a.toLowerCase());
      lower.forEach((a, index) => {
        if (lower.indexOf(a) !== index) {
          ctx.addIssue({ code: "custom", path: [list, index], message: "is listed twice" });
        }
      });
    }
  });

type TreasuryAssetConfig = z.output<typeof treasuryAssetSchema>;

/** A treasury asset as the deployment file records it: its address and the config's label. */
export interface TreasuryAsset {
  address: Address;
  label?: string;
}

/** The addresses of configured treasury assets (a `createdBy`/`nonce` entry gives its CREATE address). */
export function resolveTreasuryAssets(assets: readonly TreasuryAssetConfig[]): TreasuryAsset[] {
  return assets.map((asset) => {
    const address =
      "address" in asset ? asset.address : getContractAddress({ from: asset.createdBy as Address, nonce: BigInt(asset.nonce) });
    return { address, ...(asset.label === undefined ? {} : { label: asset.label }) };
  });
}

type GovernorInput = z.input<typeof governorSchema>;
type TimelockInput = z.input<typeof timelockSchema>;
export type DeployConfigInput = z.input<typeof deployConfigSchema>;
/** A validated deploy configuration: addresses checksummed, token amounts in base units. */
export type DeployConfig = z.output<typeof deployConfigSchema>;

/**
 * Validates a deploy config (the parsed JSON of a config file) over the defaults of `profile`.
 * `governor` and `timelock` fields in the file override the profile's; everything else comes from
 * the file. Throws a {@link ConfigError} naming every bad field; never returns a partial config.
 */
export function resolveDeployConfig(profile: string, input: unknown, source = "deploy config"): DeployConfig {
  if (!(profileNames as readonly string[]).includes(profile)) {
    throw new ConfigError(source, [`profile: "${profile}" is not one of ${profileNames.join(", ")}`]);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ConfigError(source, ["(root): must be a JSON object with token, analysts, publishers"]);
  }
  const defaults = profiles[profile as ProfileName];
  const file = input as Record<string, unknown>;
  const merged = {
    ...file,
    governor: mergeSection(defaults.governor, file.governor),
    timelock: mergeSection(defaults.timelock, file.timelock),
  };
  const result = deployConfigSchema.safeParse(merged);
  if (!result.success) throw ConfigError.fromZod(source, result.error);
  return result.data;
}

function mergeSection(defaults: object, overrides: unknown): unknown {
  if (overrides === undefined) return defaults;
  if (typeof overrides !== "object" || overrides === null || Array.isArray(overrides)) return overrides;
  return { ...defaults, ...overrides };
}
