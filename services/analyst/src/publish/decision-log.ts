// The analyst's side of the DecisionLog: reading and verifying decisions is `@ai-dao/protocol`'s.
import type { PublishedDecision } from "@ai-dao/protocol";

/** The trigger recorded in a published report's provenance, if any. */
export function publishedTrigger(d: PublishedDecision): string | null {
  try {
    const parsed = JSON.parse(d.reportJson) as { provenance?: { trigger?: unknown } };
    return typeof parsed.provenance?.trigger === "string" ? parsed.provenance.trigger : null;
  } catch {
    return null;
  }
}
