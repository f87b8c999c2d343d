// Benchmark: a generated governance history (200 proposals, 100 funded self-delegated accounts
// voting on each: 20,000 votes) on Hardhat's in-process chain, then a fresh indexer back-fills it.
// Figures: back-fill throughput, block-to-queryable latency, auditor query latency, a normal
// query's latency while other clients flood the server (bench/abuse.ts), peak RSS.
// Writes bench/results/indexer.json at the repository root.
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { type Hex, encodeFunctionData, parseEther } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { expect, inject, it } from "vitest";

import { Support } from "@ai-dao/protocol";
import { delegateAll } from "@ai-dao/testkit";
import { repoRoot } from "../src/build.ts";
import { data, startChain, startIndexer, tempDir } from "../test/helpers.ts";
import { HEAVY_ALLOWED, abusiveBodies, measure } from "./abuse.ts";

const PROPOSALS = Number(process.env.BENCH_PROPOSALS ?? 200);
const VOTERS = Number(process.env.BENCH_VOTERS ?? 100);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

it("indexes a generated history", async () => {
  const chain = await startChain();
  const { dao, connection } = chain;
  const provider = connection.provider;
  const rpc = (method: string, params: unknown[] = []) => provider.request({ method, params });
  await delegateAll(dao, connection);

  // Voters: funded with ETH and tokens, each delegating to itself.
  const voters = Array.from({ length: VOTERS }, () => privateKeyToAccount(generatePrivateKey()));
  const nonces = new Map<string, number>(voters.map((v) => [v.address, 0]));
  const chainId = await dao.publicClient.getChainId();
  const send = async (account: (typeof voters)[number], to: Hex, data: Hex) => {
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
  for (let i = 0; i < PROPOSALS; i++) {
    const proposal = { targets: [dao.token.address], values: [0n], calldatas: ["0x" as Hex], description: `# Generated proposal ${i}\nBenchmark history.` };
    await dao.governor.write.propose([proposal.targets, proposal.values, proposal.calldatas, proposal.description], { account: dao.accounts.alice.account, gas: 500_000n });
    ids.push(await dao.governor.read.hashProposal([proposal.targets, proposal.values, proposal.calldatas, (await import("viem")).keccak256((await import("viem")).toHex(proposal.description))]));
    if (i % 50 === 49) await mine();
  }
  await mine();
  time += Number(dao.deployment.parameters.governor.votingDelay) + 1;
  // One block of votes per proposal: every voter votes.
  const generationStart = Date.now();
  for (const [i, id] of ids.entries()) {
    for (const [j, v] of voters.entries()) {
      const support = (i + j) % 3 === 0 ? Support.Against : (i + j) % 3 === 1 ? Support.For : Support.Abstain;
      await send(v, dao.governor.address, encodeFunctionData({ abi: dao.governor.abi, functionName: "castVote", args: [id, support] }));
    }
    await mine();
  }
  await rpc("evm_setAutomine", [true]);
  const head = await dao.publicClient.getBlockNumber({ cacheTime: 0 });
  const voteCount = await dao.publicClient.getContractEvents({ address: dao.governor.address, abi: dao.governor.abi, eventName: "VoteCast", fromBlock: 0n });
  expect(voteCount.length).toBe(PROPOSALS * VOTERS);
  console.log(`generated ${PROPOSALS} proposals and ${voteCount.length} votes up to block ${head} in ${Math.round((Date.now() - generationStart) / 1000)} s of voting`);

  // Back-fill from scratch.
  const dataDir = await tempDir("indexer-bench-");
  const started = performance.now();
  const app = await startIndexer(chain, inject("buildDir"), dataDir);
  await app.indexer.waitForBlock(head, 1_500_000);
  const backfillSeconds = (performance.now() - started) / 1000;
  const events = app.indexer.status.eventsProcessed;
  const throughput = events / backfillSeconds;
  console.log(`back-filled ${events} events in ${backfillSeconds.toFixed(1)} s: ${Math.round(throughput)} events/s`);

  const auditor = {
    proposals: `{ proposals(first: 100, orderBy: createdTimestamp, orderDirection: desc) { id proposalId title status createdTimestamp voteStart voteEnd forVotes againstVotes abstainVotes eta votes(first: 1000) { voter { id } support weight reason } } }`,
    decisions: `{ decisions(where: { kind: EXECUTION_GUARD }, orderBy: timestamp, orderDirection: desc) { id proposal { id title status } risk recommendation summary reportHash tx } }`,
    account: `{ account(id: "${dao.accounts.alice.account.address.toLowerCase()}") { balance delegate { id } delegatedVotes delegators { id balance } delegateChanges(orderBy: timestamp) { fromDelegate { id } toDelegate { id } timestamp tx } delegateVotesChanges(orderBy: timestamp) { previousVotes newVotes timestamp tx } } }`,
    timelock: `{ timelockOperations(orderBy: scheduledTimestamp, orderDirection: desc) { id status proposal { id title } delay readyAt calls { index target value data executed } } timelockRoleChanges(orderBy: timestamp) { roleName account sender granted timestamp tx } timelockRoleMembers(where: { active: true }) { roleName account } timelockMinDelayChanges { oldDuration newDuration timestamp tx } }`,
    pastBlock: `{ proposals(block: { number: ${Math.floor(Number(head) / 2)} }) { id status forVotes againstVotes } governors(block: { number: ${Math.floor(Number(head) / 2)} }) { votingDelay votingPeriod proposalThreshold quorumNumerator timelock } }`,
    daily: `{ dailyGovernanceSnapshots(orderBy: day, orderDirection: desc, first: 30) { date proposalsCreated votesCast forWeight againstWeight decisionsPublished executionGuardDecisions } }`,
  };
  const first = await data(app.url, auditor.proposals);
  expect(first.proposals).toHaveLength(Math.min(100, PROPOSALS));
  expect(first.proposals[0].votes).toHaveLength(VOTERS);
  const latencies: Record<string, number[]> = {};
  for (const [name, text] of Object.entries(auditor)) {
    latencies[name] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await data(app.url, text);
      latencies[name]!.push(performance.now() - t);
    }
  }
  const allLatencies = Object.values(latencies).flat();

  // Block to queryable: a delegation in a new block, polled until the query shows it.
  const lag: number[] = [];
  for (let i = 0; i < 10; i++) {
    const voter = voters[i]!;
    await dao.token.write.delegate([dao.accounts.alice.account.address], { account: dao.accounts.bob.account }).catch(() => undefined);
    await rpc("hardhat_impersonateAccount", [voter.address]);
    const target = i % 2 === 0 ? dao.accounts.alice.account.address : voter.address;
    const hash = (await rpc("eth_sendTransaction", [{ from: voter.address, to: dao.token.address, data: encodeFunctionData({ abi: dao.token.abi, functionName: "delegate", args: [target] }) }])) as Hex;
    const mined = performance.now();
    const receipt = await dao.publicClient.waitForTransactionReceipt({ hash });
    for (;;) {
      const result = await data(app.url, `{ _meta { block { number } } }`);
      if (result._meta.block.number >= Number(receipt.blockNumber)) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    lag.push(performance.now() - mined);
  }
  // Abusive load: four clients flooding with refused queries, then with the largest allowed one.
  const abuseSeconds = Number(process.env.BENCH_ABUSE_SECONDS ?? 15);
  const baseline = await measure(app.url, { bodies: [], clients: 0, streams: 0, durationMs: 5_000 });
  const abused = await measure(app.url, { bodies: abusiveBodies(), clients: 4, streams: 3, durationMs: abuseSeconds * 1000 });
  const heavy = await measure(app.url, { bodies: [HEAVY_ALLOWED], clients: 4, streams: 3, durationMs: abuseSeconds * 1000 });
  for (const [name, r] of Object.entries({ baseline, abused, heavy })) console.log(`normal query, ${name}: ${JSON.stringify(r)}`);

  const rssMb = process.resourceUsage().maxRSS / 1024;
  await app.stop();
  await chain.rpc.stop();
  await rm(dataDir, { recursive: true, force: true });

  const figures = [
    { name: "indexing throughput", value: Math.round(throughput), unit: "events/s", note: `${events} events (${PROPOSALS} proposals, ${voteCount.length} votes) from the start block to caught up, ${backfillSeconds.toFixed(1)} s` },
    { name: "block to queryable p50", value: Math.round(percentile(lag, 50)), unit: "ms", note: "poll interval 50 ms; from sending a tx (automine) to _meta showing its block" },
    { name: "block to queryable p95", value: Math.round(percentile(lag, 95)), unit: "ms", note: "10 samples" },
    { name: "auditor query p50", value: Number(percentile(allLatencies, 50).toFixed(1)), unit: "ms", note: "the six auditor queries of subgraph/README.md, 30 runs each, over HTTP" },
    { name: "auditor query p95", value: Number(percentile(allLatencies, 95).toFixed(1)), unit: "ms", note: "proposals(first: 100) with votes(first: 1000) is the slowest" },
    ...Object.entries(latencies).map(([name, values]) => ({ name: `query ${name} p50/p95`, value: Number(percentile(values, 50).toFixed(1)), unit: "ms", note: `p95 ${percentile(values, 95).toFixed(1)} ms` })),
    { name: "normal query, no load p50/p95", value: Number(baseline.p50.toFixed(1)), unit: "ms", note: `p95 ${baseline.p95.toFixed(1)} ms; the web app's proposal list (20 a page), ${baseline.samples} samples` },
    { name: "normal query under abuse p50", value: Number(abused.p50.toFixed(1)), unit: "ms", note: `4 clients × 3 loops: flood query, 32,766-id id_in, 1,000-branch or (variables and inline); ${abused.samples} samples, ${abused.failures} failed; abusers got ${JSON.stringify(abused.abuserAnswers)}` },
    { name: "normal query under abuse p95", value: Number(abused.p95.toFixed(1)), unit: "ms", note: `target < 200 ms; max ${abused.max.toFixed(1)} ms` },
    { name: "normal query, largest allowed p50/p95", value: Number(heavy.p50.toFixed(1)), unit: "ms", note: `p95 ${heavy.p95.toFixed(1)} ms, max ${heavy.max.toFixed(1)} ms: 4 clients × 3 loops of proposals(first: 100) { votes(first: 1000) } (within every limit); ${heavy.samples} samples, ${heavy.failures} failed; abusers got ${JSON.stringify(heavy.abuserAnswers)}` },
    { name: "peak memory (RSS)", value: Math.round(rssMb), unit: "MB", note: "whole process: the in-process Hardhat chain, the indexer and the benchmark" },
  ];
  for (const f of figures) console.log(`${f.name.padEnd(28)} ${String(f.value).padStart(8)} ${f.unit.padEnd(9)} ${f.note}`);
  const out = path.join(repoRoot, "bench/results");
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, "indexer.json"), `${JSON.stringify({ part: "indexer", figures }, null, 2)}\n`);
});
