// The demo history `npm start` puts on a fresh local chain after deploying the DAO: a funded
// treasury (ETH and a 6-decimal test stablecoin), delegations, and proposals in every state a
// visitor should see — executed, defeated, canceled, and two in voting, one of which quietly
// drains the treasury behind a harmless description so the analyst has something to catch.
//
// It talks to the node over JSON-RPC with the node's unlocked development accounts, and moves time
// with the node's own methods, so it only runs against a local development chain.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { treasuryAssetsOf, type Deployment } from "@ai-dao/deployment";
import { daoAbis, descriptionBytesOf, hashDescription, proposalStateName, Support } from "@ai-dao/protocol";
import {
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  getContractAddress,
  http,
  parseEther,
  parseUnits,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { hardhat } from "viem/chains";

const root = path.resolve(import.meta.dirname, "../..");

async function artifact(source: string, name: string): Promise<{ abi: Abi; bytecode: Hex }> {
  const file = path.join(root, "artifacts", source, `${name}.json`);
  return JSON.parse(await readFile(file, "utf8"));
}

/**
 * Development account #19 deploys the demo stablecoin as its first transaction, so dUSD's address
 * is known before the seed runs: the local deploy config lists it (`treasuryAssets`: `createdBy`
 * this account, nonce 0) and the subgraph indexes its treasury flows from the first block.
 */
export const STABLECOIN_DEPLOYER_INDEX = 19;

/**
 * Deploys dUSD (6 decimals) with `amount` base units minted to the treasury, at the address the
 * deployment lists. Refuses when the deployer account has already sent a transaction (the token
 * would land elsewhere) or the deployment does not list that address (nothing would index it).
 */
export async function deployDemoStablecoin(rpcUrl: string, deployment: Deployment, amount = parseUnits("1000000", 6)): Promise<Address> {
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain: hardhat, transport }) as PublicClient;
  const accounts = await createWalletClient({ chain: hardhat, transport }).getAddresses();
  const deployer = accounts[STABLECOIN_DEPLOYER_INDEX];
  if (deployer === undefined) throw new Error(`the node must expose development account #${STABLECOIN_DEPLOYER_INDEX} (npx hardhat node has 20)`);
  const expected = getContractAddress({ from: deployer, nonce: 0n });
  if (!treasuryAssetsOf(deployment).some((asset) => asset.address.toLowerCase() === expected.toLowerCase())) {
    throw new Error(
      `the deployment does not list the demo stablecoin's address ${expected} in treasuryAssets, so its treasury flows would not be indexed; ` +
        `deploy with ignition/config/local.json (treasuryAssets: createdBy ${deployer}, nonce 0)`,
    );
  }
  const nonce = await publicClient.getTransactionCount({ address: deployer });
  if (nonce !== 0) throw new Error(`development account #${STABLECOIN_DEPLOYER_INDEX} (${deployer}) has already sent ${nonce} transaction(s); the demo needs a fresh chain`);
  const erc20Artifact = await artifact("contracts/mocks/MockERC20.sol", "MockERC20");
  const hash = await createWalletClient({ chain: hardhat, transport, account: deployer }).deployContract({
    abi: erc20Artifact.abi,
    bytecode: erc20Artifact.bytecode,
    args: ["Demo Dollar", "dUSD", 6, deployment.contracts.timelock, amount],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || receipt.contractAddress?.toLowerCase() !== expected.toLowerCase()) {
    throw new Error(`the demo stablecoin was not deployed at ${expected} (tx ${hash})`);
  }
  return expected;
}

export interface SeededProposal {
  key: "executed" | "defeated" | "canceled" | "grant" | "drain";
  proposalId: bigint;
  description: string;
  expectedState: "Executed" | "Defeated" | "Canceled" | "Active";
}

export interface DemoSeed {
  stablecoin: Address;
  treasuryEth: bigint;
  proposals: SeededProposal[];
}

/**
 * Seeds the demo on the chain at `rpcUrl`, where `deployment` was just deployed with the local
 * profile. `progress` receives one line per step.
 */
