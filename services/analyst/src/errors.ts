/**
 * Errors the analyst raises for bad input. Each has a one-line `shortMessage` and the details a
 * user needs to fix the input (`details`), in the style of viem's errors.
 */
export class AnalystError extends Error {
  override name = "AnalystError";
  readonly shortMessage: string;
  readonly details: string[];

  constructor(shortMessage: string, details: string[] = []) {
    super([shortMessage, ...details.map((d) => `  - ${d}`)].join("\n"));
    this.shortMessage = shortMessage;
    this.details = details;
  }
}

/** The proposal file is missing, not JSON, or fails the schema. `details` names every bad field. */
export class ProposalFileError extends AnalystError {
  override name = "ProposalFileError";
}

/** The RPC endpoint could not be reached or answered with an error. */
export class RpcUnreachableError extends AnalystError {
  override name = "RpcUnreachableError";
}

/** One line of an error for logs and reports: viem's short message, no request body, no credentials in URLs. */
export function errorLine(error: unknown): string {
  const e = error as { shortMessage?: unknown; message?: unknown };
  const text = typeof e?.shortMessage === "string" ? e.shortMessage : typeof e?.message === "string" ? e.message : String(error);
  return (text.split("\n")[0] ?? "")
    .replace(/(\w+:\/\/)[^/\s@]*@/g, "$1")
    .trim()
    .slice(0, 300);
}
