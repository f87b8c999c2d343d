import { fetchService } from "./errors.ts";

// Reports are read only through @ai-dao/reports (`readDecisionReport`): the API's `report` objects
// are not trusted as typed; the exact JSON next to them is read and checked against the schemas.

export interface PublishedReport {
  /** The analyst's parsed copy; pages read `reportJson` with `readDecisionReport` instead. */
  report: unknown;
  reportJson: string;
  reportHash: `0x${string}`;
  decisionId: string;
  txHash: `0x${string}`;
  blockNumber: string | number;
  cid?: string | null;
}

export interface ProposalInput {
  targets: string[];
  values: string[];
  calldatas: string[];
  description: string;
  proposer?: string;
}

export interface AnalysisPreview {
  report: unknown;
  reportJson: string;
  reportHash: `0x${string}`;
  cid?: string | null;
}

export interface Draft {
  proposal: { targets: string[]; values: string[]; calldatas: string[]; description: string };
  analysis: { report: unknown; reportJson?: string; reportHash: string; [key: string]: unknown };
}

export class AnalystError extends Error {
  override name = "AnalystError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface AnalystApi {
  report(proposalId: string): Promise<PublishedReport | null>;
  analyze(proposal: ProposalInput): Promise<AnalysisPreview>;
  draft(intent: string, proposer?: string): Promise<Draft>;
  /** GET /health: whether the analyst consults a model (`mode: "model"`), which drafting needs. */
  health(): Promise<{ mode?: unknown; model?: unknown }>;
}

/** Client of the analyst HTTP API (GET /proposals/:id/report, POST /analyze, POST /draft). */
export function createAnalystApi(baseUrl: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): AnalystApi {
  const base = baseUrl.replace(/\/$/, "");
  async function call<T>(path: string, init?: RequestInit): Promise<T> {
    // No answer it may read: a ServiceRequestError saying whether the analyst is down or refuses this page's origin.
    const response = await fetchService("the analyst API", `${base}${path}`, { ...init, headers: { "content-type": "application/json", ...(init?.headers ?? {}) } }, fetchImpl);
    const body = (await response.json().catch(() => ({}))) as T & { error?: string };
    if (!response.ok) throw new AnalystError(body.error ?? `the analyst API answered HTTP ${response.status}`, response.status);
    return body;
  }
  return {
    async report(proposalId) {
      try {
        return await call<PublishedReport>(`/proposals/${proposalId}/report`);
      } catch (error) {
        if (error instanceof AnalystError && error.status === 404) return null;
        throw error;
      }
    },
    analyze: (proposal) => call<AnalysisPreview>("/analyze", { method: "POST", body: JSON.stringify(proposal) }),
    draft: (intent, proposer) => call<Draft>("/draft", { method: "POST", body: JSON.stringify({ intent, proposer }) }),
    health: () => call<{ mode?: unknown; model?: unknown }>("/health"),
  };
}

export const severityOrder = ["critical", "high", "medium", "low", "info"] as const;
