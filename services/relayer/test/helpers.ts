import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { NetworkConnection } from "hardhat/types/network";
import { pino } from "pino";
import { createPublicClient, custom, type Address, type Hex, type LocalAccount, type PublicClient } from "viem";

import { deployLocalDAO, delegateAll, devAccount, trackChild, type Child, type LocalDAO } from "@ai-dao/testkit";
import { Relayer, type RelayerOptions } from "../src/relayer.ts";
import { ballotTypedData, delegationTypedData, type DelegationRequest, type VoteRequest } from "../src/requests.ts";
import { startServer } from "../src/server.ts";
import { RelayStore } from "../src/store.ts";

const RELAYER_MAIN = path.resolve(import.meta.dirname, "../src/main.ts");

/** The development account the relayer sends from in tests (#10: nobody else's key). */
export const RELAYER_INDEX = 10;

export const testLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

export function tempDir(prefix = "relayer-test-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A viem client over the connection's provider, as the service builds over HTTP. */
export function clientOf(connection: NetworkConnection): PublicClient {
  return createPublicClient({ transport: custom(connection.provider) }) as PublicClient;
}

export async function setupDAO(connection: NetworkConnection): Promise<LocalDAO> {
  const dao = await deployLocalDAO(connection);
  await delegateAll(dao, connection);
  return dao;
}

export function makeRelayer(dao: LocalDAO, connection: NetworkConnection, options: Partial<RelayerOptions> & { dataDir?: string; accountIndex?: number } = {}): Relayer {
  return new Relayer({
    client: clientOf(connection),
    account: devAccount(options.accountIndex ?? RELAYER_INDEX),
    deployment: dao.deployment,
    store: options.store ?? RelayStore.open(options.dataDir ?? tempDir()),
    logger: testLogger,
    ...options,
  });
}

/** The relayer's HTTP API on a free port; `post` sends a JSON body (or raw text) and returns status and JSON. */
export async function serve(relayer: Relayer, options: { ratePerIp?: number; maxBodyBytes?: number } = {}) {
  const { server, port } = await startServer({ relayer, host: "127.0.0.1", port: 0, corsOrigins: ["http://localhost:5173"], staleAfterMs: 60_000, ...options });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async post(route: string, body: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${base}${route}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
      });
      return { status: response.status, headers: response.headers, json: (await response.json()) as any };
    },
    async get(route: string, headers: Record<string, string> = {}) {
      const response = await fetch(`${base}${route}`, { headers });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, json: (() => { try { return JSON.parse(text); } catch { return undefined; } })() as any };
    },
  };
}

/** The Governor's EIP-712 domain as OpenZeppelin builds it: its name, version "1", the chain, its address. */
export async function governorDomain(dao: LocalDAO, chainId = 31337) {
  return { name: await dao.governor.read.name(), version: "1", chainId, verifyingContract: dao.governor.address };
}

/** The token's EIP-712 domain (ERC20Permit: its name, version "1"). */
export async function tokenDomain(dao: LocalDAO, chainId = 31337) {
  return { name: await dao.token.read.name(), version: "1", chainId, verifyingContract: dao.token.address };
}

/** A ballot signed by `voter` as a wallet signs it, in the body the web app sends. */
export async function signedBallot(
  dao: LocalDAO,
  voter: LocalAccount,
  b: { proposalId: bigint; support: number; nonce?: bigint; reason?: string; params?: Hex; chainId?: number },
) {
  const chainId = b.chainId ?? 31337;
  const nonce = b.nonce ?? (await dao.governor.read.nonces([voter.address]));
  const fields = { proposalId: b.proposalId, support: b.support, voter: voter.address, nonce, reason: b.reason, params: b.params } as Omit<VoteRequest, "chainId" | "signature" | "governor">;
  const signature = await voter.signTypedData(ballotTypedData(await governorDomain(dao, chainId), fields) as Parameters<LocalAccount["signTypedData"]>[0]);
  return { chainId, ...withoutUndefined(fields), signature };
}

/** A delegation signed by `delegator`, in the body the web app sends. */
export async function signedDelegation(dao: LocalDAO, delegator: LocalAccount, d: { delegatee: Address; expiry: bigint; nonce?: bigint; chainId?: number }) {
  const chainId = d.chainId ?? 31337;
  const nonce = d.nonce ?? (await dao.token.read.nonces([delegator.address]));
  const fields: Pick<DelegationRequest, "delegatee" | "nonce" | "expiry"> = { delegatee: d.delegatee, nonce, expiry: d.expiry };
  const signature = await delegator.signTypedData(delegationTypedData(await tokenDomain(dao, chainId), fields));
  return { chainId, delegator: delegator.address, ...fields, signature };
}

function withoutUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** `node src/main.ts` with the given environment. */
export function startRelayer(env: Record<string, string>): Child {
  return trackChild(
    spawn(process.execPath, [RELAYER_MAIN], {
      cwd: path.dirname(path.dirname(RELAYER_MAIN)),
      env: { PATH: process.env.PATH ?? "", RELAYER_PORT: "0", LOG_LEVEL: "debug", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}
