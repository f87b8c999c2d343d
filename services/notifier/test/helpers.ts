import { mkdtempSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { pino } from "pino";
import type { LocalAccount } from "viem";
import { createSiweMessage } from "viem/siwe";

import { startNotifier, type Notifier, type NotifierOptions } from "../src/notifier.ts";

export const testLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

export function tempDir(prefix = "notifier-test-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export const WEB_ORIGIN = "http://localhost:5173";
export const SIWE_DOMAIN = "localhost:5173";

/** A notifier on the given indexer with test-sized timings: fast polls, short deadlines, quick retries. */
export function startTestNotifier(indexerUrl: string, o: Partial<NotifierOptions> = {}): Promise<Notifier> {
  return startNotifier({
    indexerUrl,
    dataDir: o.dataDir ?? tempDir(),
    port: 0,
    chainId: 31337,
    appUrl: "http://127.0.0.1:5173",
    corsOrigins: [WEB_ORIGIN],
    siweDomains: [SIWE_DOMAIN],
    pollIntervalMs: 50,
    maxBackoffMs: 200,
    reminderWindowS: 3_600,
    analysisWaitMs: 0,
    deliveryTimeoutMs: 1_500,
    maxAttempts: 5,
    retryFirstMs: 50,
    retryMaxMs: 500,
    concurrency: 16,
    allowPrivateTargets: true,
    maxSubscriptionsPerAddress: 20,
    sessionTtlMs: 3_600_000,
    nonceTtlMs: 600_000,
    emailFrom: "DAO notifier <notifier@dao.test>",
    telegramApiUrl: "http://127.0.0.1:9",
    logger: testLogger,
    ...o,
  });
}

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** The status answered (null: the request was left hanging). */
  status: number | null;
}

/** An HTTP endpoint that records every POST and answers as `respond` says ("hang": never answers). */
export class Receiver {
  received: Received[] = [];
  respond: (req: { path: string; body: string; count: number }) => number | "hang" = () => 200;
  answer = "{}";
  private server: Server | null = null;
  url = "";

  async start(): Promise<string> {
    this.server = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      const path = req.url ?? "/";
      const action = this.respond({ path, body, count: this.received.filter((r) => r.path === path).length });
      const record: Received = { path, headers: req.headers, body, at: Date.now(), status: action === "hang" ? null : action };
      this.received.push(record);
      if (action === "hang") return;
      res.writeHead(action, { "content-type": "application/json" }).end(this.answer);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Requests to `path` that were answered with a 2xx. */
  acknowledged(path?: string): Received[] {
    return this.received.filter((r) => (path === undefined || r.path === path) && r.status !== null && r.status >= 200 && r.status < 300);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A Sign-In with Ethereum message for `address` with a nonce from the notifier, as the web app builds it. */
export async function siweMessage(notifierUrl: string, address: `0x${string}`, o: { domain?: string; chainId?: number; nonce?: string; expirationTime?: Date; issuedAt?: Date } = {}): Promise<string> {
  const nonce = o.nonce ?? ((await (await fetch(`${notifierUrl}/auth/nonce`, { method: "POST" })).json()) as { nonce: string }).nonce;
  const domain = o.domain ?? SIWE_DOMAIN;
  return createSiweMessage({
    domain,
    address,
    statement: "Sign in to manage your DAO notifications.",
    uri: `http://${domain}`,
    version: "1",
    chainId: o.chainId ?? 31337,
    nonce,
    issuedAt: o.issuedAt ?? new Date(),
    ...(o.expirationTime ? { expirationTime: o.expirationTime } : {}),
  });
}

export async function verify(notifierUrl: string, message: string, signature: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${notifierUrl}/auth/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, signature }) });
  return { status: response.status, body: await response.json() };
}

/** Signs in as `account`; returns the session token. */
export async function signIn(notifierUrl: string, account: LocalAccount): Promise<string> {
  const message = await siweMessage(notifierUrl, account.address);
  const { status, body } = await verify(notifierUrl, message, await account.signMessage({ message }));
  if (status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(body)}`);
  return body.token as string;
}

export async function api(notifierUrl: string, token: string | null, method: string, pathname: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${notifierUrl}${pathname}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Signs in and creates a subscription; returns its id. */
export async function subscribe(notifierUrl: string, token: string, body: unknown): Promise<string> {
  const { status, body: created } = await api(notifierUrl, token, "POST", "/subscriptions", body);
  if (status !== 201) throw new Error(`subscribe failed (${status}): ${JSON.stringify(created)}`);
  return created.id as string;
}
