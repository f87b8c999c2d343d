// What every corpus file shares: the scenario type, the encoding of calls, named accounts, and
// fixtures deployed once per chain (a 6-decimal dUSD in the treasury, fresh wallets).
import { encodeFunctionData, getAddress, keccak256, parseAbi, parseUnits, toHex, type Address, type Hex } from "viem";

import type { ProposalInput as Proposal } from "../../src/proposal.ts";
import { SETTLE_SECONDS, type Chain } from "../chain.ts";

/** Functions the scenarios call, for encoding calldata (the analyst decodes with `@ai-dao/protocol`, not with this). */
export const abi = parseAbi([
  "function transfer(address to, uint256 amount) returns (bool)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function grantRole(bytes32 role, address account)",
  "function updateQuorumNumerator(uint256 newQuorumNumerator)",
  "function setVotingPeriod(uint32 newVotingPeriod)",
  "function setAnalyst(address account, bool registered)",
  "function destroy()",
  "function syncMembers()",
  "function registerRelayers(uint256 count)",
  "function executeBatch(bytes data)",
  "function initialize(address owner)",
  "function upgradeToAndCall(address newImplementation, bytes data) payable",
  "function upgradeAndCall(address proxy, address implementation, bytes data) payable",
  "function transferOwnership(address newOwner)",
  "function updateDelay(uint256 newDelay)",
  "function executeProposal()",
  "function rebalance(address token)",
  "function withdraw(address token, address to, uint256 amount)",
  "function mint(address to, uint256 amount)",
]);

export const PROPOSER_ROLE = keccak256(toHex("PROPOSER_ROLE"));
export const DEMO = 10n ** 18n;
/** The treasury's DEMO at deployment (ignition/config/local.json). */
export const TREASURY_DEMO = 400_000n * DEMO;
/** dUSD (6 decimals), the stablecoin `dusd()` puts in the treasury, as the demo seed does. */
export const DUSD = 10n ** 6n;
export const TREASURY_DUSD = 1_000_000n * DUSD;

export interface ScenarioInput {
  proposal: Proposal;
  /** Who proposes: the analysis then checks their voting power. */
  proposer?: Address;
}

/**
 * What a scenario reproduces. Malicious families name the attack; benign ones start with `routine-`.
 * Metrics are reported per family.
 */
export type Family =
  | "treasury-drain"
  | "governance-capture"
  | "parameter-sabotage"
  | "malicious-code"
  | "upgrade"
  | "hidden-text"
  | "prompt-injection"
  | "impersonation"
  | "vote-manipulation"
  | "missing-description"
  | "misleading-description"
  | "routine-grant"
  | "routine-multilingual"
  | "routine-parameters"
  | "routine-governance"
  | "routine-operations";

export interface Scenario {
  name: string;
  kind: "malicious" | "benign";
  family: Family;
  /** The attack pattern or the routine it reproduces. */
  pattern: string;
  /** The public record of the incident a malicious scenario reproduces: a URL, or a post-mortem's title. */
  source?: string;
  /**
   * Findings the deterministic analysis must produce: `id:severity` (exact), `id` (any severity), or
   * `check/*` (any finding of that check).
   */
  expect: string[];
  /** Deploys what the scenario needs on the chain and returns the proposal. Runs in corpus order. */
  build(chain: Chain): Promise<ScenarioInput>;
  /** Runs after the analysis: undoes what `build` did to other scenarios' accounts (returns borrowed votes). */
  after?(chain: Chain): Promise<void>;
}

export const call = (target: Address, data: Hex = "0x", value = 0n) => ({ target, data, value });
export type Call = ReturnType<typeof call>;

export function proposal(calls: Call[], description: string): Proposal {
  return { targets: calls.map((c) => c.target), values: calls.map((c) => c.value), calldatas: calls.map((c) => c.data), description };
}

export const enc = (functionName: Parameters<typeof encodeFunctionData<typeof abi>>[0]["functionName"], args?: readonly unknown[]) =>
  encodeFunctionData({ abi, functionName, args } as never);

