// The benchmarks' generated governance history on a local chain (test/helpers.ts startChain): 100
// funded accounts each delegating to itself, 200 proposals, every account voting on every proposal
// (20,000 votes, one block per proposal's votes), and one analysis decision per proposal on the
// DecisionLog. Automine is off while generating and blocks get explicit timestamps, so the history
// is the same block for block on every run. Used by indexer.bench.ts and ponder.bench.ts.
import { type Hex, encodeFunctionData, keccak256, parseEther, stringToHex, toHex } from "viem";
import { type PrivateKeyAccount, generatePrivateKey, privateKeyToAccount } from "viem/accounts";

import { DecisionKind, Recommendation, ReportEncoding, Support } from "@ai-dao/protocol";
import { delegateAll } from "@ai-dao/testkit";
import type { Chain } from "../test/helpers.ts";

export interface HistoryOptions {
  proposals: number;
  voters: number;
  /** Decisions published, one per proposal from the first (default: one for every proposal). */
  decisions?: number;
}

export interface History {
  /** The proposal ids, in the order proposed. */
  ids: bigint[];
  voters: PrivateKeyAccount[];
  /** The chain's head once generated. */
  head: bigint;
  votes: number;
  decisions: number;
  /** Seconds spent generating the votes. */
  votingSeconds: number;
}

export async function generateHistory(chain: Chain, options: HistoryOptions): Promise<History> {
  const { dao, connection } = chain;
  const provider = connection.provider;
  const rpc = (method: string, params: unknown[] = []) => provider.request({ method, params });
  await delegateAll(dao, connection);

  // Voters: funded with ETH and tokens, each delegating to itself.
  const voters = Array.from({ length: options.voters }, () => privateKeyToAccount(generatePrivateKey()));
  const nonces = new Map<string, number>(voters.map((v) => [v.address, 0]));
  const chainId = await dao.publicClient.getChainId();
  const send = async (account: PrivateKeyAccount, to: Hex, data: Hex) => {
    const nonce = nonces.get(account.address)!;
    nonces.set(account.address, nonce + 1);
    const raw = await account.signTransaction({ chainId, type: "eip1559", to, data, nonce, gas: 200_000n, maxFeePerGas: 100_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n });
    await rpc("eth_sendRawTransaction", [raw]);
  };
  for (const v of voters) {
    await rpc("hardhat_setBalance", [v.address, "0x8ac7230489e80000"]);
    await dao.token.write.transfer([v.address, parseEther("100")], { account: dao.accounts.alice.account });
  }
  await rpc("evm_setAutomine", [false]);
  let time = Number((await dao.publicClient.getBlock()).timestamp) + 1;
  const mine = async () => rpc("evm_mine", [time++]);
  for (const v of voters) await send(v, dao.token.address, encodeFunctionData({ abi: dao.token.abi, functionName: "delegate", args: [v.address] }));
  await mine();

  // Proposals, 50 a block.
  const ids: bigint[] = [];
  for (let i = 0; i < options.proposals; i++) {
    const proposal = { targets: [dao.token.address], values: [0n], calldatas: ["0x" as Hex], description: `# Generated proposal ${i}\nBenchmark history.` };
    await dao.governor.write.propose([proposal.targets, proposal.values, proposal.calldatas, proposal.description], { account: dao.accounts.alice.account, gas: 500_000n });
    ids.push(await dao.governor.read.hashProposal([proposal.targets, proposal.values, proposal.calldatas, keccak256(toHex(proposal.description))]));
    if (i % 50 === 49) await mine();
  }
  await mine();

  // The analyst's decisions: one analysis of each proposal, 50 a block.
  const decisions = Math.min(options.decisions ?? options.proposals, ids.length);
  for (let i = 0; i < decisions; i++) {
    const risk = (i * 7) % 101;
    const recommendation = [Recommendation.For, Recommendation.Against, Recommendation.Abstain, Recommendation.NeedsReview][i % 4]!;
    const report = stringToHex(JSON.stringify({ schemaVersion: 1, scores: { risk }, riskFloor: Math.min(risk, 10), recommendation: "for", summary: `Generated analysis ${i}.`, findings: [] }));
    await dao.decisionLog.write.publish([ids[i]!, DecisionKind.Analysis, risk, recommendation, ReportEncoding.Json, keccak256(report), report], { account: dao.accounts.analyst.account, gas: 1_000_000n });
    if (i % 50 === 49) await mine();
  }
  await mine();
  time += Number(dao.deployment.parameters.governor.votingDelay) + 1;

  // One block of votes per proposal: every voter votes.
  const votingStart = Date.now();
  for (const [i, id] of ids.entries()) {
    for (const [j, v] of voters.entries()) {
      const support = (i + j) % 3 === 0 ? Support.Against : (i + j) % 3 === 1 ? Support.For : Support.Abstain;
      await send(v, dao.governor.address, encodeFunctionData({ abi: dao.governor.abi, functionName: "castVote", args: [id, support] }));
    }
    await mine();
  }
  await rpc("evm_setAutomine", [true]);
  const head = await dao.publicClient.getBlockNumber({ cacheTime: 0 });
  const votes = await dao.publicClient.getContractEvents({ address: dao.governor.address, abi: dao.governor.abi, eventName: "VoteCast", fromBlock: 0n });
  const published = await dao.publicClient.getContractEvents({ address: dao.decisionLog.address, abi: dao.decisionLog.abi, eventName: "DecisionPublished", fromBlock: 0n });
  if (votes.length !== ids.length * voters.length) throw new Error(`generated ${votes.length} votes, expected ${ids.length * voters.length}`);
  if (published.length < decisions) throw new Error(`generated ${published.length} decisions, expected ${decisions}`);
  return { ids, voters, head, votes: votes.length, decisions: published.length, votingSeconds: (Date.now() - votingStart) / 1000 };
}
