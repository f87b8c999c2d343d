import { decodeRevert, flavourAbis, standardEventAbis } from "@ai-dao/protocol";
import {
  decodeEventLog,
  encodeAbiParameters,
  encodeFunctionData,
  erc20Abi,
  getAddress,
  keccak256,
  numberToHex,
  parseAbi,
  parseAbiParameters,
  size,
  slice,
  toHex,
  type Abi,
  type Address,
  type Hex,
} from "viem";

import type { Proposal } from "../proposal.ts";
import type { Eip1193 } from "./fork.ts";


/** A log emitted during the simulation, decoded when a known ABI matches. */
export interface SimulatedLog {
  callIndex: number;
  address: Address;
  /** `DAOToken`, `ERC20`, ... when decoded. */
  abiSource?: string;
  eventName?: string;
  args?: Record<string, unknown>;
  topics: Hex[];
  data: Hex;
}

/** One frame of the call tree (Geth `callTracer` shape, flattened in execution order). */
export interface SimulatedCallFrame {
  callIndex: number;
  depth: number;
  type: string;
  from: Address;
  to: Address | null;
  value: bigint;
  selector: Hex | null;
  error?: string;
}

export interface RevertInfo {
  callIndex: number;
  /** The raw revert data. */
  data: Hex;
  /** Decoded custom error, `Error(string)` or `Panic(uint256)` name. */
  errorName?: string;
  args?: readonly unknown[];
  /** Human-readable reason (the `Error(string)` message, or `Name(args)`). */
  reason: string;
}

export interface SimulatedCall {
  index: number;
  success: boolean;
  gasUsed: bigint;
  /** Logs emitted by this action (empty when it reverted). */
  logCount: number;
}

export interface EthBalanceChange {
  address: Address;
  before: bigint;
  after: bigint;
  delta: bigint;
}

export interface TokenBalanceChange {
  token: Address;
  account: Address;
  /** Net amount received (negative: sent), summed from Transfer logs. */
  delta: bigint;
}

export interface TreasuryTokenBalance {
  token: Address;
  before: bigint | null;
  after: bigint | null;
}

export interface RoleChange {
  callIndex: number;
  contract: Address;
  role: Hex;
  account: Address;
  sender: Address;
  granted: boolean;
}

export interface SimulationEffects {
  ethBalanceChanges: EthBalanceChange[];
  tokenBalanceChanges: TokenBalanceChange[];
  treasuryTokenBalances: TreasuryTokenBalance[];
  contractsCreated: { callIndex: number; address: Address; type: string; creator: Address }[];
  roleChanges: RoleChange[];
  ownershipChanges: { callIndex: number; contract: Address; previousOwner: Address; newOwner: Address }[];
  proxyUpgrades: { callIndex: number; proxy: Address; kind: "implementation" | "admin" | "beacon"; newValue: Address }[];
  /** Events of the Governor itself and the timelock's `MinDelayChange`: governance parameters that changed. */
  governanceChanges: { callIndex: number; contract: Address; eventName: string; args: Record<string, unknown> }[];
}

export interface SimulationResult {
  status: "executed" | "reverted";
  /** The block the fork was taken at; the actions run in the blocks after it. */
  forkBlock: bigint;
  calls: SimulatedCall[];
  revert?: RevertInfo;
  logs: SimulatedLog[];
  trace: SimulatedCallFrame[];
  /** Whether `trace` is the full call tree (`debug_traceTransaction` with `callTracer`) or only the top-level calls. */
  traceSource: "callTracer" | "top-level";
  /** Empty when the batch reverted: nothing persists. */
  effects: SimulationEffects;
}

const RELAY = parseAbi(["function relay(address target, uint256 value, bytes data) payable", "function name() view returns (string)"]);
// EIP-7825 caps a transaction at 2^24 gas; a proposal action needs far less.
const GAS_LIMIT = 16_777_216n;
/** How many storage slots to try when locating the Governor's governance-call queue. */
const QUEUE_SLOT_PROBES = 64;

interface TraceFrame {
  type: string;
  from: string;
  to?: string;
  value?: string;
  input?: string;
  output?: string;
  error?: string;
  calls?: TraceFrame[];
}

interface Receipt {
  status: Hex;
  gasUsed: Hex;
  logs: { address: Address; topics: Hex[]; data: Hex }[];
}

function decodeLog(abis: { name: string; abi: Abi }[], log: { address: Address; topics: Hex[]; data: Hex }) {
  for (const { name, abi } of abis) {
    try {
      const decoded = decodeEventLog({ abi, topics: log.topics as [Hex, ...Hex[]], data: log.data, strict: true }) as unknown as { eventName: string; args: Record<string, unknown> };
      return { abiSource: name, eventName: decoded.eventName, args: { ...decoded.args } };
    } catch {
      // Next ABI.
    }
  }
  return undefined;
}

