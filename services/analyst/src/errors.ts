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

