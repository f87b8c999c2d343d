/** The report shape the analyst publishes; fields beyond the fixed ones are optional and shown when present. */
export interface Finding {
  id: string;
  check?: string;
  severity: "info" | "low" | "medium" | "high" | "critical";
  title: string;
  detail?: string;
  evidence: Record<string, unknown>;
}

export interface IntentVsEffect {
  claim?: string;
  intent?: string;
  effect?: string;
  actual?: string;
  match?: boolean | string;
  consistent?: boolean;
  [key: string]: unknown;
}

export interface Report {
  schemaVersion?: number;
  mode?: string;
  model?: string | { id?: string; name?: string };
  analyzer?: { name: string; version: string };
  summary?: string;
  findings: Finding[];
  riskFloor: number;
  scores: { risk: number; [key: string]: number };
  recommendation: "for" | "against" | "abstain" | "needs-review";
  intentVsEffect?: IntentVsEffect[] | Record<string, unknown>;
  simulation?: unknown;
  cid?: string;
  notes?: string[];
  [key: string]: unknown;
}

export interface PublishedReport {
  report: Report;
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
  report: Report;
  reportJson: string;
  reportHash: `0x${string}`;
  cid?: string | null;
}

export interface Draft {
  proposal: { targets: string[]; values: string[]; calldatas: string[]; description: string };
  analysis: { report: Report; reportHash: string; [key: string]: unknown };
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
}

/** Client of the analyst HTTP API (GET /proposals/:id/report, POST /analyze, POST /draft). */
export function createAnalystApi(baseUrl: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): AnalystApi {
  const base = baseUrl.replace(/\/$/, "");
  async function call<T>(path: string, init?: RequestInit): Promise<T> {
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, { ...init, headers: { "content-type": "application/json", ...(init?.headers ?? {}) } });
    } catch (error) {
      throw new AnalystError(`the analyst API at ${base} is unreachable (${(error as Error).message})`, 0);
    }
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
  };
}

/** Parses report bytes (the UTF-8 JSON published on chain); null when they are not a JSON object. */
export function parseReport(json: string): Report | null {
  try {
    const value = JSON.parse(json) as unknown;
    if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
    const report = value as Report;
    if (!Array.isArray(report.findings)) report.findings = [];
    return report;
  } catch {
    return null;
  }
}

export const severityOrder = ["critical", "high", "medium", "low", "info"] as const;
