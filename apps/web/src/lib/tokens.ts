// What a token calls itself and how many decimals it counts in, read from the chain (never guessed),
// and the assets the treasury holds. Cached per session: a token's symbol and decimals do not change.
import { stripHidden } from "@ai-dao/description";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { BaseError, erc20Abi, getAddress, hexToString, HttpRequestError, isAddress, pad, parseAbi, TimeoutError, toEventSelector, toHex, type Address, type Hex, type PublicClient } from "viem";

import type { RuntimeConfig } from "./config.ts";
import type { GraphQLClient } from "./graphql.ts";
import { shortAddress } from "./format.ts";
import { useServices } from "./services.tsx";

export interface TokenMetadata {
  address: Address;
  /** As the token names itself (hidden characters removed, at most 16 characters); null when it does not say. */
  symbol: string | null;
  /** Null when the token does not answer `decimals()`: its amounts can then only be shown as raw numbers. */
  decimals: number | null;
  /** The DAO's own token (from the deployment). */
  isDaoToken?: boolean;
}

/** Token metadata by lower-case address. */
export type TokenMetadataMap = ReadonlyMap<string, TokenMetadata>;

/** A symbol as text: no control or hidden characters, at most 16 characters (a token chooses its own symbol). */
export function safeSymbol(raw: string): string | null {
  // eslint-disable-next-line no-control-regex
  const clean = stripHidden(raw).replace(/[\u0000-\u001f\u007f-\u009f]/g, "").trim();
  if (clean === "") return null;
  const chars = [...clean];
  return chars.length > 16 ? `${chars.slice(0, 15).join("")}…` : clean;
}

/**
 * How a token's amounts are labelled: its symbol; for a token that takes the name of the DAO token or
 * of ETH without being it, the symbol with where it really is (a symbol is whatever its deployer chose).
 */
export function tokenLabel(meta: Pick<TokenMetadata, "address" | "symbol" | "isDaoToken">, config: RuntimeConfig): string {
  if (meta.isDaoToken) return meta.symbol ?? "tokens";
  const where = shortAddress(meta.address);
  if (meta.symbol === null) return `tokens of ${where}`;
  const s = meta.symbol.toLowerCase();
  if (s === config.token.symbol.toLowerCase()) return `${meta.symbol} (not the DAO's token: ${where})`;
  if (s === "eth") return `${meta.symbol} (a token at ${where}, not ETH)`;
  return meta.symbol;
}

/** The DAO token's metadata, from the deployment the app was configured with. */
export function daoTokenMetadata(config: RuntimeConfig): TokenMetadata {
  return { address: getAddress(config.contracts.token), symbol: safeSymbol(config.token.symbol), decimals: config.token.decimals, isDaoToken: true };
}

/** An unreachable chain is a failure to retry, not an answer about the token. */
function isTransportError(error: unknown): boolean {
  return error instanceof BaseError && Boolean(error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError));
}

const bytes32Symbol = parseAbi(["function symbol() view returns (bytes32)"]);

/** Reads `decimals()` and `symbol()` (a string, or bytes32 as older tokens return it). A call that reverts or returns nothing leaves the field null. */
export async function readTokenMetadata(client: PublicClient, token: Address): Promise<TokenMetadata> {
  const attempt = async <T>(read: () => Promise<T>): Promise<T | null> => {
    try {
      return await read();
    } catch (error) {
      if (isTransportError(error)) throw error;
      return null;
    }
  };
  const [decimals, symbol] = await Promise.all([
    attempt(() => client.readContract({ address: token, abi: erc20Abi, functionName: "decimals" })),
    attempt(async () => {
      const text = await attempt(() => client.readContract({ address: token, abi: erc20Abi, functionName: "symbol" }));
      if (text !== null) return text;
      const raw = await client.readContract({ address: token, abi: bytes32Symbol, functionName: "symbol" });
      return hexToString(raw as Hex).replace(/\0+$/, "");
    }),
  ]);
  const validDecimals = typeof decimals === "number" && Number.isInteger(decimals) && decimals >= 0 && decimals <= 255 ? decimals : null;
  return { address: getAddress(token), symbol: symbol === null ? null : safeSymbol(symbol), decimals: validDecimals };
}

