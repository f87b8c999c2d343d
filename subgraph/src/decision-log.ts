// DecisionLog: every automated decision with its report, and the publishers allowed to write it.
import { Address, Bytes, JSONValue, JSONValueKind, TypedMap, json } from "@graphprotocol/graph-ts";

import { DecisionPublished, PublisherSet } from "../generated/DecisionLog/DecisionLog";
import { Decision, DecisionLog, Proposal, PublisherChange } from "../generated/schema";
import { eventId, getOrCreateAccount, getOrCreateDailySnapshot } from "./helpers";

// Solidity enum order in contracts/interfaces/IDecisionLog.sol.
const KINDS: string[] = ["ANALYSIS", "DRAFT", "EXECUTION_GUARD"];
const RECOMMENDATIONS: string[] = ["FOR", "AGAINST", "ABSTAIN", "NEEDS_REVIEW"];
const ENCODINGS: string[] = ["JSON", "DEFLATE_RAW", "DEFLATE_RAW_DICTIONARY_1"];
const ENCODING_JSON: i32 = 0;

function getOrCreateDecisionLog(address: Address): DecisionLog {
  const id = address.toHexString();
  let decisionLog = DecisionLog.load(id);
  if (decisionLog == null) {
    decisionLog = new DecisionLog(id);
    decisionLog.decisionCount = 0;
    decisionLog.publisherCount = 0;
  }
  return decisionLog;
}

/** The text of a number as the JSON parser kept it (no host call, so it cannot abort). */
function numberText(value: JSONValue): string {
  return changetype<string>(value.data as u32);
}

/** A JSON scalar as text: strings as they are, numbers and booleans as written. */
function scalarText(value: JSONValue | null): string | null {
  if (value == null) return null;
  if (value.kind == JSONValueKind.STRING) return value.toString();
  if (value.kind == JSONValueKind.NUMBER) return numberText(value);
  if (value.kind == JSONValueKind.BOOL) return value.toBool() ? "true" : "false";
  return null;
}

function stringField(object: TypedMap<string, JSONValue>, key: string): string | null {
  const value = object.get(key);
  if (value == null || value.kind != JSONValueKind.STRING) return null;
  return value.toString();
}

/** A small JSON integer (up to 9 digits, optional minus sign); null for anything else. */
function smallInt(value: JSONValue | null): i32 {
  if (value == null || value.kind != JSONValueKind.NUMBER) return I32.MIN_VALUE;
  const text = numberText(value);
  const start = text.startsWith("-") ? 1 : 0;
  if (text.length == start || text.length - start > 9) return I32.MIN_VALUE;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return I32.MIN_VALUE;
  }
  return I32.parseInt(text, 10);
}

/**
 * Copies the main fields of a JSON report onto the decision. Reports are untrusted bytes: anything
 * that is not valid JSON, not an object, or has fields of unexpected types is skipped, never fatal.
 */
function readReport(decision: Decision, report: Bytes): void {
  decision.reportIsJson = false;
  const parsed = json.try_fromBytes(report);
  if (parsed.isError) return;
  const root = parsed.value;
  if (root.kind != JSONValueKind.OBJECT) return;
  decision.reportIsJson = true;
  const object = root.toObject();

  decision.schemaVersion = scalarText(object.get("schemaVersion"));
  decision.reportRecommendation = stringField(object, "recommendation");
  decision.summary = stringField(object, "summary");

  const scores = object.get("scores");
  if (scores != null && scores.kind == JSONValueKind.OBJECT) {
    const risk = smallInt(scores.toObject().get("risk"));
    if (risk != I32.MIN_VALUE) decision.reportRisk = risk;
  }
  const riskFloor = smallInt(object.get("riskFloor"));
  if (riskFloor != I32.MIN_VALUE) decision.riskFloor = riskFloor;

  const findings = object.get("findings");
  if (findings != null && findings.kind == JSONValueKind.ARRAY) {
    decision.findingCount = findings.toArray().length;
  }
}

export function handleDecisionPublished(event: DecisionPublished): void {
  const params = event.params;
  const actor = getOrCreateAccount(params.actor);
  actor.decisionsPublished += 1;
  actor.save();

  const kind = params.kind < KINDS.length ? KINDS[params.kind] : KINDS[0];
  const decision = new Decision(params.decisionId.toString());
  decision.decisionId = params.decisionId;
  decision.proposalId = params.proposalId;
  // Proposal ids are hashes of the proposal's content, so a decision published before the
  // proposal exists (a draft) still points at the right entity once it is created.
  if (!params.proposalId.isZero()) decision.proposal = params.proposalId.toString();
  decision.kind = kind;
  decision.actor = actor.id;
  decision.risk = params.risk;
  decision.recommendation =
    params.recommendation < RECOMMENDATIONS.length ? RECOMMENDATIONS[params.recommendation] : "NEEDS_REVIEW";
  decision.reportHash = params.reportHash;
  // The contract refuses any other value, so the enum is always known here.
  decision.encoding = params.encoding < ENCODINGS.length ? ENCODINGS[params.encoding] : ENCODINGS[ENCODING_JSON];
  decision.report = params.report;
  decision.block = event.block.number;
  decision.timestamp = event.block.timestamp;
  decision.tx = event.transaction.hash;
  decision.logIndex = event.logIndex;
  // AssemblyScript has no inflate: a compressed report's fields stay null for clients to read from `report`.
  if (params.encoding == ENCODING_JSON) readReport(decision, params.report);
  else decision.reportIsJson = false;
  decision.save();

  const proposal = Proposal.load(params.proposalId.toString());
  if (proposal != null) {
    proposal.decisionCount += 1;
    proposal.save();
  }

  const decisionLog = getOrCreateDecisionLog(event.address);
  decisionLog.decisionCount += 1;
  decisionLog.save();

  const snapshot = getOrCreateDailySnapshot(event.block.timestamp);
  snapshot.decisionsPublished += 1;
  if (kind == "EXECUTION_GUARD") snapshot.executionGuardDecisions += 1;
  snapshot.save();
}

export function handlePublisherSet(event: PublisherSet): void {
  const account = getOrCreateAccount(event.params.account);
  const authorised = event.params.authorised;
  if (account.isPublisher != authorised) {
    const decisionLog = getOrCreateDecisionLog(event.address);
    decisionLog.publisherCount += authorised ? 1 : -1;
    decisionLog.save();
  }
  account.isPublisher = authorised;
  account.save();

  const change = new PublisherChange(eventId(event));
  change.account = account.id;
  change.authorised = authorised;
  change.block = event.block.number;
  change.timestamp = event.block.timestamp;
  change.tx = event.transaction.hash;
  change.logIndex = event.logIndex;
  change.save();
}
