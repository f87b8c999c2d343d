import type { ProposalStateName } from "@ai-dao/protocol";
import type { ReactNode } from "react";

import { checksum, shortAddress } from "../lib/format.ts";

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" aria-live="polite" className="muted">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function ErrorNote({ error, title = "Something went wrong" }: { error: unknown; title?: string }) {
  return (
    <div role="alert" className="error">
      <strong>{title}:</strong> {error instanceof Error ? error.message : String(error)}
    </div>
  );
}

/** A proposal's state as a badge: the word itself, so it is never shown twice next to it. */
export function StateBadge({ state, testId }: { state: ProposalStateName; testId?: string }) {
  return (
    <span className={`badge state-${state.toLowerCase()}`} data-testid={testId}>
      {state}
    </span>
  );
}

export function riskLevel(risk: number): "low" | "medium" | "high" {
  return risk >= 70 ? "high" : risk >= 40 ? "medium" : "low";
}

export function RiskBadge({ risk }: { risk: number | null | undefined }) {
  if (risk === null || risk === undefined) return <span className="badge risk-none">no analysis</span>;
  return (
    <span className={`badge risk-${riskLevel(risk)}`} title={`risk score ${risk} of 100`}>
      risk {risk}
    </span>
  );
}

/** An address, shortened, always in its checksummed spelling (the indexer's ids are lower case). */
export function Address({ value, name }: { value: string; name?: string | null }) {
  const shown = checksum(value);
  return (
    <code className="address" title={shown}>
      {name ? `${name} ` : ""}
      {shortAddress(shown)}
    </code>
  );
}
