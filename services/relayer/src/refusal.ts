/** Every reason the relayer refuses a request, with the HTTP status it answers with. Codes are stable. */
export const REFUSALS = {
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  WRONG_CHAIN: 400,
  WRONG_CONTRACT: 400,
  BAD_SIGNATURE: 400,
  EXPIRED: 400,
  REPLAYED: 409,
  BAD_NONCE: 409,
  UNKNOWN_PROPOSAL: 404,
  NOT_ACTIVE: 409,
  ALREADY_VOTED: 409,
  NO_VOTES: 403,
  NO_TOKENS: 403,
  ALREADY_DELEGATED: 409,
  PENDING: 409,
  SIMULATION_FAILED: 422,
  OVER_BUDGET: 429,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
} as const;

export type RefusalCode = keyof typeof REFUSALS;

/** Said after every refusal: the member is never stuck because the relayer said no. */
export const SELF_SEND =
  "You can still send this transaction yourself from your wallet; it needs a little ETH for gas.";

/**
 * A request the relayer will not sponsor. `message` is a sentence a member understands; `details`
 * carries the values behind it (the chain it expected, the nonce on chain, ...). Nothing was sent.
 */
export class Refusal extends Error {
  readonly code: RefusalCode;
  readonly details: Record<string, unknown>;
  /** Seconds after which trying again may succeed (rate limits, the daily budget). */
  readonly retryAfterS: number | undefined;

  constructor(code: RefusalCode, message: string, details: Record<string, unknown> = {}, retryAfterS?: number) {
    super(message);
    this.name = "Refusal";
    this.code = code;
    this.details = details;
    this.retryAfterS = retryAfterS;
  }

  get status(): number {
    return REFUSALS[this.code];
  }

  /** The JSON answer: `{ error: { code, message, selfSend, details } }`. */
  toJSON(): { error: { code: RefusalCode; message: string; selfSend: string; details: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, selfSend: SELF_SEND, details: this.details } };
  }
}
