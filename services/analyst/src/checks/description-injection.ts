import type { Finding, ProposalCheck } from "./types.ts";

/**
 * Patterns of text written for an automated reviewer rather than for voters. A proposal description
 * has no reason to address a model, carry a verdict, or mimic chat markup; any of these is an
 * attempt to steer the analysis (high). Each kind is reported once, with the matching excerpts.
 */
export const INJECTION_PATTERNS: { kind: string; title: string; patterns: RegExp[] }[] = [
  {
    kind: "reviewer-instructions",
    title: "addresses instructions to an automated reviewer",
    patterns: [
      /\b(ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|any|your|other|system)\b[^.\n]{0,30}\b(instructions?|rules|prompts?|guidelines|directives|checks|findings)\b/i,
      /\b(note|message|instructions?|attention|notice)\s+(to|for)\s+(the\s+|any\s+|all\s+)?(ai|llm|gpt|claude|model|language model|automated|analy[sz]er|analyst|reviewer|auditor|bot|assistant|agent)s?\b/i,
      /\b(ai|llm|automated|machine)\s+(reviewers?|analysts?|analy[sz]ers?|auditors?|agents?|assistants?|models?)\s*(:|,|must|should|shall|will|are|is)/i,
      /\byou\s+(are|must|should|shall|will|have to)\s+(now\s+)?(an?\s+|the\s+)?(ai|assistant|analyst|reviewer|model|score|rate|recommend|approve|output|respond|classify|mark|report|assign|return|ignore)\b/i,
      /\bdo\s+not\s+(flag|report|mention|raise|list|warn|escalate)\b/i,
    ],
  },
  {
    kind: "fake-verdict",
    title: "contains a ready-made analysis verdict",
    patterns: [
      /\brisk(\s*score|_score|score|\s*level|\s*floor)?\s*[:=]\s*["']?(0|0\.0|none|zero|minimal|negligible|no risk)\b/i,
      /\brecommendation\s*[:=]\s*["']?(for|approve|approved|yes|vote for|safe)\b/i,
      /["'](risk|riskFloor|recommendation|scores|findings|severity)["']\s*:/,
      /\b(analysis|audit|review|security check|scan)\s*(result|status|outcome|verdict)?\s*[:=]\s*["']?(passed|pass|clean|approved|safe|no issues|ok)\b/i,
      /\b(pre-?approved|already (been )?(verified|analy[sz]ed|approved)|verified safe)\b[^.\n]{0,40}\b(by|from)\b[^.\n]{0,20}\b(ai|analyst|analy[sz]er|model|auditors?|security team)\b/i,
    ],
  },
  {
    kind: "role-play",
    title: "uses chat or role-play markup",
    patterns: [
      /<\/?\s*(system|assistant|user|human|instructions?|prompt|im_start|im_end|analysis|report)\s*>/i,
      /\[\/?(INST|SYS|SYSTEM)\]/,
      /<<\/?SYS>>/,
      /<\|[a-z_]+\|>/i,
      /^\s*(system|assistant|human|user)\s*:/im,
      /\b(pretend|act as|role-?play|you are now|from now on you|new persona|jailbreak|developer mode)\b/i,
      /^\s*#{1,6}\s*(system|instructions?|response|assistant)\b/im,
    ],
  },
];

/** Every injection kind found in `text`, with up to three excerpts each. */
export function findInjections(text: string): { kind: string; title: string; excerpts: string[] }[] {
  const found: { kind: string; title: string; excerpts: string[] }[] = [];
  for (const { kind, title, patterns } of INJECTION_PATTERNS) {
    const excerpts: string[] = [];
    for (const pattern of patterns) {
      const match = pattern.exec(text);
      if (match) excerpts.push(match[0].trim().slice(0, 120));
    }
    if (excerpts.length > 0) found.push({ kind, title, excerpts: excerpts.slice(0, 3) });
  }
  return found;
}

export const descriptionInjection: ProposalCheck = {
  id: "description-injection",
  name: "Prompt injection in the description",
  check(ctx) {
    return findInjections(ctx.proposal.description).map(
      ({ kind, title, excerpts }): Finding => ({
        id: `description-injection/${kind}`,
        check: this.id,
        severity: "high",
        title: `The description ${title}`,
        detail: `Text aimed at an automated reviewer, not at voters: ${excerpts.map((e) => JSON.stringify(e)).join(", ")}. A proposal that tries to steer its own review deserves a person's look.`,
        evidence: { excerpts },
      }),
    );
  },
};