/**
 * Why call `callIndex` reverted: `@ai-dao/protocol`'s decodeRevert over the DAO's errors and the
 * deployment's own ABIs; the reason is a require message as written, else the decoder's line
 * (a panic with its meaning, a custom error with its arguments, an unknown selector raw).
 */
function revertInfo(data: Hex, callIndex: number): RevertInfo {
  const decoded = decodeRevert(data);
  const reason = decoded.kind === "error-string" ? (decoded.reason ?? "") : decoded.message;
  return decoded.name === null ? { callIndex, data, reason } : { callIndex, data, errorName: decoded.name, args: decoded.args, reason };
}

function flatten(frame: TraceFrame, callIndex: number, depth: number, out: SimulatedCallFrame[]) {
  const input = (frame.input ?? "0x") as Hex;
  out.push({
    callIndex,
    depth,
    type: frame.type,
    from: getAddress(frame.from),
    to: frame.to ? getAddress(frame.to) : null,
    value: BigInt(frame.value ?? "0x0"),
    selector: frame.type.startsWith("CREATE") || size(input) < 4 ? null : slice(input, 0, 4),
    ...(frame.error !== undefined ? { error: frame.error } : {}),
  });
  for (const child of frame.calls ?? []) flatten(child, callIndex, depth + 1, out);
}

async function rpc<T>(provider: Eip1193, method: string, params: unknown[] = []): Promise<T> {
  return (await provider.request({ method, params })) as T;
}

/**
 * Finds the storage slot of OpenZeppelin Governor's `_governanceCall` queue: the slot where, with the
 * queue holding the hash of `relay(governor, 0, name())`, a call to it from the executor succeeds.
 * `eth_call` with a state override, so nothing on the fork changes. Null when no slot works.
 */
async function findGovernanceQueueSlot(provider: Eip1193, governor: Address, executor: Address): Promise<bigint | null> {
  const data = encodeFunctionData({ abi: RELAY, functionName: "relay", args: [governor, 0n, encodeFunctionData({ abi: RELAY, functionName: "name" })] });
  const hash = keccak256(data);
  for (let slot = 0n; slot < BigInt(QUEUE_SLOT_PROBES); slot++) {
    const stateDiff = queueState(slot, hash);
    try {
      // `relay` returns nothing: success is empty return data; a wrong slot returns the queue's Panic.
      const out = await rpc<Hex>(provider, "eth_call", [{ from: executor, to: governor, data, gas: numberToHex(GAS_LIMIT) }, "latest", { [governor]: { stateDiff } }]);
      if (out === "0x") return slot;
    } catch {
      // Not this slot.
    }
  }
  return null;
}

/** Storage of a DoubleEndedQueue.Bytes32Deque at `slot` holding exactly `[hash]`: `_begin` = 0, `_end` = 1, `_data[0]` = hash. */
function queueState(slot: bigint, hash: Hex): Record<Hex, Hex> {
  const header = toHex(1n << 128n, { size: 32 });
  const dataSlot = keccak256(encodeAbiParameters(parseAbiParameters("uint256, uint256"), [0n, slot + 1n]));
  return { [toHex(slot, { size: 32 })]: header, [dataSlot]: hash };
}

export interface SimulateArgs {
  provider: Eip1193;
  forkBlock: bigint;
  proposal: Proposal;
  contracts: { token: Address; governor: Address; timelock: Address; decisionLog: Address };
  /** Tokens whose treasury balance to read before and after (in addition to any that emit Transfer). */
  tokens?: readonly Address[];
  /** The ABIs (and names) of the DAO's contracts, for their logs: an attached DAO's flavour (`flavourAbis`); default the platform's. */
  abis?: ReturnType<typeof flavourAbis>;
}

/**
 * Executes a proposal's actions on a fork exactly as the timelock would in `executeBatch`: from the
 * timelock's address (impersonated), in order, with their values, stopping at the first revert (the
 * whole batch then reverts and nothing persists). A Compound Timelock runs the same way: the
 * Governor's `execute(id)` calls `executeTransaction` once per action, each a call from the timelock
 * with its value, and the first that reverts reverts them all. Calls the Governor makes to itself pass its
 * `onlyGovernance` check as in `Governor.execute`, which queues the hash of each such calldata
 * before calling the timelock; here the hash is put in the queue's storage before the action.
 * Gas is priced at zero (the executor pays it, not the treasury), so ETH balance changes are exact.
 */