export async function seedDemo(rpcUrl: string, deployment: Deployment, progress: (line: string) => void = () => {}): Promise<DemoSeed> {
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain: hardhat, transport }) as PublicClient;
  const chainId = await publicClient.getChainId();
  if (chainId !== hardhat.id) throw new Error(`the demo seeds only a local development chain (chain id 31337), not chain ${chainId}`);

  const accounts = await createWalletClient({ chain: hardhat, transport }).getAddresses();
  if (accounts.length < 10) throw new Error("the node must expose its 10+ development accounts (npx hardhat node)");
  const [deployer, alice, bob, carol, dave, erin, outsider] = accounts as [Address, Address, Address, Address, Address, Address, Address];
  const wallet = (account: Address) => createWalletClient({ chain: hardhat, transport, account });
  // The seed acts as each holder through the node's unlocked accounts: a config whose "dave" is not
  // the node's account #4 would give the seed a holder without tokens (delegations moving 0 votes).
  const holders: Record<string, Address> = { alice, bob, carol, dave, erin };
  for (const allocation of deployment.parameters.token.allocations) {
    const account = allocation.label === undefined ? undefined : holders[allocation.label];
    if (account !== undefined && account.toLowerCase() !== allocation.recipient.toLowerCase()) {
      throw new Error(`the deployment gives "${allocation.label}" ${allocation.recipient}, but the node's account for ${allocation.label} is ${account}; fix the deploy config`);
    }
  }

  // The test stablecoin is deployed from its compiled artifact (bytecode); the DAO's ABIs are protocol's.
  const erc20Artifact = await artifact("contracts/mocks/MockERC20.sol", "MockERC20");
  const { governor, token, timelock } = deployment.contracts;

  async function send(from: Address, to: Address, abi: Abi, functionName: string, args: unknown[], value = 0n): Promise<void> {
    const hash = await wallet(from).sendTransaction({ to, value, data: encodeFunctionData({ abi, functionName, args }) });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} from ${from} reverted (tx ${hash})`);
  }
  const read = <T>(functionName: string, args: unknown[]) =>
    publicClient.readContract({ address: governor, abi: daoAbis.governor as Abi, functionName, args }) as Promise<T>;
  async function advance(seconds: number) {
    await publicClient.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
    await publicClient.request({ method: "evm_mine" as never, params: [] as never });
  }

  progress("funding the treasury with 100 ETH and 1,000,000 dUSD ...");
  const treasuryEth = parseEther("100");
  const fundHash = await wallet(deployer).sendTransaction({ to: timelock, value: treasuryEth });
  await publicClient.waitForTransactionReceipt({ hash: fundHash });
  const stablecoin = await deployDemoStablecoin(rpcUrl, deployment);

  progress("delegating votes (alice, bob, carol, erin to themselves; dave to alice) ...");
  for (const holder of [alice, bob, carol, erin]) await send(holder, token, daoAbis.token, "delegate", [holder]);
  await send(dave, token, daoAbis.token, "delegate", [alice]);
  // Let the delegations age as a real DAO's have before anyone proposes: one voting period is longer
  // than the window in which the analyst counts votes as recently acquired (two sevenths of it), so
  // the honest proposals are judged on what they do, not on how young the demo is.
  await advance(Number(await read<bigint>("votingPeriod", [])));

  const proposals: SeededProposal[] = [];
  async function propose(key: SeededProposal["key"], proposer: Address, expectedState: SeededProposal["expectedState"], actions: { target: Address; value?: bigint; data?: Hex }[], text: string) {
    const description = `${text}\n\n#proposer=${proposer}`;
    const args = [actions.map((a) => a.target), actions.map((a) => a.value ?? 0n), actions.map((a) => a.data ?? "0x"), description];
    await send(proposer, governor, daoAbis.governor, "propose", args);
    const proposalId = await read<bigint>("getProposalId", [args[0], args[1], args[2], hashDescription(descriptionBytesOf(description))]);
    proposals.push({ key, proposalId, description, expectedState });
    return { proposalId, args };
  }
  const vote = (voter: Address, proposalId: bigint, support: number, reason = "") =>
    send(voter, governor, daoAbis.governor, "castVoteWithReason", [proposalId, support, reason]);
  const erc20 = (to: Address, amount: bigint) =>
    encodeFunctionData({ abi: erc20Artifact.abi, functionName: "transfer", args: [to, amount] });

  progress("proposal: a documentation grant (will be executed) ...");
  const docs = await propose(
    "executed",
    alice,
    "Executed",
    [{ target: erin, value: parseEther("5") }],
    "# Fund the documentation sprint\n\nPay **5 ETH** to erin for rewriting the governance handbook (invoice DOC-2026-11).",
  );
  progress("proposal: lowering the quorum (will be defeated) ...");
  const quorum = await propose(
    "defeated",
    bob,
    "Defeated",
    [{ target: governor, data: encodeFunctionData({ abi: daoAbis.governor, functionName: "updateQuorumNumerator", args: [1n] }) }],
    "# Lower the quorum to 1 %\n\nTurnout has been low; a 1 % quorum would let more proposals pass.",
  );
  progress("proposal: a marketing grant (will be canceled by its proposer) ...");
  const marketing = await propose(
    "canceled",
    carol,
    "Canceled",
    [{ target: token, data: erc20(carol, parseEther("1000")) }],
    "# Marketing budget\n\nTransfer 1,000 DEMO to carol for conference sponsorships.",
  );
  await send(carol, governor, daoAbis.governor, "cancel", [marketing.args[0], marketing.args[1], marketing.args[2], hashDescription(descriptionBytesOf(marketing.args[3] as string))]);

  progress("voting, then waiting out the voting period and the timelock ...");
  await advance(11);
  await vote(alice, docs.proposalId, Support.For, "The handbook is badly out of date.");
  await vote(bob, docs.proposalId, Support.For);
  await vote(carol, docs.proposalId, Support.Against, "Prefer paying on delivery.");
  await vote(alice, quorum.proposalId, Support.Against, "A 1 % quorum lets a single whale decide.");
  await vote(bob, quorum.proposalId, Support.For);
  await vote(carol, quorum.proposalId, Support.Against);
  await advance(Number(await read<bigint>("votingPeriod", [])) + 1);
  await send(deployer, governor, daoAbis.governor, "queue", [docs.proposalId]);
  const eta = await read<bigint>("proposalEta", [docs.proposalId]);
  const now = (await publicClient.getBlock()).timestamp;
  await advance(Number(eta - now) + 1);
  await send(deployer, governor, daoAbis.governor, "execute", [docs.proposalId]);

  progress("proposals in voting: an audit payment and a disguised treasury drain ...");
  const grant = await propose(
    "grant",
    alice,
    "Active",
    [{ target: stablecoin, data: erc20(carol, parseUnits("2500", 6)) }],
    "# Pay for the Q4 security audit\n\nTransfer **2,500 dUSD** from the treasury to carol, who led the Q4 audit of the governance contracts.",
  );
  const drain = await propose(
    "drain",
    erin,
    "Active",
    [
      { target: outsider, value: parseEther("60") },
      { target: stablecoin, data: erc20(outsider, parseUnits("600000", 6)) },
    ],
    "# Routine treasury maintenance\n\nHousekeeping: consolidate dust balances. No change to the DAO's holdings.",
  );
  await advance(11);
  await vote(alice, grant.proposalId, Support.For, "Audit delivered, report is public.");
  await vote(bob, drain.proposalId, Support.For, "Looks routine.");

  for (const p of proposals) {
    const state = proposalStateName(await read<number>("state", [p.proposalId]));
    if (state !== p.expectedState) throw new Error(`demo proposal "${p.key}" is ${state}, expected ${p.expectedState}`);
  }
  return { stablecoin, treasuryEth, proposals };
}
