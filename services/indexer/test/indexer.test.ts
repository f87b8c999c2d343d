// The real compiled mappings on a real chain scenario, answered through GraphQL: the subgraph
// README's auditor queries asserted field by field against the contracts.
import { rm } from "node:fs/promises";
import { inflateRawSync } from "node:zlib";

import { type Hex, keccak256, zeroHash } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { descriptionHash, timelockSalt } from "@ai-dao/testkit";
import type { App } from "../src/app.ts";
import { atBlock, auditorQueries } from "./auditor-queries.ts";
import { type Chain, data, headBlock, query, startChain, startIndexer, tempDir } from "./helpers.ts";
import { type ScenarioResult, analysisReport, guardJson, runScenario } from "./scenario.ts";

const buildDir = inject("buildDir");

describe("indexer on a real chain", () => {
  let chain: Chain;
  let app: App;
  let scenario: ScenarioResult;
  let dataDir: string;
  let url: string;
  const lower = (a: string) => a.toLowerCase();

  beforeAll(async () => {
    chain = await startChain();
    scenario = await runScenario(chain);
    dataDir = await tempDir();
    app = await startIndexer(chain, buildDir, dataDir);
    url = app.url;
    await app.indexer.waitForBlock(await headBlock(chain));
  });

  afterAll(async () => {
    await app?.stop();
    await chain?.rpc.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("answers the proposals query with the contracts' tallies, votes and timeline", async () => {
    const { governor, accounts, publicClient } = chain.dao;
    const { proposals } = await data(
      url,
      `{
        proposals(first: 100, orderBy: createdTimestamp, orderDirection: desc) {
          id proposalId title status createdTimestamp voteStart voteEnd forVotes againstVotes abstainVotes eta
          votes(first: 1000) { voter { id } support weight reason }
        }
      }`,
    );
    expect(proposals).toHaveLength(2);
    const p = proposals.find((x: { id: string }) => x.id === scenario.proposalId.toString());
    const [against, forVotes, abstain] = await governor.read.proposalVotes([scenario.proposalId]);
    const created = await publicClient.getContractEvents({ address: governor.address, abi: governor.abi, eventName: "ProposalCreated", fromBlock: 0n });
    const createdBlock = await publicClient.getBlock({ blockNumber: created[0]!.blockNumber });
    expect(p).toMatchObject({
      proposalId: scenario.proposalId.toString(),
      title: "Grant to dave",
      status: "EXECUTED",
      createdTimestamp: createdBlock.timestamp.toString(),
      voteStart: (await governor.read.proposalSnapshot([scenario.proposalId])).toString(),
      voteEnd: (await governor.read.proposalDeadline([scenario.proposalId])).toString(),
      forVotes: forVotes.toString(),
      againstVotes: against.toString(),
      abstainVotes: abstain.toString(),
      eta: (await governor.read.proposalEta([scenario.proposalId])).toString(),
    });
    const casts = await publicClient.getContractEvents({ address: governor.address, abi: governor.abi, eventName: "VoteCast", fromBlock: 0n });
    expect(p.votes).toHaveLength(casts.length);
    for (const cast of casts) {
      const vote = p.votes.find((v: { voter: { id: string } }) => v.voter.id === lower(cast.args.voter!));
      expect(vote).toEqual({ voter: { id: lower(cast.args.voter!) }, support: cast.args.support, weight: cast.args.weight!.toString(), reason: cast.args.reason });
    }
    expect(p.votes.find((v: { voter: { id: string } }) => v.voter.id === lower(accounts.bob.account.address)).reason).toBe("too much");
    const canceled = proposals.find((x: { id: string }) => x.id === scenario.canceledId.toString());
    expect(canceled).toMatchObject({ status: "CANCELED", title: "Withdrawn", forVotes: "0", votes: [] });
    // desc by createdTimestamp: the canceled proposal was created later.
    expect(proposals[0].id).toBe(scenario.canceledId.toString());
  });

  it("answers the README's risk-delay query with the delay, tiers and pins the Governor holds", async () => {
    const { governor, timelock, publicClient } = chain.dao;
    const { proposal } = await data(
      url,
      `query ($proposal: ID!) {
        proposal(id: $proposal) {
          queuedTimestamp eta riskDelay riskDelayAnalysed riskDelayRisk riskDelayTier
          riskDelayTiers { tiers(orderBy: index) { tier minRisk delay } }
          decisions(where: { kind: ANALYSIS }, orderBy: decisionId) { risk }
          codePins(orderBy: index) { index target codeHash hasCode }
        }
      }`,
      { proposal: scenario.proposalId.toString() },
    );
    const earned = await governor.read.proposalRiskDelay([scenario.proposalId]);
    const [queued] = await publicClient.getContractEvents({ address: governor.address, abi: governor.abi, eventName: "ProposalQueued", fromBlock: 0n });
    const queuedAt = (await publicClient.getBlock({ blockNumber: queued!.blockNumber })).timestamp;
    expect(proposal).toMatchObject({
      queuedTimestamp: queuedAt.toString(),
      eta: (queuedAt + BigInt(earned.delay)).toString(),
      riskDelay: earned.delay.toString(),
      riskDelayAnalysed: earned.analysed,
      riskDelayRisk: earned.risk,
      riskDelayTier: earned.tier,
      decisions: [{ risk: earned.risk }],
    });
    // The analysis (risk 12) is below the first tier: the timelock's minimum.
    expect(earned).toMatchObject({ analysed: true, risk: 12, tier: 0, delay: Number(await timelock.read.getMinDelay()) });
    expect(proposal.riskDelayTiers.tiers).toEqual((await governor.read.riskTiers()).map((t, i) => ({ tier: i + 1, minRisk: t.minRisk, delay: t.delay.toString() })));
    const [created] = await publicClient.getContractEvents({ address: governor.address, abi: governor.abi, eventName: "ProposalCreated", fromBlock: 0n });
    const targets = created!.args.targets!;
    const pins = await governor.read.proposalCodePins([scenario.proposalId, BigInt(targets.length)]);
    expect(proposal.codePins).toEqual(
      await Promise.all(targets.map(async (target, index) => ({ index, target: lower(target), codeHash: pins[index], hasCode: pins[index] !== zeroHash && (await governor.read.codeHashOf([target])) === pins[index] }))),
    );
  });

  it("answers the decisions queries with the exact report bytes", async () => {
    const { accounts } = chain.dao;
    const { decisions } = await data(
      url,
      `query ($proposal: String!) {
        decisions(where: { proposal: $proposal }, orderBy: decisionId) { id kind actor { id } risk riskFloor recommendation encoding reportHash report timestamp tx }
      }`,
      { proposal: scenario.proposalId.toString() },
    );
    expect(decisions.map((d: { kind: string }) => d.kind)).toEqual(["ANALYSIS", "EXECUTION_GUARD"]);
    expect(decisions[0]).toMatchObject({ id: "0", actor: { id: lower(accounts.analyst.account.address) }, risk: 12, riskFloor: 5, recommendation: "FOR" });
    for (const d of decisions) expect(keccak256(d.report as Hex)).toBe(d.reportHash);
    expect(Buffer.from(decisions[0].report.slice(2), "hex").toString("utf8")).toBe(JSON.stringify(analysisReport));
    // The guard decision is compressed: its exact bytes and encoding, inflated by the client.
    expect(decisions.map((d: { encoding: string }) => d.encoding)).toEqual(["JSON", "DEFLATE_RAW"]);
    expect(inflateRawSync(Buffer.from(decisions[1].report.slice(2), "hex")).toString("utf8")).toBe(guardJson);
    const guards = await data(
      url,
      `{ decisions(where: { kind: EXECUTION_GUARD }, orderBy: timestamp, orderDirection: desc) { id proposal { id title status } risk recommendation summary reportHash tx } }`,
    );
    expect(guards.decisions).toEqual([
      expect.objectContaining({ id: "1", proposal: { id: scenario.proposalId.toString(), title: "Grant to dave", status: "EXECUTED" }, risk: 3, summary: null }),
    ]);
  });

  it("answers the delegation query as the token does", async () => {
    const { token, accounts } = chain.dao;
    const alice = lower(accounts.alice.account.address);
    const { account } = await data(
      url,
      `query ($account: ID!) {
        account(id: $account) {
          balance delegate { id } delegatedVotes
          delegators(orderBy: id) { id balance }
          delegateChanges(orderBy: timestamp) { fromDelegate { id } toDelegate { id } timestamp tx }
          delegateVotesChanges(orderBy: timestamp) { previousVotes newVotes timestamp tx }
        }
      }`,
      { account: alice },
    );
    expect(account.balance).toBe((await token.read.balanceOf([accounts.alice.account.address])).toString());
    expect(account.delegatedVotes).toBe((await token.read.getVotes([accounts.alice.account.address])).toString());
    expect(account.delegate).toEqual({ id: alice });
    expect(account.delegators.map((d: { id: string }) => d.id).sort()).toEqual([alice, lower(accounts.erin.account.address)].sort());
    expect(account.delegateChanges).toEqual([expect.objectContaining({ fromDelegate: null, toDelegate: { id: alice } })]);
    const last = account.delegateVotesChanges.at(-1);
    expect(last.newVotes).toBe(account.delegatedVotes);
  });

  it("answers the timelock query with the operation the Governor queued", async () => {
    const { governor, timelock } = chain.dao;
    const salt = timelockSalt(governor.address, descriptionHash(scenario.proposal));
    const p = scenario.proposal;
    const operationId = await timelock.read.hashOperationBatch([p.targets, p.values, p.calldatas, zeroHash, salt]);
    const result = await data(
      url,
      `{
        timelockOperations(orderBy: scheduledTimestamp, orderDirection: desc) { id status proposal { id title } delay readyAt calls { index target value data executed } }
        timelockRoleChanges(orderBy: timestamp) { roleName account sender granted timestamp tx }
        timelockRoleMembers(where: { active: true }) { roleName account role }
        timelockMinDelayChanges { oldDuration newDuration timestamp tx }
      }`,
    );
    expect(result.timelockOperations).toEqual([
      {
        id: operationId,
        status: "EXECUTED",
        proposal: { id: scenario.proposalId.toString(), title: "Grant to dave" },
        delay: String(chain.dao.deployment.parameters.timelock.minDelay),
        readyAt: (await governor.read.proposalEta([scenario.proposalId])).toString(),
        calls: [{ index: 0, target: lower(p.targets[0]!), value: "0", data: p.calldatas[0], executed: true }],
      },
    ]);
    expect(result.timelockRoleMembers.length).toBeGreaterThan(0);
    for (const m of result.timelockRoleMembers) expect(await timelock.read.hasRole([m.role, m.account])).toBe(true);
    expect(result.timelockMinDelayChanges).toEqual([expect.objectContaining({ oldDuration: "0", newDuration: String(chain.dao.deployment.parameters.timelock.minDelay) })]);
  });

  it("answers at a past block as of that block", async () => {
    const id = scenario.proposalId.toString();
    const q = `query ($b: Int!) { proposals(block: { number: $b }, where: { id: "${id}" }) { id status forVotes againstVotes voterCount } governors(block: { number: $b }) { votingDelay votingPeriod proposalThreshold quorumNumerator timelock } }`;
    const before = await data(url, q, { b: Number(scenario.beforeVotes) });
    expect(before.proposals).toEqual([{ id, status: "CREATED", forVotes: "0", againstVotes: "0", voterCount: 0 }]);
    const after = await data(url, q, { b: Number(scenario.afterVotes) });
    expect(after.proposals[0]).toMatchObject({ status: "CREATED", voterCount: 3 });
    const params = chain.dao.deployment.parameters.governor;
    expect(after.governors).toEqual([
      {
        votingDelay: String(params.votingDelay),
        votingPeriod: String(params.votingPeriod),
        proposalThreshold: String(params.proposalThreshold),
        quorumNumerator: String(params.quorumPercent),
        timelock: lower(chain.dao.timelock.address),
      },
    ]);
    const before1 = await data(url, `{ proposals(block: { number: ${chain.dao.deployment.startBlock} }) { id } }`);
    expect(before1.proposals).toEqual([]);
    // By hash: the block the votes ended in.
    const block = await chain.dao.publicClient.getBlock({ blockNumber: scenario.afterVotes });
    const byHash = await data(url, `{ proposal(id: "${id}", block: { hash: "${block.hash}" }) { voterCount } }`);
    expect(byHash.proposal).toEqual({ voterCount: 3 });
  });

  it("answers the daily activity query and _meta", async () => {
    const { dailyGovernanceSnapshots } = await data(
      url,
      `{ dailyGovernanceSnapshots(orderBy: day, orderDirection: desc, first: 30) { date proposalsCreated votesCast forWeight againstWeight decisionsPublished executionGuardDecisions } }`,
    );
    const sum = (k: string) => dailyGovernanceSnapshots.reduce((n: number, s: Record<string, number>) => n + s[k]!, 0);
    expect(sum("proposalsCreated")).toBe(2);
    expect(sum("votesCast")).toBe(3);
    expect(sum("decisionsPublished")).toBe(2);
    expect(sum("executionGuardDecisions")).toBe(1);
    const head = await chain.dao.publicClient.getBlock({ blockTag: "latest" });
    const { _meta } = await data(url, `{ _meta { block { number hash timestamp } deployment hasIndexingErrors } }`);
    expect(_meta).toEqual({
      block: { number: Number(head.number), hash: head.hash, timestamp: Number(head.timestamp) },
      deployment: app.subgraph.deployment,
      hasIndexingErrors: false,
    });
  });

  it("answers every auditor query of the subgraph README as it is written there", async () => {
    const values: Record<string, string> = {
      proposal: scenario.proposalId.toString(),
      account: lower(chain.dao.accounts.alice.account.address),
      treasury: lower(chain.dao.timelock.address),
    };
    const { _meta } = await data(url, `{ _meta { block { number } } }`);
    const queries = auditorQueries();
    expect(queries.length).toBeGreaterThanOrEqual(10);
    for (const q of queries) {
      const variables = Object.fromEntries(q.variables.map((v) => [v, values[v]]));
      expect(Object.values(variables), q.name).not.toContain(undefined);
      const result = await query(url, atBlock(q.text, _meta.block.number), variables);
      expect(result.errors, q.name).toBeUndefined();
      // Each root field answers: the scenario's proposal and account exist, lists are never null.
      const roots = Object.keys(result.data ?? {});
      expect(roots.length, q.name).toBeGreaterThan(0);
      for (const field of roots) expect(result.data[field], `${q.name}: ${field}`).not.toBeNull();
    }
    expect(queries.map((q) => q.name)).toContain("proposal ($proposal)");
  });

  it("follows new blocks after catching up", async () => {
    const { token, accounts } = chain.dao;
    await token.write.delegate([accounts.bob.account.address], { account: accounts.dave.account });
    const head = await headBlock(chain);
    await app.indexer.waitForBlock(head, 10_000);
    const { account } = await data(url, `{ account(id: "${lower(accounts.dave.account.address)}") { delegate { id } } }`);
    expect(account.delegate).toEqual({ id: lower(accounts.bob.account.address) });
  });

  it("filters like graph-node: suffix operators, nested filters, and/or, derived fields", async () => {
    const { accounts } = chain.dao;
    const id = scenario.proposalId.toString();
    const ids = async (text: string) => (await data(url, text)).votes.map((v: { voter: { id: string } }) => v.voter.id).sort();
    const alice = lower(accounts.alice.account.address);
    const bob = lower(accounts.bob.account.address);
    const carol = lower(accounts.carol.account.address);
    expect(await ids(`{ votes(where: { support: 1 }) { voter { id } } }`)).toEqual([alice]);
    expect(await ids(`{ votes(where: { support_not: 1 }) { voter { id } } }`)).toEqual([bob, carol].sort());
    expect(await ids(`{ votes(where: { support_in: [0, 2] }) { voter { id } } }`)).toEqual([bob, carol].sort());
    expect(await ids(`{ votes(where: { support_not_in: [0, 2] }) { voter { id } } }`)).toEqual([alice]);
    const weights = await data(url, `{ votes(orderBy: weight) { weight voter { id } } }`);
    const middle = weights.votes[1].weight;
    expect(await ids(`{ votes(where: { weight_gt: "${middle}" }) { voter { id } } }`)).toEqual([weights.votes[2].voter.id]);
    expect(await ids(`{ votes(where: { weight_gte: "${middle}" }) { voter { id } } }`)).toHaveLength(2);
    expect(await ids(`{ votes(where: { weight_lt: "${middle}" }) { voter { id } } }`)).toEqual([weights.votes[0].voter.id]);
    expect(await ids(`{ votes(where: { weight_lte: "${middle}" }) { voter { id } } }`)).toHaveLength(2);
    expect(await ids(`{ votes(where: { reason_contains: "much" }) { voter { id } } }`)).toEqual([bob]);
    expect(await ids(`{ votes(where: { reason_contains_nocase: "TOO" }) { voter { id } } }`)).toEqual([bob]);
    expect(await ids(`{ votes(where: { reason_not_contains: "much" }) { voter { id } } }`)).toEqual([alice, carol].sort());
    expect(await ids(`{ votes(where: { reason_starts_with: "too" }) { voter { id } } }`)).toEqual([bob]);
    expect(await ids(`{ votes(where: { reason_starts_with_nocase: "TOO" }) { voter { id } } }`)).toEqual([bob]);
    expect(await ids(`{ votes(where: { reason_ends_with: "much" }) { voter { id } } }`)).toEqual([bob]);
    expect(await ids(`{ votes(where: { reason_not_ends_with_nocase: "MUCH" }) { voter { id } } }`)).toEqual([alice, carol].sort());
    expect(await ids(`{ votes(where: { voter: "${alice}" }) { voter { id } } }`)).toEqual([alice]);
    expect(await ids(`{ votes(where: { voter_: { delegatorCount_gt: 1, delegate: "${alice}" } }) { voter { id } } }`)).toEqual([alice]);
    expect(await ids(`{ votes(where: { proposal_: { status: EXECUTED } }) { voter { id } } }`)).toHaveLength(3);
    expect(await ids(`{ votes(where: { proposal_: { status: CANCELED } }) { voter { id } } }`)).toEqual([]);
    expect(await ids(`{ votes(where: { or: [{ support: 0 }, { support: 2 }] }) { voter { id } } }`)).toEqual([bob, carol].sort());
    expect(await ids(`{ votes(where: { and: [{ support_in: [0, 1] }, { reason: "" }] }) { voter { id } } }`)).toEqual([alice]);
    // Derived-field filter: proposals with a vote by bob.
    const withBob = await data(url, `{ proposals(where: { votes_: { voter: "${bob}" } }) { id } }`);
    expect(withBob.proposals).toEqual([{ id }]);
    const bytes = await data(url, `{ decisions(where: { report_contains: "0x7B22", tx_not: null, kind_in: [ANALYSIS, DRAFT] }) { id } }`);
    expect(bytes.decisions).toEqual([{ id: "0" }]);
    // _change_block: entities changed at or after the vote block.
    const changed = await data(url, `{ votes(where: { _change_block: { number_gte: ${Number(scenario.afterVotes) + 1} } }) { id } }`);
    expect(changed.votes).toEqual([]);
  });

  it("orders and paginates like graph-node", async () => {
    const all = (await data(url, `{ accounts(first: 1000) { id balance } }`)).accounts as { id: string; balance: string }[];
    expect(all.map((a) => a.id)).toEqual([...all.map((a) => a.id)].sort());
    const byBalance = (await data(url, `{ accounts(first: 1000, orderBy: balance, orderDirection: desc) { id balance } }`)).accounts as { id: string; balance: string }[];
    const sorted = [...all].sort((a, b) => (BigInt(b.balance) > BigInt(a.balance) ? 1 : BigInt(b.balance) < BigInt(a.balance) ? -1 : a.id < b.id ? 1 : -1));
    expect(byBalance.map((a) => a.balance)).toEqual(sorted.map((a) => a.balance));
    const page = (await data(url, `{ accounts(first: 3, skip: 2, orderBy: balance, orderDirection: desc) { id } }`)).accounts;
    expect(page.map((a: { id: string }) => a.id)).toEqual(byBalance.slice(2, 5).map((a) => a.id));
    const nested = (await data(url, `{ votes(orderBy: voter__balance, orderDirection: asc) { voter { balance } } }`)).votes;
    const balances = nested.map((v: { voter: { balance: string } }) => BigInt(v.voter.balance));
    expect(balances).toEqual([...balances].sort((a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0)));
    const derived = (await data(url, `{ proposal(id: "${scenario.proposalId}") { votes(first: 1, skip: 1, orderBy: weight, orderDirection: desc) { weight } } }`)).proposal.votes;
    const weights = (await data(url, `{ votes(orderBy: weight, orderDirection: desc) { weight } }`)).votes;
    expect(derived).toEqual([weights[1]]);
    expect((await data(url, `{ accounts(first: 0) { id } }`)).accounts).toEqual([]);
    const gte = await data(url, `{ proposals(block: { number_gte: ${Number(scenario.afterVotes)} }) { id } _meta(block: { number: ${Number(scenario.afterVotes)} }) { block { number } } }`);
    expect(gte.proposals).toHaveLength(2);
    expect(gte._meta.block.number).toBe(Number(scenario.afterVotes));
  });

  it("answers GET /health", async () => {
    const res = await fetch(new URL("/health", url));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", hasIndexingErrors: false });
  });

  it("answers GET /metrics with where indexing stands, as Prometheus text", async () => {
    const res = await fetch(new URL("/metrics", url));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await res.text();
    const health = (await (await fetch(new URL("/health", url))).json()) as { block: number };
    expect(text).toContain(`indexer_block_number ${health.block}`);
    expect(text).toMatch(/indexer_synced 1/);
    expect(text).toMatch(/indexer_rpc_down 0/);
    expect(text).toMatch(/indexer_failed 0/);
    expect(text).toMatch(/indexer_process_cpu_user_seconds_total/);
  });

  it("answers bad queries with GraphQL errors and keeps serving", async () => {
    const cases: [string, RegExp][] = [
      ["{ proposals(first: 5000) { id } }", /`first` argument must be between 0 and 1000/],
      ["{ proposals(skip: 100000) { id } }", /`skip` argument must be between 0 and 5000/],
      ["{ proposals { nope } }", /Cannot query field "nope"/],
      ["{ proposals(where: { nope: 1 }) { id } }", /"nope" is not defined/],
      ["{ proposals(block: { number: 99999999 }) { id } }", /only indexed up to block number/],
      [`{ proposals(block: { hash: "0x${"ab".repeat(32)}" }) { id } }`, /no block with hash/],
      ["{ proposals(where: { forVotes_gt: \"ten\" }) { id } }", /BigInt cannot represent/],
      ["{ proposals { id", /Syntax Error/],
      [`{ accounts { delegate { delegate { delegate { delegate { delegate { delegate { delegate { delegate { delegate { delegate { id } } } } } } } } } } } }`, /nested 11 levels deep; the limit is 10/],
      [`{ ${"a".repeat(25_000)} }`, /characters long; the limit is 20000/],
    ];
    for (const [text, message] of cases) {
      const result = await query(url, text);
      expect(result.errors?.[0]?.message, text.slice(0, 60)).toMatch(message);
    }
    const ok = await data(url, "{ governors { id } }");
    expect(ok.governors).toHaveLength(1);
  });
});
