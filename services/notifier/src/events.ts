// What the notifier tells people about. Each event has a stable id derived from the chain (the
// proposal id, a decision id, a voter), so the same happening found twice — after a restart, on a
// second poll of the same blocks — is one event, and the outbox sends it once per subscription.
import { GUARD_REASON_TEXT, type GuardReason } from "@ai-dao/reports";

import { untrusted, untrustedTitle } from "./text.ts";

export const EVENT_TYPES = [
  "proposal.created",
  "analysis.changed",
  "voting.ending",
  "proposal.succeeded",
  "proposal.defeated",
  "proposal.queued",
  "proposal.executed",
  "guard.hold",
  "guard.refusal",
  "guardian.alert",
  "vote.cast",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** A test message a member asks for from the settings page (not subscribable: it goes to one subscription). */
export const TEST_EVENT = "test" as const;

/** What an analysis said, as the DecisionLog holds it (`risk` is the on-chain field the Governor reads). */
export interface AnalysisSummary {
  decisionId: string;
  risk: number;
  recommendation: string;
  summary: string | null;
  findingCount: number | null;
}

interface Base<T extends EventType | typeof TEST_EVENT, D> {
  /** Stable: `<type>:<proposal id>[:<more>]`. */
  id: string;
  type: T;
  proposalId: string;
  /** Untrusted: cleaned and escaped when formatted. */
  title: string;
  /** Risk of the latest analysis known when the event was found; null: none published (treated as 100 by filters). */
  risk: number | null;
  /** Chain time (unix seconds) of the happening, or of the poll that noticed a deadline. */
  occurredAt: number;
  block: number;
  data: D;
}

export type NotificationEvent =
  | Base<"proposal.created", { proposer: string; voteStart: string; voteEnd: string; analysis: AnalysisSummary | null }>
  | Base<"analysis.changed", { previous: { risk: number; recommendation: string } | null; analysis: AnalysisSummary }>
  | Base<"voting.ending", { voteEnd: string; secondsLeft: number }>
  | Base<"proposal.succeeded" | "proposal.defeated", { forVotes: string; againstVotes: string; abstainVotes: string; quorum: string; quorumReached: boolean }>
  | Base<"proposal.queued", { eta: string | null; riskDelay: string | null }>
  | Base<"proposal.executed", { tx: string }>
  | Base<"guard.hold" | "guard.refusal", { decisionId: string; action: string | null; reason: string | null; summary: string | null }>
  | Base<"guardian.alert", { tx: string; duringVote: boolean }>
  | Base<"vote.cast", { voter: string; support: number; choice: string; weight: string; reason: string }>
  | Base<typeof TEST_EVENT, { requestedBy: string }>;

/** A message in plain text, before any channel's format: every field already cleaned of hidden characters and capped. */
export interface Message {
  /** One line: subject of an email, title of an embed. */
  subject: string;
  /** Short paragraphs of plain text. */
  lines: string[];
  /** Link to the proposal in the web app. */
  url: string;
}

const when = (seconds: number | string | null) => (seconds === null ? "unknown" : new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z"));
const riskText = (risk: number | null) => (risk === null ? "not analysed yet (treated as high risk)" : `${risk}/100`);
const duration = (s: number) => (s >= 3600 ? `${Math.round(s / 360) / 10} h` : s >= 60 ? `${Math.round(s / 60)} min` : `${s} s`);
const CHOICES: Record<number, string> = { 0: "against", 1: "for", 2: "abstain" };

/** The plain-text message for an event. `appUrl` is the web app's origin (trusted configuration). */
export function messageOf(event: NotificationEvent, appUrl: string): Message {
  const title = untrustedTitle(event.title);
  const app = appUrl.replace(/\/+$/, "");
  const url = `${app}/proposals/${encodeURIComponent(event.proposalId)}`;
  const ref = `Proposal ${shortId(event.proposalId)}`;
  switch (event.type) {
    case "proposal.created": {
      const a = event.data.analysis;
      return {
        subject: `New proposal: ${title}`,
        lines: [
          `${ref} by ${event.data.proposer}. Voting ${when(event.data.voteStart)} to ${when(event.data.voteEnd)}.`,
          a ? `Analysis: risk ${a.risk}/100, recommendation ${a.recommendation}${a.findingCount !== null ? `, ${a.findingCount} findings` : ""}.` : `Analysis: none published yet (treated as high risk).`,
          ...(a?.summary ? [`Summary: ${untrusted(a.summary, 600)}`] : []),
        ],
        url,
      };
    }
    case "analysis.changed": {
      const { previous, analysis } = event.data;
      return {
        subject: `Analysis changed: ${title}`,
        lines: [
          `${ref}: ${previous ? `risk ${previous.risk} → ${analysis.risk}, recommendation ${previous.recommendation} → ${analysis.recommendation}` : `first analysis: risk ${analysis.risk}/100, recommendation ${analysis.recommendation}`}.`,
          ...(analysis.summary ? [`Summary: ${untrusted(analysis.summary, 600)}`] : []),
        ],
        url,
      };
    }
    case "voting.ending":
      return {
        subject: `Voting ends in ${duration(event.data.secondsLeft)}: ${title}`,
        lines: [`${ref}: voting ends at ${when(event.data.voteEnd)} and neither you nor your delegate has voted.`, `Risk: ${riskText(event.risk)}.`],
        url,
      };
    case "proposal.succeeded":
    case "proposal.defeated":
      return {
        subject: `${event.type === "proposal.succeeded" ? "Passed" : "Defeated"}: ${title}`,
        lines: [
          `${ref} ${event.type === "proposal.succeeded" ? "passed" : "was defeated"}: for ${event.data.forVotes}, against ${event.data.againstVotes}, abstain ${event.data.abstainVotes} (quorum ${event.data.quorum}${event.data.quorumReached ? ", reached" : ", not reached"}).`,
        ],
        url,
      };
    case "proposal.queued":
      return {
        subject: `Queued: ${title}`,
        lines: [`${ref} is queued in the timelock; it can execute from ${when(event.data.eta)}${event.data.riskDelay ? ` (delay ${duration(Number(event.data.riskDelay))})` : ""}.`, `Risk: ${riskText(event.risk)}.`],
        url,
      };
    case "proposal.executed":
      return { subject: `Executed: ${title}`, lines: [`${ref} was executed in transaction ${event.data.tx}.`], url };
    case "guard.hold":
    case "guard.refusal": {
      const reason = event.data.reason && event.data.reason in GUARD_REASON_TEXT ? GUARD_REASON_TEXT[event.data.reason as GuardReason] : "see the published guard decision";
      return {
        subject: `Executor ${event.type === "guard.hold" ? "holds" : "refuses"}${event.data.action ? ` to ${event.data.action}` : ""}: ${title}`,
        lines: [`${ref}: ${reason}.`, ...(event.data.summary ? [untrusted(event.data.summary, 400)] : []), `Guard decision ${event.data.decisionId} is in the DecisionLog.`],
        url,
      };
    }
    case "guardian.alert":
      return {
        subject: `Canceled: ${title}`,
        lines: [`${ref} was canceled ${event.data.duringVote ? "by the proposal guardian" : "before voting started (by its proposer or the guardian)"} in transaction ${event.data.tx}.`],
        url,
      };
    case TEST_EVENT:
      return { subject: "Test notification from the DAO notifier", lines: [`This subscription of ${event.data.requestedBy} works: messages about proposals will arrive here.`], url: `${app}/` };
    case "vote.cast":
      return {
        subject: `${event.data.voter} voted ${CHOICES[event.data.support] ?? event.data.choice.toLowerCase()}: ${title}`,
        lines: [`${ref}: ${event.data.voter} voted ${CHOICES[event.data.support] ?? event.data.choice.toLowerCase()} with ${event.data.weight} votes.`, ...(event.data.reason ? [`Reason: ${untrusted(event.data.reason, 500)}`] : [])],
        url,
      };
  }
}

/** A long decimal proposal id shortened for people (`#1234…5678`); the full id is in the link and the JSON. */
export function shortId(id: string): string {
  return id.length > 12 ? `#${id.slice(0, 6)}…${id.slice(-4)}` : `#${id}`;
}

/** The message as one block of text (logs, email text part, webhook `text`). */
export function plainText(message: Message): string {
  return [message.subject, "", ...message.lines, "", message.url].join("\n");
}