export async function simulateProposal(args: SimulateArgs): Promise<SimulationResult> {
  const { provider, proposal, contracts, forkBlock } = args;
  const treasury = getAddress(contracts.timelock);
  const governor = getAddress(contracts.governor);
  // The DAO's own ABIs decode only the DAO's own logs; anything else is tried against the standards.
  const abis = args.abis ?? flavourAbis({});
  const own = new Map<string, { name: string; abi: Abi }>([
    [contracts.token.toLowerCase(), abis.token],
    [governor.toLowerCase(), abis.governor],
    [treasury.toLowerCase(), abis.timelock],
    [contracts.decisionLog.toLowerCase(), abis.decisionLog],
  ]);
  const eventAbisFor = (address: Address) => {
    const mine = own.get(address.toLowerCase());
    return mine ? [mine, ...standardEventAbis] : [...standardEventAbis];
  };

  // Calls cannot execute at the fork block itself (its hardfork is unknown for chains the fork does not
  // know, such as a local 31337): an empty block first, and every read and call after it.
  await rpc(provider, "hardhat_mine", ["0x1"]);
  // Read the treasury's known token balances before running.
  const tokensBefore = new Map<string, bigint | null>();
  for (const token of args.tokens ?? []) tokensBefore.set(token.toLowerCase(), await balanceOf(provider, token, treasury));

  await rpc(provider, "hardhat_impersonateAccount", [treasury]);
  const queueSlot = proposal.targets.some((t) => getAddress(t) === governor) ? await findGovernanceQueueSlot(provider, governor, treasury) : null;

  const calls: SimulatedCall[] = [];
  const logs: SimulatedLog[] = [];
  const trace: SimulatedCallFrame[] = [];
  let traceSource: SimulationResult["traceSource"] = "callTracer";
  let revert: RevertInfo | undefined;

  for (let i = 0; i < proposal.targets.length; i++) {
    const to = getAddress(proposal.targets[i]!);
    const data = proposal.calldatas[i]!;
    const value = proposal.values[i]!;
    if (to === governor && queueSlot !== null) {
      for (const [slot, word] of Object.entries(queueState(queueSlot, keccak256(data)))) {
        await rpc(provider, "hardhat_setStorageAt", [governor, slot, word]);
      }
    }
    await rpc(provider, "hardhat_setNextBlockBaseFeePerGas", ["0x0"]);
    const txHash = await rpc<Hex>(provider, "eth_sendTransaction", [
      { from: treasury, to, data, value: numberToHex(value), gas: numberToHex(GAS_LIMIT), gasPrice: "0x0" },
    ]);
    const receipt = await rpc<Receipt>(provider, "eth_getTransactionReceipt", [txHash]);
    let frame: TraceFrame | undefined;
    try {
      frame = await rpc<TraceFrame>(provider, "debug_traceTransaction", [txHash, { tracer: "callTracer" }]);
    } catch {
      traceSource = "top-level";
    }
    if (frame) flatten(frame, i, 0, trace);
    else trace.push({ callIndex: i, depth: 0, type: "CALL", from: treasury, to, value, selector: size(data) >= 4 ? slice(data, 0, 4) : null });

    const success = receipt.status === "0x1";
    calls.push({ index: i, success, gasUsed: BigInt(receipt.gasUsed), logCount: success ? receipt.logs.length : 0 });
    if (!success) {
      revert = revertInfo((frame?.output ?? "0x") as Hex, i);
      break;
    }
    for (const log of receipt.logs) {
      const decoded = decodeLog(eventAbisFor(log.address), log);
      logs.push({ callIndex: i, address: getAddress(log.address), ...(decoded ?? {}), topics: log.topics, data: log.data });
    }
  }
  await rpc(provider, "hardhat_stopImpersonatingAccount", [treasury]);

  if (revert) return { status: "reverted", forkBlock, calls, revert, logs: [], trace, traceSource, effects: noEffects() };
  const effects = await collectEffects(provider, { forkBlock, treasury, governor, logs, trace, tokens: args.tokens ?? [], tokensBefore });
  return { status: "executed", forkBlock, calls, logs, trace, traceSource, effects };
}

/** Effects of a simulation that changed nothing (or reverted), each list empty. */
export function noEffects(): SimulationEffects {
  return {
    ethBalanceChanges: [],
    tokenBalanceChanges: [],
    treasuryTokenBalances: [],
    contractsCreated: [],
    roleChanges: [],
    ownershipChanges: [],
    proxyUpgrades: [],
    governanceChanges: [],
  };
}