function metadataQuery(client: PublicClient, chainId: number, address: Address) {
  return {
    queryKey: ["token-metadata", chainId, address.toLowerCase()],
    queryFn: () => readTokenMetadata(client, address),
    staleTime: Infinity,
    gcTime: Infinity,
  };
}

function unique(addresses: readonly string[]): Address[] {
  const seen = new Map<string, Address>();
  for (const a of addresses) if (isAddress(a, { strict: false }) && !seen.has(a.toLowerCase())) seen.set(a.toLowerCase(), getAddress(a));
  return [...seen.values()];
}

/**
 * Symbol and decimals of each token address, read from the chain once per session. The DAO token
 * comes from the deployment. `pending` holds the addresses still being read; a token whose read
 * failed is in the map with `decimals: null`.
 */
export function useTokenMetadata(addresses: readonly string[]): { tokens: TokenMetadataMap; pending: ReadonlySet<string> } {
  const { config, publicClient } = useServices();
  const daoToken = config.contracts.token.toLowerCase();
  const others = unique(addresses).filter((a) => a.toLowerCase() !== daoToken);
  const results = useQueries({ queries: others.map((a) => metadataQuery(publicClient, config.chainId, a)) });
  const key = results.map((r) => `${r.status}:${r.dataUpdatedAt}`).join(",");
  return useMemo(() => {
    const tokens = new Map<string, TokenMetadata>([[daoToken, daoTokenMetadata(config)]]);
    const pending = new Set<string>();
    others.forEach((address, i) => {
      const r = results[i]!;
      if (r.data) tokens.set(address.toLowerCase(), r.data);
      else if (r.isError) tokens.set(address.toLowerCase(), { address, symbol: null, decimals: null });
      else pending.add(address.toLowerCase());
    });
    return { tokens, pending };
    // `key` stands for `results`, which is a new array on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, others.join(","), config, daoToken]);
}

/** A token the treasury holds, or ETH. */
export interface TreasuryAsset {
  /** Null for ETH. */
  token: Address | null;
  symbol: string;
  decimals: number;
  /** The treasury's balance in base units; null when it could not be read. */
  balance: bigint | null;
  isDaoToken: boolean;
}

const TRANSFER_TOPIC = toEventSelector("event Transfer(address indexed from, address indexed to, uint256 value)");
/** ERC-20 functions a proposal calls on a token: transfer, transferFrom, approve, increaseAllowance. */
const TOKEN_SELECTORS = ["0xa9059cbb", "0x23b872dd", "0x095ea7b3", "0x39509351"];
export const TOKEN_TARGETS_QUERY = `query TokenTargets($selectors: [Bytes!]) { proposalActions(first: 500, where: { selector_in: $selectors }) { target } }`;

/** Tokens the runtime configuration lists: the deployment's `treasuryAssets`. */
export function listedTokens(config: Pick<RuntimeConfig, "treasuryAssets">): string[] {
  return config.treasuryAssets.map((a) => a.address);
}

/**
 * Tokens the treasury may hold: the DAO token, any listed in the runtime configuration, every token
 * that ever sent the treasury a Transfer (the chain's logs), and tokens earlier proposals moved (the
 * indexer). Each source may fail on its own (an RPC that limits log ranges, an indexer that is down)
 * without hiding the others.
 */
export async function discoverTreasuryTokens(client: PublicClient, gql: GraphQLClient, config: RuntimeConfig): Promise<Address[]> {
  const fromConfig = listedTokens(config);
  const [fromLogs, fromProposals] = await Promise.all([
    client
      .request({
        method: "eth_getLogs",
        params: [{ fromBlock: toHex(config.startBlock), toBlock: "latest", topics: [TRANSFER_TOPIC, null, pad(config.contracts.timelock as Address)] }],
      })
      // ERC-721 Transfer has the same signature with a fourth (indexed token id) topic.
      .then((logs) => (logs as { address: string; topics: string[] }[]).filter((l) => l.topics.length === 3).map((l) => l.address))
      .catch(() => [] as string[]),
    gql<{ proposalActions?: { target: string }[] }>(TOKEN_TARGETS_QUERY, { selectors: TOKEN_SELECTORS })
      .then((d) => (d.proposalActions ?? []).map((a) => a.target))
      .catch(() => [] as string[]),
  ]);
  return unique([config.contracts.token, ...fromConfig, ...fromLogs, ...fromProposals]);
}

/** The treasury's balance of `token` (null: ETH), read from the chain. */
export function readTreasuryBalance(client: PublicClient, config: RuntimeConfig, token: Address | null): Promise<bigint> {
  const treasury = config.contracts.timelock as Address;
  return token === null ? client.getBalance({ address: treasury }) : client.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [treasury] });
}

