import {
  createCallDecoder,
  daoAbis,
  ERC1967_ADMIN_SLOT,
  type ContractRole,
  type DecodedCall,
} from "@ai-dao/protocol";
import {
  decodeFunctionResult,
  encodeFunctionData,
  getAddress,
  isAddress,
  parseAbi,
  parseAbiItem,
  size,
  slice,
  zeroAddress,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";

import { attempt } from "./read.ts";

/** Why a proposal touches an account outside the DAO. */
export type CounterpartyRole = "recipient" | "spender" | "new-owner" | "grantee" | "target";

/** A fact about a counterparty that could not be read (an RPC error, an answer that is not what the function returns). */
export type UnreadFact = "code" | "nonce" | "owner" | "proxy admin" | "safe" | "controller code" | "first seen" | "prior interactions";

/**
 * What the chain says about an account outside the DAO that a proposal pays, empowers or calls:
 * read once per analysis by `readCounterparties`, looked at by the checks (never fetched by them).
 */
export interface CounterpartyInfo {
  address: Address;
  roles: CounterpartyRole[];
  /** The calls that involve it. */
  callIndexes: number[];
  /**
   * `delegated-eoa`: an EIP-7702 account (its code is a delegation designator to `delegatedTo`).
   * When its code could not be read it counts as `eoa` (the riskier reading) and `unread` has `code`.
   */
  kind: "eoa" | "contract" | "delegated-eoa";
  delegatedTo?: Address;
  /**
   * Who controls a contract: `owner()`, or the ERC-1967 admin of a proxy; whether that is an EOA (an
   * EIP-7702 account counts as one; so does a controller whose code could not be read, with
   * `controller code` in `unread`).
   */
  controller?: { via: "owner" | "proxy-admin"; address: Address; isEoa: boolean };
  /** The `owner()` of a contract controller (a ProxyAdmin and its owner), one step further. */
  controllerOwner?: { address: Address; isEoa: boolean };
  /** The ERC-1967 admin when `controller` is the `owner()` and the contract is also a proxy. */
  proxyAdmin?: { address: Address; isEoa: boolean };
  /** When it is a Safe (answers `getOwners()` and `getThreshold()`). */
  safe?: { owners: Address[]; threshold: number };
  /** Transactions sent from it by the analysed block (an EOA's nonce). */
  nonce?: number;
  /** The first block with code (contracts) or with a transaction from it (EOAs); null when unknown. */
  firstSeen: { blockNumber: bigint; timestamp: bigint } | null;
  /**
   * True when it already existed at `firstSeen`'s block, so it may be older: the first block searched
   * (the deployment's start), or the block just before the Governor's voting window (not searched further).
   */
  firstSeenBefore?: boolean;
  /**
   * Time from `firstSeen` to the analysed block, in blocks, seconds, and the Governor's clock (seconds
   * for a timestamp clock, blocks otherwise; the smaller of both when the clock mode could not be read).
   */
  age?: { blocks: bigint; seconds: bigint; clock: bigint };
  /** Earlier transfers from the treasury to it or earlier proposals calling it; null when unknown. */
  priorInteractions: number | null;
  /** `priorInteractions` by kind: timelock calls to it (`CallExecuted`) and token transfers from the treasury to it. */
  prior?: { calls: number; tokenTransfers: number };
  /** One key outside the DAO can move what it receives: an EOA, a 7702 account, a contract owned by an EOA, a Safe with threshold 1. */
  singleKeyControl: boolean;
  /** Facts that could not be read; each is absent or null above rather than guessed safe. */
  unread?: UnreadFact[];
}

/** How one call involves one account outside the DAO. */
export interface CounterpartyInvolvement {
  address: Address;
  role: CounterpartyRole;
  callIndex: number;
  /** Payments and approvals: the asset (`ETH` or the token) and the amount; an approval for all has no amount. */
  asset?: "ETH" | Address;
  amount?: bigint;
  /** Powers: the function that hands them over (`grantRole`, `transferOwnership`, `setAnalyst`, ...). */
  power?: string;
  /** A power that moves no funds by itself (an analyst or DecisionLog publisher registration). */
  limited?: boolean;
}

/**
 * Owner and admin setters no standard ABI lists, recognised by selector when no other ABI decodes
 * the call (Compound's `_setPendingAdmin`, Synthetix's `nominateNewOwner`, ...).
 */
export const powerSetterAbi = parseAbi([
  "function setOwner(address newOwner)",
  "function setPendingOwner(address newPendingOwner)",
  "function setAdmin(address newAdmin)",
  "function setPendingAdmin(address newPendingAdmin)",
  "function _setPendingAdmin(address newPendingAdmin)",
  "function transferAdmin(address newAdmin)",
  "function transferAdminship(address newAdmin)",
  "function nominateNewOwner(address newOwner)",
  "function setGovernance(address newGovernance)",
  "function setPendingGovernance(address newPendingGovernance)",
  "function setGuardian(address newGuardian)",
  "function setMinter(address newMinter)",
  "function addMinter(address account)",
  "function setOperator(address newOperator)",
  "function setManager(address newManager)",
  "function setController(address newController)",
  "function setKeeper(address newKeeper)",
]);

const NEW_OWNER = /^_?(?:set|transfer|change|update|nominate)(?:New)?(?:Pending)?(?:Owner|Ownership|Admin|Adminship|ProxyAdmin|Governance|Governor|Timelock)$/i;
const GRANTEE = /^_?(?:set|add|grant|update)(?:New)?(?:Pending)?(?:Proposal)?(?:Guardian|Minter|Operator|Manager|Controller|Keeper|Strategist|Pauser|Executor|Proposer|Signer)$/i;
/** Keys the DAO registers by design (an analyst proposing below the threshold, a DecisionLog publisher): one key each, limited powers. */
const ANALYST = /^_?(?:set|add|register)(?:Analyst|Publisher)$/i;

/** The DAO's own addresses, lowercased. */
function daoSet(contracts: Partial<Record<ContractRole, Address>>): Set<string> {
  return new Set(Object.values(contracts).flatMap((a) => (typeof a === "string" ? [a.toLowerCase()] : [])));
}

function asAddress(value: unknown): Address | null {
  return typeof value === "string" && isAddress(value, { strict: false }) ? getAddress(value) : null;
}

/** The last address-typed argument of a decoded call (the new owner of `changeProxyAdmin(proxy, newAdmin)`). */
function lastAddressArg(call: DecodedCall): Address | null {
  const inputs = call.inputs ?? [];
  for (let i = inputs.length - 1; i >= 0; i--) if (inputs[i]!.type === "address") return asAddress(call.args?.[i]);
  return null;
}

/**
 * Every way the calls involve accounts outside the DAO (not its timelock, Governor, token or
 * DecisionLog, nor the zero address), in call order: ETH sent with a call, ERC20 `transfer` /
 * `transferFrom(treasury, …)` recipients, `approve` / `increaseAllowance` / `permit(treasury, …)` /
 * `setApprovalForAll(…, true)` spenders, new owners and admins, role and analyst grantees, and the
 * targets of calls with calldata. Calls no known ABI decodes are tried against {@link powerSetterAbi}
 * when `calldatas` are given.
 */
export function counterpartyInvolvements(
  calls: readonly DecodedCall[],
  contracts: Partial<Record<ContractRole, Address>>,
  calldatas?: readonly Hex[],
): CounterpartyInvolvement[] {
  // The analysis reads them, and the check asks twice: computed once per calls, contracts and calldatas.
  const known = involvementsCache.get(calls);
  if (known !== undefined && known.contracts === contracts && known.calldatas === calldatas) return known.result;
  const result = involvementsOf(calls, contracts, calldatas);
  involvementsCache.set(calls, { contracts, calldatas, result });
  return result;
}

const involvementsCache = new WeakMap<
  readonly DecodedCall[],
  { contracts: Partial<Record<ContractRole, Address>>; calldatas: readonly Hex[] | undefined; result: CounterpartyInvolvement[] }
>();

function involvementsOf(calls: readonly DecodedCall[], contracts: Partial<Record<ContractRole, Address>>, calldatas?: readonly Hex[]): CounterpartyInvolvement[] {
  const dao = daoSet(contracts);
  const timelock = contracts.timelock?.toLowerCase();
  const redecode = calldatas && calls.some((c) => !c.decoded) ? createCallDecoder(contracts, [{ name: "owner and admin setters", abi: powerSetterAbi }]) : undefined;
  const out: CounterpartyInvolvement[] = [];
  const add = (address: unknown, role: CounterpartyRole, callIndex: number, extra: Omit<CounterpartyInvolvement, "address" | "role" | "callIndex"> = {}) => {
    const a = asAddress(address);
    if (a === null || a === zeroAddress || dao.has(a.toLowerCase())) return;
    out.push({ address: a, role, callIndex, ...extra });
  };
  const fromTreasury = (a: unknown) => typeof a === "string" && a.toLowerCase() === timelock;

  for (const original of calls) {
    let call = original;
    if (!call.decoded && redecode && calldatas?.[call.index] !== undefined) {
      const again = redecode(call.index, call.target, call.value, calldatas[call.index]!);
      if (again.decoded && again.abiSource === "owner and admin setters") call = again;
    }
    const i = call.index;
    if (call.value > 0n) add(call.target, "recipient", i, { asset: "ETH", amount: call.value });
    if (call.kind === "call") add(call.target, "target", i);
    if (!call.decoded || call.functionName === undefined) continue;
    const args = call.args ?? [];
    const daoAdmin = call.abiSource === "DAOGovernor" || call.abiSource === "TimelockController";
    const amount = (v: unknown) => (typeof v === "bigint" ? v : undefined);
    switch (call.signature) {
      case "transfer(address,uint256)":
        if (!daoAdmin) add(args[0], "recipient", i, { asset: call.target, ...opt("amount", amount(args[1])) });
        continue;
      case "transferFrom(address,address,uint256)":
        if (!daoAdmin && fromTreasury(args[0])) add(args[1], "recipient", i, { asset: call.target, ...opt("amount", amount(args[2])) });
        continue;
      case "approve(address,uint256)":
      case "increaseAllowance(address,uint256)":
        if (!daoAdmin && amount(args[1]) !== 0n) add(args[0], "spender", i, { asset: call.target, ...opt("amount", amount(args[1])) });
        continue;
      case "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)":
        if (fromTreasury(args[0]) && amount(args[2]) !== 0n) add(args[1], "spender", i, { asset: call.target, ...opt("amount", amount(args[2])) });
        continue;
      case "setApprovalForAll(address,bool)":
        if (args[1] === true) add(args[0], "spender", i, { asset: call.target });
        continue;
      case "grantRole(bytes32,address)":
        add(args[1], "grantee", i, { power: "grantRole" });
        continue;
    }
    const name = call.functionName;
    if (ANALYST.test(name)) {
      // setAnalyst(account, false) removes an analyst (setPublisher likewise): nothing is handed over.
      if (!args.some((a) => a === false)) add(lastAddressArg(call), "grantee", i, { power: name, limited: true });
    } else if (NEW_OWNER.test(name)) add(lastAddressArg(call), "new-owner", i, { power: name });
    else if (GRANTEE.test(name)) add(lastAddressArg(call), "grantee", i, { power: name });
  }
  return out;
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const ownerAbi = parseAbi(["function owner() view returns (address)"]);
const safeAbi = parseAbi(["function getOwners() view returns (address[])", "function getThreshold() view returns (uint256)"]);
const erc20Transfer = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");
const callExecuted = daoAbis.timelock.find((item) => item.type === "event" && item.name === "CallExecuted")!;

const OWNER_CALL = encodeFunctionData({ abi: ownerAbi, functionName: "owner" });
const GET_OWNERS_CALL = encodeFunctionData({ abi: safeAbi, functionName: "getOwners" });
const GET_THRESHOLD_CALL = encodeFunctionData({ abi: safeAbi, functionName: "getThreshold" });
/** More owners than any Safe in use has: an answer beyond this is not a Safe's. */
const MAX_SAFE_OWNERS = 256;
/** Reads one account's first-seen search may make. */
export const FIRST_SEEN_BUDGET = 40;
/** Probes per round of the first-seen search: each round divides the range by four. */
const PROBES_PER_ROUND = 3;
/** Accounts whose first-seen block is searched; a proposal with more leaves the rest unknown. */
export const MAX_SEARCHED_ACCOUNTS = 32;

/** An EIP-7702 delegation designator (`0xef0100 ‖ address`): the address it delegates to. */
function delegationOf(code: Hex): Address | null {
  return size(code) === 23 && code.toLowerCase().startsWith("0xef0100") ? getAddress(slice(code, 3)) : null;
}

/** An address returned in a 32-byte word, or `garbage` when the upper 12 bytes are not zero or the length is wrong. */
function wordAddress(data: Hex | undefined): Address | null | "garbage" {
  if (data === undefined || data === "0x") return null;
  if (size(data) !== 32 || BigInt(slice(data, 0, 12)) !== 0n) return "garbage";
  const a = getAddress(slice(data, 12, 32));
  return a === zeroAddress ? null : a;
}

export interface ReadCounterpartiesArgs {
  calls: readonly DecodedCall[];
  contracts: Record<ContractRole, Address>;
  /** The analysed block: every read is made at it. */
  blockNumber: bigint;
  /** The deployment's start block: the first-seen search and the log reads begin there (default 0). */
  fromBlock?: bigint;
  /** Tokens whose `Transfer(treasury → account)` logs count as prior interactions (the treasury's holdings). */
  tokens?: readonly Address[];
  /** The proposal's calldatas, to recognise owner and admin setters no known ABI decodes. */
  calldatas?: readonly Hex[];
  /**
   * The Governor's clock (`unknown` when its `CLOCK_MODE` could not be read) and the window, in that
   * clock, within which a new account counts as made for the proposal (its voting delay and period).
   * An account that already existed before the window is not searched further (see {@link firstBlock}).
   */
  clock?: { mode: "timestamp" | "blocknumber" | "unknown"; window: bigint };
}

/**
 * Reads what the chain says about every account outside the DAO the proposal pays, approves,
 * empowers or calls (see {@link counterpartyInvolvements}), all accounts in parallel. Never throws:
 * a read that fails leaves its fact null or absent and names it in `unread`.
 *
 * Cost per account: code and nonce at the analysed block; for a contract, then `owner()`, the
 * ERC-1967 admin slot, `getOwners()` and `getThreshold()`; for a contract with a controller, its code
 * and `owner()` (and the code of that owner); the first-seen search, at most 40 reads in rounds of
 * three (each round divides the range by four: 6 rounds for 1,000 blocks, 11 for two million, 14 for
 * 60 million; one round when the account already existed before the window), then the block's
 * timestamp. Shared by all accounts: the analysed block, one `getLogs` for the timelock's `CallExecuted` and one for the tokens' `Transfer` from the treasury.
 */
export async function readCounterparties(client: PublicClient, args: ReadCounterpartiesArgs): Promise<CounterpartyInfo[]> {
  const involvements = counterpartyInvolvements(args.calls, args.contracts, args.calldatas);
  if (involvements.length === 0) return [];
  const grouped = new Map<string, { address: Address; roles: CounterpartyRole[]; callIndexes: number[] }>();
  for (const inv of involvements) {
    const entry = grouped.get(inv.address.toLowerCase()) ?? { address: inv.address, roles: [], callIndexes: [] };
    if (!entry.roles.includes(inv.role)) entry.roles.push(inv.role);
    if (!entry.callIndexes.includes(inv.callIndex)) entry.callIndexes.push(inv.callIndex);
    grouped.set(inv.address.toLowerCase(), entry);
  }
  const accounts = [...grouped.values()].map((a) => ({ ...a, callIndexes: a.callIndexes.sort((x, y) => x - y) }));
  const { blockNumber } = args;
  const fromBlock = (args.fromBlock ?? 0n) <= blockNumber ? (args.fromBlock ?? 0n) : 0n;

  const timestamps = new Map<bigint, Promise<bigint | null>>();
  const timestampOf = (n: bigint) => {
    let found = timestamps.get(n);
    if (found === undefined) {
      found = client.getBlock({ blockNumber: n }).then(
        (b) => b.timestamp,
        () => null,
      );
      timestamps.set(n, found);
    }
    return found;
  };

  const search = { from: fromBlock, cutoff: windowEdge(args.clock, blockNumber, fromBlock, timestampOf) };
  const shared = Promise.all([
    timestampOf(blockNumber),
    readPrior(client, { accounts: accounts.map((a) => a.address), timelock: args.contracts.timelock, tokens: args.tokens ?? [], fromBlock, blockNumber }),
  ]);

  const infos = await Promise.all(
    accounts.map(async (account, n) => {
      try {
        const facts = await readAccount(client, account.address, blockNumber, n < MAX_SEARCHED_ACCOUNTS ? search : null, timestampOf);
        const [now, prior] = await shared;
        const info: CounterpartyInfo = { ...account, ...facts.info, priorInteractions: null };
        const unread = [...facts.unread];
        const counts = prior?.get(account.address.toLowerCase());
        if (prior === null) unread.push("prior interactions");
        info.priorInteractions = prior === null ? null : (counts?.calls ?? 0) + (counts?.tokenTransfers ?? 0);
        if (prior !== null) info.prior = { calls: counts?.calls ?? 0, tokenTransfers: counts?.tokenTransfers ?? 0 };
        if (info.firstSeen !== null && now !== null) {
          const blocks = blockNumber - info.firstSeen.blockNumber;
          const seconds = now > info.firstSeen.timestamp ? now - info.firstSeen.timestamp : 0n;
          const mode = args.clock?.mode ?? "unknown";
          const clock = mode === "timestamp" ? seconds : mode === "blocknumber" ? blocks : seconds < blocks ? seconds : blocks;
          info.age = { blocks, seconds, clock };
        } else if (info.firstSeen !== null) {
          info.firstSeen = null;
          unread.push("first seen");
        }
        if (unread.length > 0) info.unread = [...new Set(unread)];
        return info;
      } catch {
        // Nothing of this account could be read: the riskier reading of every fact.
        return { ...account, kind: "eoa", firstSeen: null, priorInteractions: null, singleKeyControl: true, unread: ["code", "nonce", "first seen", "prior interactions"] } satisfies CounterpartyInfo;
      }
    }),
  );
  return infos;
}

/** Prior interactions per account (lowercased), or null when the logs could not be read. */
async function readPrior(
  client: PublicClient,
  args: { accounts: Address[]; timelock: Address; tokens: readonly Address[]; fromBlock: bigint; blockNumber: bigint },
): Promise<Map<string, { calls: number; tokenTransfers: number }> | null> {
  try {
    const wanted = new Set(args.accounts.map((a) => a.toLowerCase()));
    const [executed, transfers] = await Promise.all([
      client.getLogs({ address: args.timelock, event: callExecuted as typeof callExecuted & { type: "event" }, fromBlock: args.fromBlock, toBlock: args.blockNumber }),
      args.tokens.length === 0
        ? Promise.resolve([])
        : client.getLogs({ address: [...args.tokens], event: erc20Transfer, args: { from: args.timelock, to: args.accounts }, fromBlock: args.fromBlock, toBlock: args.blockNumber }),
    ]);
    const counts = new Map<string, { calls: number; tokenTransfers: number }>();
    const bump = (account: string, key: "calls" | "tokenTransfers") => {
      if (!wanted.has(account)) return;
      const c = counts.get(account) ?? { calls: 0, tokenTransfers: 0 };
      c[key] += 1;
      counts.set(account, c);
    };
    for (const log of executed) {
      const target = (log.args as { target?: unknown }).target;
      if (typeof target === "string") bump(target.toLowerCase(), "calls");
    }
    for (const log of transfers) {
      // Counted from the topics: an ERC721 Transfer shares the event's topic but not its data.
      const to = log.topics[2];
      if (to !== undefined && size(to) === 32) bump(`0x${to.slice(26)}`.toLowerCase(), "tokenTransfers");
    }
    return counts;
  } catch {
    return null;
  }
}

type AccountFacts = {
  info: Omit<CounterpartyInfo, "address" | "roles" | "callIndexes" | "priorInteractions" | "unread">;
  unread: UnreadFact[];
};

async function readAccount(
  client: PublicClient,
  address: Address,
  blockNumber: bigint,
  /** Where the first-seen search starts and the block before which an account is old enough; null: not searched. */
  search: { from: bigint; cutoff: Promise<bigint | undefined> } | null,
  timestampOf: (n: bigint) => Promise<bigint | null>,
): Promise<AccountFacts> {
  const call = (to: Address, data: Hex) => attempt(async () => (await client.call({ to, data, blockNumber })).data);
  const codeAt = (a: Address, n: bigint) => client.getCode({ address: a, blockNumber: n }).then((c) => (c ?? "0x") as Hex);
  // Code and nonce first: most counterparties are accounts without code, which need nothing more.
  const [code, nonce] = await Promise.all([attempt(() => codeAt(address, blockNumber)), attempt(() => client.getTransactionCount({ address, blockNumber }))]);
  const unread: UnreadFact[] = [];
  if (!nonce.ok) unread.push("nonce");
  const nonceFact = nonce.ok ? { nonce: nonce.value } : {};

  if (!code.ok) {
    // Unknown code: counted as one key (the riskier reading); nothing else about it is judged.
    unread.push("code", "first seen");
    return { info: { kind: "eoa", ...nonceFact, firstSeen: null, singleKeyControl: true }, unread };
  }
  const delegatedTo = delegationOf(code.value);
  if (size(code.value) === 0 || delegatedTo !== null) {
    let firstSeen: CounterpartyInfo["firstSeen"] = null;
    let before = false;
    if (!nonce.ok || search === null) unread.push("first seen");
    else if (nonce.value > 0) {
      const found = await firstBlock((n) => client.getTransactionCount({ address, blockNumber: n }).then((v) => v > 0), search.from, blockNumber, { cutoff: await search.cutoff });
      if (found === null) unread.push("first seen");
      else {
        const timestamp = await timestampOf(found.blockNumber);
        if (timestamp === null) unread.push("first seen");
        else ((firstSeen = { blockNumber: found.blockNumber, timestamp }), (before = found.before));
      }
    }
    // nonce 0: it never sent a transaction; when it appeared cannot be told from its nonce.
    return {
      info: {
        kind: delegatedTo !== null ? "delegated-eoa" : "eoa",
        ...(delegatedTo !== null ? { delegatedTo } : {}),
        ...nonceFact,
        firstSeen,
        ...(before ? { firstSeenBefore: true } : {}),
        singleKeyControl: true,
      },
      unread,
    };
  }

  // A contract: who controls it, whether it is a Safe, and since when it has code.
  const [owner, adminWord, owners, threshold] = await Promise.all([
    call(address, OWNER_CALL),
    attempt(() => client.getStorageAt({ address, slot: ERC1967_ADMIN_SLOT, blockNumber })),
    call(address, GET_OWNERS_CALL),
    call(address, GET_THRESHOLD_CALL),
  ]);
  const seen = search
    ? search.cutoff.then((cutoff) => firstBlock((n) => codeAt(address, n).then((c) => size(c) > 0), search.from, blockNumber, { cutoff })).then(async (found) => {
        if (found === null) return null;
        const timestamp = await timestampOf(found.blockNumber);
        return timestamp === null ? null : { firstSeen: { blockNumber: found.blockNumber, timestamp }, before: found.before };
      })
    : Promise.resolve(null);

  const ownerAddress = owner.ok ? wordAddress(owner.value) : null;
  if ((!owner.ok && !owner.reverted) || ownerAddress === "garbage") unread.push("owner");
  const admin = adminWord.ok ? wordAddress(adminWord.value ?? "0x") : null;
  if (!adminWord.ok) unread.push("proxy admin");
  const adminAddress = admin === "garbage" ? null : admin;

  let safe: CounterpartyInfo["safe"];
  if (owners.ok && threshold.ok && owners.value !== undefined && threshold.value !== undefined) {
    try {
      const list = decodeFunctionResult({ abi: safeAbi, functionName: "getOwners", data: owners.value });
      const t = decodeFunctionResult({ abi: safeAbi, functionName: "getThreshold", data: threshold.value });
      if (list.length === 0 || list.length > MAX_SAFE_OWNERS || t < 1n || t > BigInt(list.length)) unread.push("safe");
      else safe = { owners: list.map((o) => getAddress(o)), threshold: Number(t) };
    } catch {
      unread.push("safe");
    }
  } else if ((!owners.ok && !owners.reverted) || (!threshold.ok && !threshold.reverted)) unread.push("safe");

  const ownerKey = ownerAddress === "garbage" ? null : ownerAddress;
  const controllerAddress = ownerKey ?? adminAddress;
  const via = ownerKey !== null ? "owner" : "proxy-admin";
  const secondAdmin = ownerKey !== null && adminAddress !== null && adminAddress !== ownerKey ? adminAddress : null;

  const [controller, controllerOwner, proxyAdmin] = await Promise.all([
    controllerAddress === null ? null : keyHolder(client, controllerAddress, blockNumber, unread),
    controllerAddress === null ? null : ownerOf(client, controllerAddress, blockNumber, unread),
    secondAdmin === null ? null : keyHolder(client, secondAdmin, blockNumber, unread),
  ]);
  const found = await seen;
  if (found === null) unread.push("first seen");

  const singleKeyControl = controller?.isEoa === true || controllerOwner?.isEoa === true || proxyAdmin?.isEoa === true || safe?.threshold === 1;
  return {
    info: {
      kind: "contract",
      ...(controller !== null && controllerAddress !== null ? { controller: { via, address: controllerAddress, isEoa: controller.isEoa } } : {}),
      ...(controllerOwner !== null ? { controllerOwner } : {}),
      ...(proxyAdmin !== null && secondAdmin !== null ? { proxyAdmin: { address: secondAdmin, isEoa: proxyAdmin.isEoa } } : {}),
      ...(safe !== undefined ? { safe } : {}),
      ...nonceFact,
      firstSeen: found?.firstSeen ?? null,
      ...(found?.before ? { firstSeenBefore: true } : {}),
      singleKeyControl,
    },
    unread,
  };
}

/**
 * The latest block at least `window + 1` units of the Governor's clock before `blockNumber`: an account
 * that already existed there is older than the voting window, whatever its exact age, so its search can
 * stop. A block-number clock counts back. Otherwise a guess from the chain's average block time since
 * `fromBlock` is checked against that block's timestamp (a few reads, shared by every account), and
 * with the clock unknown the block is also at least `window + 1` blocks back. Undefined when no such
 * block after `fromBlock` is found.
 */
async function windowEdge(
  clock: ReadCounterpartiesArgs["clock"],
  blockNumber: bigint,
  fromBlock: bigint,
  timestampOf: (n: bigint) => Promise<bigint | null>,
): Promise<bigint | undefined> {
  if (clock === undefined) return undefined;
  const beyond = clock.window + 1n;
  if (clock.mode === "blocknumber") return blockNumber - beyond > fromBlock ? blockNumber - beyond : undefined;
  const [now, start] = await Promise.all([timestampOf(blockNumber), timestampOf(fromBlock)]);
  if (now === null || start === null || now - start <= beyond) return undefined;
  let back = ((blockNumber - fromBlock) * beyond + (now - start) - 1n) / (now - start);
  if (clock.mode === "unknown" && back < beyond) back = beyond;
  for (let tries = 0; tries < 4; tries++, back *= 2n) {
    const candidate = blockNumber - back;
    if (candidate <= fromBlock) return undefined;
    const timestamp = await timestampOf(candidate);
    if (timestamp === null) return undefined;
    if (timestamp <= now - beyond) return candidate;
  }
  return undefined;
}

/** Whether `address` is one key (an EOA or an EIP-7702 account); an unreadable code counts as one. */
async function keyHolder(client: PublicClient, address: Address, blockNumber: bigint, unread: UnreadFact[]): Promise<{ address: Address; isEoa: boolean }> {
  const code = await attempt(() => client.getCode({ address, blockNumber }));
  if (!code.ok) {
    unread.push("controller code");
    return { address, isEoa: true };
  }
  const bytes = (code.value ?? "0x") as Hex;
  return { address, isEoa: size(bytes) === 0 || delegationOf(bytes) !== null };
}

/** The `owner()` of a contract controller (a ProxyAdmin's owner) and whether it is one key; null for an EOA controller or no owner. */
async function ownerOf(client: PublicClient, controller: Address, blockNumber: bigint, unread: UnreadFact[]): Promise<{ address: Address; isEoa: boolean } | null> {
  const answer = await attempt(async () => (await client.call({ to: controller, data: OWNER_CALL, blockNumber })).data);
  if (!answer.ok) {
    if (!answer.reverted) unread.push("owner");
    return null;
  }
  const owner = wordAddress(answer.value);
  if (owner === "garbage") {
    unread.push("owner");
    return null;
  }
  if (owner === null || owner.toLowerCase() === controller.toLowerCase()) return null;
  return keyHolder(client, owner, blockNumber, unread);
}

/**
 * The first block in [lo, hi] where `present` holds, knowing it holds at `hi` (assumed monotonic: code
 * once deployed, a nonce once above zero). Rounds of {@link PROBES_PER_ROUND} parallel probes; the
 * first round probes `lo` itself, and `before` says the account already existed at the block returned.
 * Given a `cutoff`, that block alone is probed first: an account already there is not searched further
 * (nothing depends on its exact age), and one absent there is searched above it. Null when a probe fails (no historical state) or the budget
 * runs out.
 */
export async function firstBlock(
  present: (blockNumber: bigint) => Promise<boolean>,
  lo: bigint,
  hi: bigint,
  options: { budget?: number; cutoff?: bigint | undefined } = {},
): Promise<{ blockNumber: bigint; before: boolean } | null> {
  const budget = options.budget ?? FIRST_SEEN_BUDGET;
  const cutoff = options.cutoff !== undefined && options.cutoff > lo && options.cutoff < hi ? options.cutoff : undefined;
  let low = lo;
  let high = hi;
  let reads = 0;
  let first = true;
  try {
    if (cutoff !== undefined) {
      // Most accounts are older than the cutoff: one read settles them. Absent there, absent at `lo`.
      reads++;
      if (await present(cutoff)) return { blockNumber: cutoff, before: true };
      low = cutoff + 1n;
      first = false;
    }
    while (low < high) {
      // Candidates are [low, high]; `present(high)` holds. Probe up to three blocks below `high`.
      const points: bigint[] = first ? [low] : [];
      const start = first ? low + 1n : low;
      const span = high - start;
      const m = BigInt(PROBES_PER_ROUND - points.length) < span ? BigInt(PROBES_PER_ROUND - points.length) : span;
      for (let j = 1n; j <= m; j++) {
        const p = start + (span * j) / (m + 1n);
        if (p !== points.at(-1)) points.push(p);
      }
      if (reads + points.length > budget) return null;
      reads += points.length;
      const results = await Promise.all(points.map((p) => present(p)));
      const hit = results.findIndex(Boolean);
      if (first && hit === 0) return { blockNumber: lo, before: true };
      first = false;
      if (hit === -1) low = points.at(-1)! + 1n;
      else {
        high = points[hit]!;
        if (hit > 0) low = points[hit - 1]! + 1n;
      }
    }
    return { blockNumber: high, before: false };
  } catch {
    return null;
  }
}
