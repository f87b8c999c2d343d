// Sign-In with Ethereum (EIP-4361) with viem's implementation: the server issues a nonce (random,
// single use, expiring), the member's wallet signs a message naming this service's domain, the
// chain and that nonce, and a valid signature buys a session token (only its hash is stored).
import { randomBytes } from "node:crypto";

import { createPublicClient, custom, getAddress, http, isHex, type Hex, type PublicClient } from "viem";
import { parseSiweMessage, verifySiweMessage } from "viem/siwe";

import type { Store } from "./store.ts";

export class AuthError extends Error {
  override name = "AuthError";
  readonly status: number;
  constructor(message: string, status = 401) {
    super(message);
    this.status = status;
  }
}

export interface AuthOptions {
  store: Store;
  /** The `host[:port]` values a message may name as its domain: the web app's (where members sign). */
  domains: readonly string[];
  chainId: number;
  nonceTtlMs: number;
  sessionTtlMs: number;
  /** Outstanding nonces at most (each costs a row until it expires). */
  maxOutstandingNonces: number;
  /** With an RPC, contract wallets (ERC-1271, ERC-6492) can sign in too; without, only ordinary accounts. */
  rpcUrl?: string;
  now?: () => number;
}

/** Alphanumeric, as EIP-4361 requires, 128 bits. */
function newNonce(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(22)].map((b) => alphabet[b % alphabet.length]).join("");
}

export const MAX_MESSAGE_LENGTH = 4_096;

export class Auth {
  private readonly o: AuthOptions;
  private readonly client: PublicClient;

  constructor(o: AuthOptions) {
    this.o = o;
    this.client = (
      o.rpcUrl
        ? createPublicClient({ transport: http(o.rpcUrl, { timeout: 10_000, retryCount: 1 }) })
        : // No chain to ask: viem's contract-wallet check fails and it falls back to ECDSA recovery.
          createPublicClient({ transport: custom({ request: async () => Promise.reject(new Error("no RPC configured")) }) })
    ) as PublicClient;
  }

  private now(): number {
    return this.o.now?.() ?? Date.now();
  }

  issueNonce(): { nonce: string; expiresAt: string } {
    const nonce = newNonce();
    const expiresAt = this.now() + this.o.nonceTtlMs;
    if (!this.o.store.issueNonce(nonce, expiresAt, this.o.maxOutstandingNonces, this.now())) throw new AuthError("too many sign-ins under way; try again in a few minutes", 503);
    return { nonce, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Checks a signed message; on success uses its nonce up and returns a new session. */
  async signIn(message: string, signature: string): Promise<{ token: string; address: string; expiresAt: string }> {
    if (message.length > MAX_MESSAGE_LENGTH) throw new AuthError("message too long", 400);
    if (!isHex(signature) || signature.length < 132 || signature.length > 20_000) throw new AuthError("signature must be 0x-hex", 400);
    let parsed: ReturnType<typeof parseSiweMessage>;
    try {
      parsed = parseSiweMessage(message);
    } catch {
      throw new AuthError("not a Sign-In with Ethereum message", 400);
    }
    const { domain, address, uri, version, chainId, nonce, issuedAt, expirationTime, notBefore } = parsed;
    if (!domain || !address || !uri || !version || chainId === undefined || !nonce || !issuedAt) {
      throw new AuthError("the message lacks a domain, address, URI, version, chain id, nonce or issued-at time", 400);
    }
    if (!this.o.domains.includes(domain)) throw new AuthError(`the message is for ${domain}, not for this service (${this.o.domains.join(", ")})`);
    let uriHost: string;
    try {
      uriHost = new URL(uri).host;
    } catch {
      throw new AuthError("the message's URI is not a URL", 400);
    }
    if (uriHost !== domain) throw new AuthError("the message's URI is not on its domain");
    if (chainId !== this.o.chainId) throw new AuthError(`the message is for chain ${chainId}, this DAO is on chain ${this.o.chainId}`);
    const now = this.now();
    if (Number.isNaN(issuedAt.getTime()) || issuedAt.getTime() > now + 60_000) throw new AuthError("the message is issued in the future");
    if (issuedAt.getTime() < now - this.o.nonceTtlMs) throw new AuthError("the message is too old; sign in again");
    if (expirationTime && !(expirationTime.getTime() > now)) throw new AuthError("the message has expired; sign in again");
    if (notBefore && !(notBefore.getTime() <= now)) throw new AuthError("the message is not valid yet");
    const valid = await verifySiweMessage(this.client, { message, signature: signature as Hex, domain, nonce, time: new Date(now) }).catch(() => false);
    if (!valid) throw new AuthError(`the signature is not ${address}'s`);
    if (!this.o.store.consumeNonce(nonce, now)) throw new AuthError("the nonce is unknown, already used or expired; ask for a new one");
    const expiresAt = now + this.o.sessionTtlMs;
    const checksummed = getAddress(address);
    const token = this.o.store.createSession(checksummed.toLowerCase(), expiresAt, now);
    return { token, address: checksummed, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The address behind an `Authorization: Bearer …` header, or an error. */
  session(authorization: string | undefined): string {
    const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(authorization ?? "");
    if (!match) throw new AuthError("sign in first: Authorization: Bearer <token> from POST /auth/verify");
    const session = this.o.store.sessionAddress(match[1]!, this.now());
    if (!session) throw new AuthError("the session is unknown or expired; sign in again");
    return session.address;
  }

  signOut(authorization: string | undefined): void {
    const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(authorization ?? "");
    if (match) this.o.store.deleteSession(match[1]!);
  }
}
