// The analysis context the checks' unit tests build on: the local DAO's addresses, a treasury of
// 100 ETH and 400,000 DEMO, and the local profile's Governor settings. Each test passes what it needs
// on top (calls, description, other balances, or any field of the context).
import { getAddress, parseEther, toFunctionSelector, type Address } from "viem";

import type { DecodedCall } from "@ai-dao/protocol";
import type { AnalysisContext } from "../src/checks/types.ts";
import type { TreasuryAsset } from "../src/context/governance.ts";
import { normalizeProposal } from "../src/proposal.ts";
import { noEffects, type SimulationResult } from "../src/simulate/simulate.ts";

export const TIMELOCK = getAddress("0x5fbdb2315678afecb367f032d93f642f64180aa3");
export const GOVERNOR = getAddress("0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9");
export const TOKEN = getAddress("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512");
/** The DecisionLog, and the proposal guardian. */
export const LOG = getAddress("0x1000000000000000000000000000000000000001");
export const ERIN = getAddress("0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc");
export const MALLORY = getAddress("0x976ea74026e726554db657fa54763abd0c3a0aa9");
export const VAULT = getAddress("0x2000000000000000000000000000000000000002");
export const E18 = 10n ** 18n;

export interface UnitContextOptions extends Partial<AnalysisContext> {
  description?: string;
  calls?: DecodedCall[];
  /** The treasury's ETH (default 100 ETH). */
  ethBalance?: bigint;
  /** The DAO token's symbol (default DEMO). */
  symbol?: string;
  /** Holdings besides ETH and the DAO token. */
  extraBalances?: TreasuryAsset[];
}

/** A context for a check's unit test; any field given replaces the default. */
export function unitContext(options: UnitContextOptions = {}): AnalysisContext {
  const { description = "", calls = [], ethBalance = parseEther("100"), symbol = "DEMO", extraBalances = [], ...rest } = options;
  return {
    chainId: 31337,
    blockNumber: 10n,
    deployment: { contracts: { token: TOKEN, governor: GOVERNOR, timelock: TIMELOCK, decisionLog: LOG } },
    proposal: normalizeProposal({ targets: calls.map((c) => c.target), values: calls.map((c) => c.value), calldatas: calls.map(() => "0x"), description }),
    calls,
    targets: [],
    governance: {
      treasury: TIMELOCK,
      balances: [{ asset: "ETH", symbol: "ETH", decimals: 18, balance: ethBalance }, { asset: TOKEN, symbol, decimals: 18, balance: 400_000n * E18 }, ...extraBalances],
      governor: {
        clockMode: "timestamp",
        votingDelay: 10n,
        votingPeriod: 300n,
        proposalThreshold: 1_000n * E18,
        quorumNumerator: 4n,
        quorumDenominator: 100n,
        lateQuorumVoteExtension: 60n,
        proposalGuardian: LOG,
        timelock: TIMELOCK,
        timelockMinDelay: 60n,
        tokenTotalSupply: 1_000_000n * E18,
        riskTiers: [
          { minRisk: 40, delay: 180n },
          { minRisk: 70, delay: 600n },
        ],
      },
    },
    ...rest,
  };
}

/** A call that only sends ETH. */
export const ethCall = (index: number, to: Address, value: bigint): DecodedCall => ({ index, target: to, value, selector: null, kind: "eth-transfer", decoded: true });

/** A call as the decoder gives it: name, selector and parameter types from `signature` (e.g. `transfer(address,uint256)`). */
export function decodedCall(index: number, target: Address, signature: string, args: readonly unknown[], abiSource = "ERC20"): DecodedCall {
  return {
    index,
    target,
    value: 0n,
    selector: toFunctionSelector(signature),
    kind: "call",
    functionName: signature.slice(0, signature.indexOf("(")),
    signature,
    inputs: signature.slice(signature.indexOf("(") + 1, -1).split(",").filter(Boolean).map((type) => ({ type })),
    args: [...args],
    abiSource,
    decoded: true,
  };
}

/** A fork simulation that executed every call, with the given effects. */
export function simulated(effects: Partial<SimulationResult["effects"]>, extra: Partial<SimulationResult> = {}): AnalysisContext["simulation"] {
  return {
    status: "simulated",
    forkUrl: "http://127.0.0.1:1",
    result: { status: "executed", forkBlock: 10n, calls: [], logs: [], trace: [], traceSource: "callTracer", effects: { ...noEffects(), ...effects }, ...extra },
  };
}
