// The contracts' enums as numbers, named as in Solidity. Each mirrors one Solidity enum member for
// member and in order (test/enums.test.ts reads the Solidity sources to keep them so): the chain
// speaks the numbers, people and logs read the names.

/** A value of one of the enums below: its members' numbers. */
type ValueOf<T> = T[keyof T];

function nameOf<const Names extends readonly string[]>(enumName: string, names: Names, value: number | bigint): Names[number] {
  const name = typeof value === "bigint" ? (value < BigInt(names.length) && value >= 0n ? names[Number(value)] : undefined) : names[value];
  if (name === undefined) throw new RangeError(`${value} is not a ${enumName} (0 to ${names.length - 1})`);
  return name;
}

/** IGovernor.ProposalState, as `Governor.state(proposalId)` returns it. */
export const ProposalState = {
  Pending: 0,
  Active: 1,
  Canceled: 2,
  Defeated: 3,
  Succeeded: 4,
  Queued: 5,
  Expired: 6,
  Executed: 7,
} as const;
export type ProposalState = ValueOf<typeof ProposalState>;
export type ProposalStateName = keyof typeof ProposalState;
/** The states' names, indexed by their number. */
export const proposalStateNames = ["Pending", "Active", "Canceled", "Defeated", "Succeeded", "Queued", "Expired", "Executed"] as const satisfies readonly ProposalStateName[];

/** The name of a proposal state number; a number outside the enum throws a RangeError. */
export function proposalStateName(value: number | bigint): ProposalStateName {
  return nameOf("ProposalState", proposalStateNames, value);
}

/**
 * The states named by a Governor state bitmap (bit `i` set for state `i`), in their numeric order:
 * how `GovernorUnexpectedProposalState` names the states a call needed.
 */
export function proposalStatesOf(bitmap: bigint | `0x${string}`): ProposalStateName[] {
  const bits = BigInt(bitmap);
  return proposalStateNames.filter((_, i) => (bits >> BigInt(i)) & 1n);
}

/** GovernorCountingSimple's vote types: the `support` of `castVote`. */
export const Support = { Against: 0, For: 1, Abstain: 2 } as const;
export type Support = ValueOf<typeof Support>;
export type SupportName = keyof typeof Support;
export const supportNames = ["Against", "For", "Abstain"] as const satisfies readonly SupportName[];

/** The name of a vote type number; a number outside the enum throws a RangeError. */
export function supportName(value: number | bigint): SupportName {
  return nameOf("Support", supportNames, value);
}

/** IDecisionLog.Kind: what kind of automated decision an entry records. */
export const DecisionKind = { Analysis: 0, Draft: 1, ExecutionGuard: 2 } as const;
export type DecisionKind = ValueOf<typeof DecisionKind>;
export type DecisionKindName = keyof typeof DecisionKind;
export const decisionKindNames = ["Analysis", "Draft", "ExecutionGuard"] as const satisfies readonly DecisionKindName[];

/** The name of a decision kind number; a number outside the enum throws a RangeError. */
export function decisionKindName(value: number | bigint): DecisionKindName {
  return nameOf("DecisionKind", decisionKindNames, value);
}

/** IDecisionLog.Recommendation: the recommendation a decision carries on chain. */
export const Recommendation = { For: 0, Against: 1, Abstain: 2, NeedsReview: 3 } as const;
export type Recommendation = ValueOf<typeof Recommendation>;
export type RecommendationName = keyof typeof Recommendation;
export const recommendationNames = ["For", "Against", "Abstain", "NeedsReview"] as const satisfies readonly RecommendationName[];

/** The name of a recommendation number; a number outside the enum throws a RangeError. */
export function recommendationName(value: number | bigint): RecommendationName {
  return nameOf("Recommendation", recommendationNames, value);
}

// IDecisionLog.ReportEncoding is defined with the report bytes it describes, in @ai-dao/reports.
export { ReportEncoding, reportEncodingName, reportEncodingNames, type ReportEncodingName } from "@ai-dao/reports";

/**
 * IDecisionLog.Recommendation for a report's `recommendation` field (the JSON the decision commits
 * to spells it `for`, `against`, `abstain` or `needs-review`).
 */
export const recommendationOfReport = {
  for: Recommendation.For,
  against: Recommendation.Against,
  abstain: Recommendation.Abstain,
  "needs-review": Recommendation.NeedsReview,
} as const satisfies Record<string, Recommendation>;
export type ReportRecommendation = keyof typeof recommendationOfReport;
