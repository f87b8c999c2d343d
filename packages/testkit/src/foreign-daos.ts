// DAOs the platform did not deploy, as `npm run attach` meets them: an OpenZeppelin 4.9 Governor
// with a block-number clock, an OpenZeppelin 5 Governor without GovernorStorage, and Uniswap's
// GovernorAlpha with its Timelock from the build artifacts `@uniswap/governance` ships. Each is
// deployed the way such a DAO usually is (the Governor proposes to and cancels on its timelock, the
// deployer keeps no power), with alice and bob holding the votes, delegated to themselves.
import { createRequire } from "node:module";

import type { NetworkConnection } from "hardhat/types/network";
import { getAddress, getContractAddress, keccak256, parseEther, toHex, zeroAddress, zeroHash, type Abi, type Address, type Hex } from "viem";

const require = createRequire(import.meta.url);

const PROPOSER_ROLE = keccak256(toHex("PROPOSER_ROLE"));
const CANCELLER_ROLE = keccak256(toHex("CANCELLER_ROLE"));
const DEFAULT_ADMIN_ROLE = zeroHash;

/** A compiled contract from the artifacts `@uniswap/governance` ships (solc 0.5.16). */
export interface UniswapArtifact {
  abi: Abi;
  bytecode: string;
}

export function uniswapArtifact(name: "GovernorAlpha" | "Timelock" | "Uni"): UniswapArtifact {
  return require(`@uniswap/governance/build/${name}.json`) as UniswapArtifact;
}

/** The wallets the foreign DAOs use: deployer, the two voters, and an account without code to pay. */
async function wallets(connection: NetworkConnection) {
  const [deployer, alice, bob, , dave] = await connection.viem.getWalletClients();
  if (!deployer || !alice || !bob || !dave) throw new Error("the network has fewer than five accounts");
  return { deployer, alice, bob, dave };
}

/**
 * An OpenZeppelin Contracts 4.9 Governor (contracts/attach): block-number clock, voting delay 1
 * block, voting period 50 blocks, no proposal threshold, 4% quorum, a 4.9 TimelockController with a
 * one-hour delay. alice holds 600,000 LEG and bob 400,000.
 */
export async function deployOpenZeppelin4DAO(connection: NetworkConnection) {
  const { viem, networkHelpers } = connection;
  const { deployer, alice, bob, dave } = await wallets(connection);
  const token = await viem.deployContract("AttachV4Token", [
    "Legacy DAO",
    "LEG",
    [alice.account.address, bob.account.address],
    [parseEther("600000"), parseEther("400000")],
  ]);
  const timelock = await viem.deployContract("AttachV4Timelock", [3_600n, [], [zeroAddress], deployer.account.address]);
  const governor = await viem.deployContract("AttachV4Governor", [token.address, timelock.address, 1n, 50n, 0n, 4n]);
  await timelock.write.grantRole([PROPOSER_ROLE, governor.address]);
  await timelock.write.grantRole([CANCELLER_ROLE, governor.address]);
  await timelock.write.renounceRole([DEFAULT_ADMIN_ROLE, deployer.account.address]);
  await token.write.delegate([alice.account.address], { account: alice.account });
  await token.write.delegate([bob.account.address], { account: bob.account });
  await networkHelpers.mine();
  return { token, timelock, governor, accounts: { deployer, alice, bob, dave } };
}

/**
 * An OpenZeppelin 5 Governor without GovernorStorage (contracts/bench/VanillaGovernor): the
 * platform's DAOToken (timestamp clock), voting delay 10 s, voting period 300 s, 4% quorum, a
 * TimelockController with a 600 s delay. alice holds 600,000 VAN and bob 400,000.
 */
export async function deployOpenZeppelin5DAO(connection: NetworkConnection) {
  const { viem, networkHelpers } = connection;
  const { deployer, alice, bob, dave } = await wallets(connection);
  const token = await viem.deployContract("DAOToken", [
    "Vanilla DAO",
    "VAN",
    [alice.account.address, bob.account.address],
    [parseEther("600000"), parseEther("400000")],
  ]);
  const timelock = await viem.deployContract("TimelockController", [600n, [], [zeroAddress], deployer.account.address]);
  const governor = await viem.deployContract("VanillaGovernor", [token.address, timelock.address, 10, 300, 4n]);
  await timelock.write.grantRole([PROPOSER_ROLE, governor.address]);
  await timelock.write.grantRole([CANCELLER_ROLE, governor.address]);
  await timelock.write.renounceRole([DEFAULT_ADMIN_ROLE, deployer.account.address]);
  await token.write.delegate([alice.account.address], { account: alice.account });
  await token.write.delegate([bob.account.address], { account: bob.account });
  await networkHelpers.mine();
  return { token, timelock, governor, accounts: { deployer, alice, bob, dave } };
}

/**
 * Uniswap's GovernorAlpha, its Timelock (two days' delay; the Governor is its admin) and UNI, from
 * `@uniswap/governance`'s artifacts. UNI's billion is minted to the deployer, who gives alice 600M
 * and bob 400M (above the 10M proposal threshold, and together past the 40M quorum).
 */
export async function deployGovernorAlphaDAO(connection: NetworkConnection) {
  const { viem, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  const { deployer, alice, bob, dave } = await wallets(connection);
  const from = deployer.account.address;

  async function deploy(name: "GovernorAlpha" | "Timelock" | "Uni", args: readonly unknown[]): Promise<Address> {
    const artifact = uniswapArtifact(name);
    const hash = await deployer.deployContract({ abi: artifact.abi, bytecode: `0x${artifact.bytecode.replace(/^0x/, "")}`, args } as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`${name} did not deploy`);
    return getAddress(receipt.contractAddress);
  }

  /** Sends a transaction from `wallet` and fails unless it succeeds. */
  async function write(wallet: typeof deployer, address: Address, name: "GovernorAlpha" | "Timelock" | "Uni", functionName: string, args: readonly unknown[]): Promise<Hex> {
    const hash = await wallet.writeContract({ address, abi: uniswapArtifact(name).abi, functionName, args, account: wallet.account } as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${name}.${functionName} reverted`);
    return hash;
  }

  /** A view of one of the three contracts. */
  function read(address: Address, name: "GovernorAlpha" | "Timelock" | "Uni", functionName: string, args: readonly unknown[] = []): Promise<unknown> {
    return publicClient.readContract({ address, abi: uniswapArtifact(name).abi, functionName, args } as never) as Promise<unknown>;
  }

  // Uni mints its supply to the deployer; the Timelock's admin is the Governor deployed right after it.
  const now = BigInt((await publicClient.getBlock()).timestamp);
  const uni = await deploy("Uni", [from, from, now + 365n * 86_400n]);
  const nonce = await publicClient.getTransactionCount({ address: from });
  const predictedGovernor = getContractAddress({ from, nonce: BigInt(nonce + 1) });
  const timelock = await deploy("Timelock", [predictedGovernor, 2n * 86_400n]);
  const governor = await deploy("GovernorAlpha", [timelock, uni]);
  if (governor !== predictedGovernor) throw new Error("GovernorAlpha is not at the address the Timelock was given");
  await write(deployer, uni, "Uni", "transfer", [alice.account.address, parseEther("600000000")]);
  await write(deployer, uni, "Uni", "transfer", [bob.account.address, parseEther("400000000")]);
  await write(alice, uni, "Uni", "delegate", [alice.account.address]);
  await write(bob, uni, "Uni", "delegate", [bob.account.address]);
  await networkHelpers.mine();
  return { uni, timelock, governor, accounts: { deployer, alice, bob, dave }, write, read };
}