async function collectEffects(
  provider: Eip1193,
  args: {
    forkBlock: bigint;
    treasury: Address;
    governor: Address;
    logs: SimulatedLog[];
    trace: SimulatedCallFrame[];
    tokens: readonly Address[];
    tokensBefore: Map<string, bigint | null>;
  },
): Promise<SimulationEffects> {
  const { forkBlock, treasury, governor, logs, trace } = args;
  const effects = noEffects();

  // ETH: every account that sent or received value in the call tree, plus the treasury.
  const ethAccounts = new Map<string, Address>([[treasury.toLowerCase(), treasury]]);
  for (const f of trace) {
    if (f.type.startsWith("CREATE") && f.to && !f.error) effects.contractsCreated.push({ callIndex: f.callIndex, address: f.to, type: f.type, creator: f.from });
    if (f.value > 0n && !f.error) {
      ethAccounts.set(f.from.toLowerCase(), f.from);
      if (f.to) ethAccounts.set(f.to.toLowerCase(), f.to);
    }
  }
  const before = numberToHex(forkBlock);
  for (const account of ethAccounts.values()) {
    const [b, a] = await Promise.all([rpc<Hex>(provider, "eth_getBalance", [account, before]), rpc<Hex>(provider, "eth_getBalance", [account, "latest"])]);
    const delta = BigInt(a) - BigInt(b);
    if (delta !== 0n) effects.ethBalanceChanges.push({ address: account, before: BigInt(b), after: BigInt(a), delta });
  }

  // Tokens: net flows from ERC20 Transfer logs, and the treasury's balanceOf before and after.
  const net = new Map<string, TokenBalanceChange>();
  const tokens = new Map<string, Address>(args.tokens.map((t) => [t.toLowerCase(), getAddress(t)]));
  const bump = (token: Address, account: Address, delta: bigint) => {
    const key = `${token.toLowerCase()}:${account.toLowerCase()}`;
    const entry = net.get(key) ?? { token, account, delta: 0n };
    entry.delta += delta;
    net.set(key, entry);
  };
  for (const log of logs) {
    const a = log.args ?? {};
    if (log.eventName === "Transfer" && typeof a.value === "bigint") {
      tokens.set(log.address.toLowerCase(), log.address);
      bump(log.address, getAddress(a.from as Address), -a.value);
      bump(log.address, getAddress(a.to as Address), a.value);
    } else if (log.eventName === "RoleGranted" || log.eventName === "RoleRevoked") {
      effects.roleChanges.push({
        callIndex: log.callIndex,
        contract: log.address,
        role: a.role as Hex,
        account: getAddress(a.account as Address),
        sender: getAddress(a.sender as Address),
        granted: log.eventName === "RoleGranted",
      });
    } else if (log.eventName === "OwnershipTransferred") {
      effects.ownershipChanges.push({ callIndex: log.callIndex, contract: log.address, previousOwner: getAddress(a.previousOwner as Address), newOwner: getAddress(a.newOwner as Address) });
    } else if (log.eventName === "Upgraded") {
      effects.proxyUpgrades.push({ callIndex: log.callIndex, proxy: log.address, kind: "implementation", newValue: getAddress(a.implementation as Address) });
    } else if (log.eventName === "AdminChanged") {
      effects.proxyUpgrades.push({ callIndex: log.callIndex, proxy: log.address, kind: "admin", newValue: getAddress(a.newAdmin as Address) });
    } else if (log.eventName === "BeaconUpgraded") {
      effects.proxyUpgrades.push({ callIndex: log.callIndex, proxy: log.address, kind: "beacon", newValue: getAddress(a.beacon as Address) });
    }
    if (log.eventName !== undefined && (log.address === governor || (log.address === treasury && log.eventName === "MinDelayChange"))) {
      effects.governanceChanges.push({ callIndex: log.callIndex, contract: log.address, eventName: log.eventName, args: log.args ?? {} });
    }
  }
  effects.tokenBalanceChanges = [...net.values()].filter((c) => c.delta !== 0n);
  for (const token of tokens.values()) {
    const after = await balanceOf(provider, token, treasury);
    // A token first seen in the logs: its balance before is the balance after less what the logs moved.
    const logged = net.get(`${token.toLowerCase()}:${treasury.toLowerCase()}`)?.delta ?? 0n;
    const before = args.tokensBefore.has(token.toLowerCase()) ? args.tokensBefore.get(token.toLowerCase())! : after === null ? null : after - logged;
    effects.treasuryTokenBalances.push({ token, before, after });
  }
  return effects;
}

async function balanceOf(provider: Eip1193, token: Address, holder: Address): Promise<bigint | null> {
  try {
    const data = encodeFunctionData({ abi: erc20Abi, functionName: "balanceOf", args: [holder] });
    const out = await rpc<Hex>(provider, "eth_call", [{ to: token, data }, "latest"]);
    return size(out) === 32 ? BigInt(out) : null;
  } catch {
    return null;
  }
}