export function treasuryBalanceQuery(client: PublicClient, config: RuntimeConfig, token: Address | null) {
  return {
    queryKey: ["treasury-balance", config.chainId, token?.toLowerCase() ?? "ETH"],
    queryFn: () => readTreasuryBalance(client, config, token),
    staleTime: 5_000,
  };
}

/** The treasury's balance of one asset (null: ETH); undefined while reading or when it cannot be read. */
export function useTreasuryBalance(token: Address | null, enabled = true): bigint | undefined {
  const { config, publicClient } = useServices();
  return useQuery({ ...treasuryBalanceQuery(publicClient, config, token), enabled }).data;
}

/**
 * What the treasury holds: ETH, the DAO token, and every other discovered token that answers as an
 * ERC-20 (decimals and balance read) with a balance above zero.
 */
export function useTreasuryAssets(): { assets: TreasuryAsset[]; loading: boolean } {
  const { config, publicClient, gql } = useServices();
  const candidates = useQuery({
    queryKey: ["treasury-token-candidates", config.chainId],
    queryFn: () => discoverTreasuryTokens(publicClient, gql, config),
    staleTime: 30_000,
  });
  const list = candidates.data ?? [config.contracts.token as Address];
  const { tokens, pending } = useTokenMetadata(list);
  const balances = useQueries({ queries: [null, ...list].map((t) => treasuryBalanceQuery(publicClient, config, t)) });
  const key = balances.map((b) => `${b.status}:${b.dataUpdatedAt}`).join(",");
  const assets = useMemo(() => {
    const out: TreasuryAsset[] = [{ token: null, symbol: "ETH", decimals: 18, balance: balances[0]?.data ?? null, isDaoToken: false }];
    list.forEach((address, i) => {
      const meta = tokens.get(address.toLowerCase());
      const balance = balances[i + 1]?.data ?? null;
      if (meta?.isDaoToken) out.push({ token: meta.address, symbol: meta.symbol ?? "tokens", decimals: meta.decimals ?? config.token.decimals, balance, isDaoToken: true });
      else if (meta && meta.decimals !== null && balance !== null && balance > 0n) out.push({ token: meta.address, symbol: meta.symbol ?? "", decimals: meta.decimals, balance, isDaoToken: false });
    });
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tokens, list.join(","), config]);
  return { assets, loading: candidates.isPending || pending.size > 0 };
}

/** The treasury's balances of several assets (null: ETH), by lower-case address and "eth"; an asset whose balance cannot be read is left out. */
export function useTreasuryBalances(assets: readonly (Address | null)[]): ReadonlyMap<string, bigint> {
  const { config, publicClient } = useServices();
  const list = [...new Map(assets.map((a) => [a?.toLowerCase() ?? "eth", a])).values()];
  const results = useQueries({ queries: list.map((a) => treasuryBalanceQuery(publicClient, config, a)) });
  const key = results.map((r) => `${r.status}:${r.dataUpdatedAt}`).join(",");
  return useMemo(() => {
    const out = new Map<string, bigint>();
    list.forEach((a, i) => {
      const data = results[i]?.data;
      if (data !== undefined) out.set(a?.toLowerCase() ?? "eth", data);
    });
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, list.map((a) => a ?? "eth").join(",")]);
}
