// The decision log's filters and the names of who published each decision. Filters are read from
// text (the router keeps the URL's values as text, never a JSON number: a proposal id has up to 78
// digits) and a bad one is explained at its field; the page then shows nothing rather than an
// unfiltered list.
import { readDecisionReport } from "@ai-dao/reports";

import { checksum, shortAddress } from "./format.ts";
import type { DecisionRow } from "./queries.ts";

export const decisionKinds = ["ANALYSIS", "DRAFT", "EXECUTION_GUARD"] as const;
export type DecisionKindFilter = (typeof decisionKinds)[number];

/** "analysis", "draft", "execution guard". */
export const kindLabel = (kind: string) => kind.toLowerCase().replace(/_/g, " ");

export interface DecisionFilters {
  kind?: DecisionKindFilter;
  /** Lowercase address, as the indexer stores account ids. */
  actor?: string;
  minRisk?: number;
  /** Decimal, as the indexer stores proposal ids. */
  proposal?: string;
}

export type FilterField = keyof DecisionFilters;

/** The filters as typed (in the form) or written in the URL. */
export type FilterText = Partial<Record<FilterField, string>>;

export type FilterErrors = Partial<Record<FilterField, string>>;

type Parsed<T> = { value?: T; error?: string };

const MAX_UINT256 = 2n ** 256n - 1n;
const SHORTENED = /…|\.\.\./;

/**
 * A proposal id as the Governor has it: all of its decimal digits (the form the app shows and links
 * with), or 0x and all 64 hex digits. A shortened id (with … or ...), a short hex id, letters or
 * anything above 2^256 is refused with what is expected.
 */
export function parseProposalId(text: string): Parsed<string> {
  const t = text.trim();
  if (t === "") return {};
  const expected = "a proposal id is the whole number in the proposal's address (/proposals/<id>, up to 78 digits), or 0x followed by its 64 hex digits";
  if (SHORTENED.test(t)) return { error: `This id is shortened (it contains “…”): paste all of it — ${expected}.` };
  if (/^\d+$/.test(t)) {
    const n = BigInt(t);
    if (n > MAX_UINT256) return { error: `This number is larger than any proposal id (2^256 − 1): ${expected}.` };
    return { value: n.toString() };
  }
  if (/^0x[0-9a-fA-F]*$/i.test(t)) {
    const digits = t.length - 2;
    if (digits !== 64) return { error: `This hex id has ${digits} digit${digits === 1 ? "" : "s"}, not 64, so it looks shortened: ${expected}.` };
    return { value: BigInt(t).toString() };
  }
  return { error: `“${clip(t)}” is not a proposal id: ${expected}.` };
}

/**
 * An actor: a full address (any case), or the name of a known actor ("analyst", "executor") that
 * belongs to exactly one address in `directory`.
 */
export function parseActor(text: string, directory?: ActorDirectory): Parsed<string> {
  const t = text.trim();
  if (t === "") return {};
  if (/^0x[0-9a-fA-F]{40}$/.test(t)) return { value: t.toLowerCase() };
  const named = directory ? addressesNamed(directory, t) : [];
  if (named.length === 1) return { value: named[0] };
  const names = directory ? knownNames(directory) : [];
  const alternatives = names.length > 0 ? `, or the name of a known actor (${names.join(", ")})` : "";
  if (SHORTENED.test(t)) return { error: `This address is shortened (it contains “…”): enter all of it — 0x followed by 40 hex digits${alternatives}.` };
  if (/^0x[0-9a-fA-F]*$/.test(t)) {
    const digits = t.length - 2;
    return { error: `An address has 40 hex digits after 0x; this has ${digits}. Enter the whole address${alternatives}.` };
  }
  return { error: `“${clip(t)}” is not an address: enter 0x followed by 40 hex digits${alternatives}.` };
}

/** A minimum risk: a whole number from 0 to 100. */
export function parseMinRisk(text: string): Parsed<number> {
  const t = text.trim();
  if (t === "") return {};
  if (!/^\d+$/.test(t) || Number(t) > 100) return { error: `Risk is a whole number from 0 to 100 (got “${clip(t)}”).` };
  return { value: Number(t) };
}

export function parseKind(text: string): Parsed<DecisionKindFilter> {
  const t = text.trim();
  if (t === "") return {};
  const kind = decisionKinds.find((k) => k === t.toUpperCase().replace(/[\s-]+/g, "_"));
  if (kind) return { value: kind };
  return { error: `Unknown kind “${clip(t)}”: choose ${decisionKinds.map(kindLabel).join(", ")}.` };
}