export const addresses = (chain: Chain) => ({
  ...chain.dao.deployment.contracts,
  deployer: getAddress(chain.dao.accounts.deployer.account.address),
  attacker: getAddress(chain.dao.accounts.outsider.account.address),
  erin: getAddress(chain.dao.accounts.erin.account.address),
  carol: getAddress(chain.dao.accounts.carol.account.address),
  alice: getAddress(chain.dao.accounts.alice.account.address),
  dave: getAddress(chain.dao.accounts.dave.account.address),
  analyst: getAddress(chain.dao.accounts.analyst.account.address),
});

export async function deploy(chain: Chain, name: string, args: readonly unknown[] = []): Promise<Address> {
  const contract = (await chain.connection.viem.deployContract(name as never, args as never)) as { address: Address };
  return getAddress(contract.address);
}

/**
 * A development wallet the DAO's config does not name (index 10 and up): no tokens, no history. Each
 * scenario uses its own, so scenarios stay independent of their order.
 */
export async function freshWallet(chain: Chain, index: number) {
  if (index < 10) throw new Error(`wallet ${index} is one of the DAO's named accounts`);
  const wallet = (await chain.connection.viem.getWalletClients())[index];
  if (wallet === undefined) throw new Error(`no development wallet ${index}`);
  return wallet;
}

const dusdByChain = new WeakMap<Chain, Promise<Address>>();

/**
 * The demo's stablecoin: a 6-decimal `dUSD` (MockERC20) with 1,000,000 dUSD in the treasury and
 * 9,000,000 with the deployer, who funds the scenarios' other contracts with it. Deployed on first
 * use, a day before the proposal that first uses it.
 */
export function dusd(chain: Chain): Promise<Address> {
  let token = dusdByChain.get(chain);
  if (token === undefined) {
    token = (async () => {
      const { deployer, timelock } = addresses(chain);
      const address = await deploy(chain, "MockERC20", ["Demo Dollar", "dUSD", 6, deployer, 10n * TREASURY_DUSD]);
      await fundDusd(chain, address, timelock, TREASURY_DUSD);
      // The stablecoin is old news by the time anyone proposes to pay with it.
      await settle(chain);
      return address;
    })();
    dusdByChain.set(chain, token);
  }
  return token;
}

async function fundDusd(chain: Chain, token: Address, to: Address, amount: bigint): Promise<void> {
  const erc20 = await chain.connection.viem.getContractAt("MockERC20", token);
  await erc20.write.transfer([to, amount], { account: chain.dao.accounts.deployer.account });
}

/** Sends `amount` dUSD (base units) from the deployer to `to`. */
export async function giveDusd(chain: Chain, to: Address, amount: bigint): Promise<void> {
  await fundDusd(chain, await dusd(chain), to, amount);
}

/** `amount` in dUSD base units from a decimal string (`"2487.5"`). */
export const dusdUnits = (amount: string) => parseUnits(amount, 6);

/**
 * An address that looks like `address` where people look: the same first 13 hex digits (15
 * characters with `0x`, as in the Tornado Cash 2026 proposal) and the same last 4, a different
 * middle. Nobody holds its key; it stands for the attacker's vanity address.
 */
export function lookAlike(address: Address): Address {
  const hex = address.slice(2).toLowerCase();
  const seed = keccak256(toHex(`look-alike:${hex}`)).slice(2);
  let middle = seed.slice(0, 23);
  if (middle === hex.slice(13, 36)) middle = seed.slice(23, 46);
  return getAddress(`0x${hex.slice(0, 13)}${middle}${hex.slice(36)}`);
}

/** How wallets and explorers shorten an address: `0x5fc8…f707` (lowercase, so the checksum's case does not tell two apart). */
export const shortForm = (address: Address) => `${address.slice(0, 6).toLowerCase()}…${address.slice(-4).toLowerCase()}`;

/** Moves DAO tokens between holders (each must be a development wallet). */
export async function moveVotes(chain: Chain, from: { account: { address: Address } }, to: Address, amount: bigint): Promise<void> {
  await chain.dao.token.write.transfer([to, amount], { account: from.account as never });
}

/**
 * Lets a day pass: recent vote moves age past any window, as the corpus's setup does with the
 * distribution, and contracts just deployed become ones that existed before the proposal (a DAO's own
 * contracts, a working group's Safe), unlike an attacker's, deployed for the proposal.
 */
export async function settle(chain: Chain): Promise<void> {
  await chain.connection.networkHelpers.time.increase(SETTLE_SECONDS);
}