/** Every filter at once; `errors` names each field that could not be read and says what it expects. */
export function parseDecisionFilters(text: FilterText, directory?: ActorDirectory): { filters: DecisionFilters; errors: FilterErrors } {
  const filters: DecisionFilters = {};
  const errors: FilterErrors = {};
  const kind = parseKind(text.kind ?? "");
  const actor = parseActor(text.actor ?? "", directory);
  const minRisk = parseMinRisk(text.minRisk ?? "");
  const proposal = parseProposalId(text.proposal ?? "");
  if (kind.error) errors.kind = kind.error;
  else if (kind.value) filters.kind = kind.value;
  if (actor.error) errors.actor = actor.error;
  else if (actor.value) filters.actor = actor.value;
  if (minRisk.error) errors.minRisk = minRisk.error;
  else if (minRisk.value !== undefined) filters.minRisk = minRisk.value;
  if (proposal.error) errors.proposal = proposal.error;
  else if (proposal.value) filters.proposal = proposal.value;
  return { filters, errors };
}

/** The GraphQL `where` for the filters (graph-node's Decision_filter). */
export function decisionsWhere(filters: DecisionFilters): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  if (filters.kind) where.kind = filters.kind;
  if (filters.actor) where.actor = filters.actor;
  if (filters.minRisk !== undefined) where.risk_gte = filters.minRisk;
  if (filters.proposal) where.proposalId = filters.proposal;
  return where;
}

const clip = (t: string) => (t.length > 48 ? `${t.slice(0, 47)}…` : t);

// --- Who published a decision --------------------------------------------------------------------

/** The Governor's analyst registry and the DecisionLog's publishers, as the indexer has them now. */
export const ACTOR_ROLES_QUERY = `
query ActorRoles {
  analysts: accounts(first: 100, where: { isAnalyst: true }, subgraphError: allow) { id }
  publishers: accounts(first: 100, where: { isPublisher: true }, subgraphError: allow) { id }
}`;

export interface ActorRolesAnswer {
  analysts?: { id: string }[];
  publishers?: { id: string }[];
}

export type ActorRole = "analyst" | "executor" | "publisher";

/** Lowercase address → its roles, in the order they are named. */
export type ActorDirectory = ReadonlyMap<string, readonly ActorRole[]>;

/**
 * Who is who among the log's actors:
 * - analyst: registered with the Governor as an analyst (the indexer's view of `AnalystSet`);
 * - executor: the address the executor service reports at `/health`, or a DecisionLog publisher
 *   whose ExecutionGuard report names itself as the executor (a publisher's word about its own key);
 * - publisher: any other account the DecisionLog lets publish.
 * Anyone else has no name (shown by short address): nothing is guessed.
 */
export function actorDirectory(o: { roles?: ActorRolesAnswer | undefined; executorAddress?: string | null | undefined; rows?: readonly DecisionRow[] }): ActorDirectory {
  const analysts = new Set((o.roles?.analysts ?? []).map((a) => a.id.toLowerCase()));
  const publishers = new Set((o.roles?.publishers ?? []).map((a) => a.id.toLowerCase()));
  const executors = new Set<string>();
  if (o.executorAddress) executors.add(o.executorAddress.toLowerCase());
  for (const row of o.rows ?? []) {
    const actor = row.actor.id.toLowerCase();
    if (row.kind !== "EXECUTION_GUARD" || !publishers.has(actor) || executors.has(actor)) continue;
    const read = readDecisionReport(row.kind, row.report, row.encoding ?? "JSON");
    if (read.kind === "execution-guard" && read.report.executor.address.toLowerCase() === actor) executors.add(actor);
  }
  const directory = new Map<string, ActorRole[]>();
  for (const address of new Set([...analysts, ...executors, ...publishers])) {
    const roles: ActorRole[] = [];
    if (analysts.has(address)) roles.push("analyst");
    if (executors.has(address)) roles.push("executor");
    if (roles.length === 0 && publishers.has(address)) roles.push("publisher");
    directory.set(address, roles);
  }
  return directory;
}

/** "analyst", "executor", "analyst and executor", "publisher", or null for an account with no known role. */
export function actorRoleName(address: string, directory: ActorDirectory): string | null {
  const roles = directory.get(address.toLowerCase());
  return roles && roles.length > 0 ? roles.join(" and ") : null;
}

/** An actor in words: "analyst (0x2361…1e8f)", or the short address when it has no known role. */
export function actorLabel(address: string, directory: ActorDirectory): string {
  const name = actorRoleName(address, directory);
  const short = shortAddress(checksum(address));
  return name ? `${name} (${short})` : short;
}

function addressesNamed(directory: ActorDirectory, name: string): string[] {
  const wanted = name.trim().toLowerCase();
  return [...directory].filter(([, roles]) => roles.includes(wanted as ActorRole)).map(([address]) => address);
}

/** Names that pick exactly one address (a name two accounts share picks neither). */
function knownNames(directory: ActorDirectory): string[] {
  const names = new Set<string>();
  for (const roles of directory.values()) for (const role of roles) names.add(role);
  return [...names].filter((n) => addressesNamed(directory, n).length === 1);
}
