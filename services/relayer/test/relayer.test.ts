// The relayer against the real compiled contracts on an in-process Hardhat chain, through its HTTP API:
// what it relays lands with the signer as voter or delegator, and what it refuses costs it nothing.
import { network } from "hardhat";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { parseEther, parseEventLogs, parseSignature, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { governorAbi, ProposalState, Support, tokenAbi } from "@ai-dao/protocol";
import { devAccount, ethTransfer, propose, startVoting, type LocalDAO } from "@ai-dao/testkit";

import type { Relayer } from "../src/relayer.ts";
import { clientOf, makeRelayer, RELAYER_INDEX, serve, setupDAO, signedBallot, signedDelegation, tempDir } from "./helpers.ts";

const connection = await network.create();
const client = clientOf(connection);
let dao: LocalDAO;
let relayer: Relayer;
let api: Awaited<ReturnType<typeof serve>>;
/** A member who holds tokens but no ETH at all. */
const member = privateKeyToAccount(generatePrivateKey());
const relayerAddress = devAccount(RELAYER_INDEX).address;
let proposalId: bigint;

const account = (name: "alice" | "bob" | "carol" | "dave" | "erin" | "outsider" | "analyst") => dao.accounts[name].account as unknown as Parameters<typeof signedBallot>[1];
const chainNow = async () => (await client.getBlock({ blockTag: "latest" })).timestamp;
const gasOf = async (address = relayerAddress) => ({ nonce: await client.getTransactionCount({ address }), balance: await client.getBalance({ address }) });

beforeAll(async () => {
  dao = await setupDAO(connection);
  relayer = makeRelayer(dao, connection);
  api = await serve(relayer);
});

afterAll(async () => {
  await api?.close();
  await connection.close();
});

/** Signs with the development accounts' keys (wallet clients cannot sign typed data offline). */
function dev(name: "alice" | "bob" | "carol" | "dave" | "erin" | "outsider" | "analyst") {
  const index = { alice: 1, bob: 2, carol: 3, dave: 4, erin: 5, outsider: 6, analyst: 8 }[name];
  const a = devAccount(index);
  expect(a.address.toLowerCase()).toBe(account(name).address.toLowerCase());
  return a;
}

describe("relayed for a member without ETH", () => {
  it("a delegation lands with the signer as delegator, paid by the relayer; sent twice it is one transaction", async () => {
    await dao.token.write.transfer([member.address, parseEther("5000")], { account: dao.accounts.alice.account });
    const body = await signedDelegation(dao, member, { delegatee: member.address, expiry: (await chainNow()) + 3600n });
    const before = await gasOf();

    const first = await api.post("/delegate", body);
    expect(first.status).toBe(202);
    expect(first.json).toMatchObject({ duplicate: false, relay: { kind: "delegate", signer: member.address }, statusUrl: `/tx/${first.json.relay.id}` });
    await relayer.tickUntil(() => relayer.view(first.json.relay.id)?.status === "confirmed");

    expect(await dao.token.read.delegates([member.address])).toBe(member.address);
    expect(await dao.token.read.getVotes([member.address])).toBe(parseEther("5000"));
    const status = await api.get(`/tx/${first.json.relay.id}`);
    expect(status.json.relay).toMatchObject({ status: "confirmed", kind: "delegate", signer: member.address });
    const receipt = await client.getTransactionReceipt({ hash: status.json.relay.hash });
    expect(receipt.from.toLowerCase()).toBe(relayerAddress.toLowerCase());
    const [changed] = parseEventLogs({ abi: tokenAbi, logs: receipt.logs, eventName: "DelegateChanged" });
    expect(changed!.args).toMatchObject({ delegator: member.address, toDelegate: member.address });
    expect(BigInt(status.json.relay.feeWei)).toBe(receipt.gasUsed * receipt.effectiveGasPrice);

    const after = await gasOf();
    expect(after.nonce).toBe(before.nonce + 1);
    expect(before.balance - after.balance).toBe(receipt.gasUsed * receipt.effectiveGasPrice);
    expect(await client.getBalance({ address: member.address })).toBe(0n);

    // The same signed delegation again: its existing record, nothing sent.
    const again = await api.post("/delegate", body);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ duplicate: true, relay: { id: first.json.relay.id, status: "confirmed" } });
    expect(await gasOf()).toEqual(after);
  });

  it("a vote lands with the signer as voter, and a ballot with a reason keeps its exact text", async () => {
    proposalId = await propose(dao, dao.accounts.alice.account.address, ethTransfer(dao.accounts.erin.account.address, 1n, "Relayer test: pay erin 1 wei"));
    await startVoting(dao, connection, proposalId);
    expect(await dao.governor.read.state([proposalId])).toBe(ProposalState.Active);

    const vote = await api.post("/vote", await signedBallot(dao, member, { proposalId, support: Support.For }));
    expect(vote.status).toBe(202);
    // An ExtendedBallot (castVoteWithReasonAndParamsBySig): accents, an emoji, right-to-left text, a combining mark.
    const reason = "Dafür ✅ — שלום «ok» e\u0301 🇪🇺";
    const carol = dev("carol");
    const withReason = await api.post("/vote", await signedBallot(dao, carol, { proposalId, support: Support.Against, reason, params: "0x" }));
    expect(withReason.status).toBe(202);
    await relayer.tickUntil(() => [vote, withReason].every((r) => relayer.view(r.json.relay.id)?.status === "confirmed"));

    expect(await dao.governor.read.hasVoted([proposalId, member.address])).toBe(true);
    expect(await dao.governor.read.hasVoted([proposalId, carol.address])).toBe(true);
    const logs = await client.getContractEvents({ address: dao.governor.address, abi: governorAbi, fromBlock: 0n });
    const casts = parseEventLogs({ abi: governorAbi, logs, eventName: ["VoteCast", "VoteCastWithParams"] }).filter((l) => l.args.proposalId === proposalId);
    const byVoter = Object.fromEntries(casts.map((l) => [l.args.voter, l.args]));
    expect(byVoter[member.address]).toMatchObject({ support: Support.For, weight: parseEther("5000") });
    expect(byVoter[carol.address]).toMatchObject({ support: Support.Against, reason });
    const [forVotes, againstVotes] = [(await dao.governor.read.proposalVotes([proposalId]))[1], (await dao.governor.read.proposalVotes([proposalId]))[0]];
    expect(forVotes).toBe(parseEther("5000"));
    expect(againstVotes).toBe(await dao.token.read.getVotes([carol.address]));
    expect(await client.getBalance({ address: member.address })).toBe(0n);
  });
});

describe("refusals cost nothing", () => {
  /** Posts and expects a refusal with `code`; the relayer's nonce and balance stay as they were. */
  async function refused(route: "/vote" | "/delegate", body: unknown, code: string, status?: number, server = api, address = relayerAddress) {
    const before = await gasOf(address);
    const r = await server.post(route, body);
    expect(r.json.error?.code, JSON.stringify(r.json)).toBe(code);
    if (status !== undefined) expect(r.status).toBe(status);
    expect(r.json.error.message).toMatch(/\S.*\./);
    expect(r.json.error.selfSend).toMatch(/send this transaction yourself/);
    expect(await gasOf(address)).toEqual(before);
    return r.json.error;
  }

  it("replayed: a delegation already used on chain", async () => {
    const bob = dev("bob");
    const body = await signedDelegation(dao, bob, { delegatee: dao.accounts.carol.account.address, expiry: (await chainNow()) + 3600n });
    const { r, s, v } = parseSignature(body.signature);
    // Someone else sends the signed delegation first.
    await dao.token.write.delegateBySig([body.delegatee, body.nonce, body.expiry, Number(v), r, s], { account: dao.accounts.deployer.account });
    expect((await dao.token.read.delegates([bob.address])).toLowerCase()).toBe(body.delegatee.toLowerCase());
    const error = await refused("/delegate", body, "REPLAYED", 409);
    expect(error.details).toMatchObject({ nonce: "0", onChain: "1" });
  });

  it("expired: a delegation past its expiry on chain time", async () => {
    const body = await signedDelegation(dao, dev("dave"), { delegatee: dao.accounts.erin.account.address, expiry: (await chainNow()) - 1n });
    await refused("/delegate", body, "EXPIRED", 400);
  });

  it("wrong chain: signed for another chain, said so; claiming ours with another chain's signature is a bad signature", async () => {
    const signedFor1 = await signedBallot(dao, dev("erin"), { proposalId, support: Support.For, chainId: 1 });
    const error = await refused("/vote", signedFor1, "WRONG_CHAIN", 400);
    expect(error.message).toMatch(/chain 31337 only.*chain 1\b/);
    await refused("/vote", { ...signedFor1, chainId: 31337 }, "BAD_SIGNATURE", 400);
  });

  it("wrong nonce, someone else's signature, a malleable signature", async () => {
    const erin = dev("erin");
    const ahead = await signedBallot(dao, erin, { proposalId, support: Support.For, nonce: 1n });
    expect((await refused("/vote", ahead, "BAD_NONCE", 409)).details).toMatchObject({ nonce: "1", onChain: "0" });
    const byDave = await signedBallot(dao, dev("dave"), { proposalId, support: Support.For });
    await refused("/vote", { ...byDave, voter: erin.address }, "BAD_SIGNATURE");
    // The same signature with s' = n - s and the other v: valid math, refused by OpenZeppelin's ECDSA.
    const good = await signedBallot(dao, erin, { proposalId, support: Support.For });
    const sig = parseSignature(good.signature as Hex);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const highS = `0x${sig.r.slice(2)}${(n - BigInt(sig.s)).toString(16).padStart(64, "0")}${sig.yParity === 0 ? "1c" : "1b"}`;
    await refused("/vote", { ...good, signature: highS }, "BAD_SIGNATURE");
  });

  it("no votes at the snapshot, already voted, not active, unknown proposal", async () => {
    await refused("/vote", await signedBallot(dao, dev("outsider"), { proposalId, support: Support.For }), "NO_VOTES", 403);
    await dao.governor.write.castVote([proposalId, Support.Abstain], { account: dao.accounts.bob.account });
    await refused("/vote", await signedBallot(dao, dev("bob"), { proposalId, support: Support.For }), "ALREADY_VOTED", 409);
    const pending = await propose(dao, dao.accounts.alice.account.address, ethTransfer(dao.accounts.erin.account.address, 2n, "Relayer test: not yet open"));
    const error = await refused("/vote", await signedBallot(dao, dev("erin"), { proposalId: pending, support: Support.For }), "NOT_ACTIVE", 409);
    expect(error.details).toMatchObject({ state: "Pending" });
    await refused("/vote", await signedBallot(dao, dev("erin"), { proposalId: 123n, support: Support.For }), "UNKNOWN_PROPOSAL", 404);
  });

  it("pending: a second ballot of a signer whose first is not mined yet", async () => {
    const erin = dev("erin");
    await connection.provider.request({ method: "evm_setAutomine", params: [false] });
    try {
      const first = await api.post("/vote", await signedBallot(dao, erin, { proposalId, support: Support.For }));
      expect(first.status).toBe(202);
      expect(first.json.relay.status).toBe("sent");
      const pendingNonce = await client.getTransactionCount({ address: relayerAddress, blockTag: "pending" });
      const error = await refused("/vote", await signedBallot(dao, erin, { proposalId, support: Support.Against }), "PENDING", 409);
      expect(error.details).toMatchObject({ pending: first.json.relay.id });
      expect(await client.getTransactionCount({ address: relayerAddress, blockTag: "pending" })).toBe(pendingNonce);
      await connection.networkHelpers.mine();
      await relayer.tickUntil(() => relayer.view(first.json.relay.id)?.status === "confirmed");
    } finally {
      await connection.provider.request({ method: "evm_setAutomine", params: [true] });
    }
    expect(await dao.governor.read.hasVoted([proposalId, erin.address])).toBe(true);
  });

  it("a relayed vote the member then casts themselves is cancelled, not mined as a reverting call", async () => {
    const alice = dev("alice");
    await connection.provider.request({ method: "evm_setAutomine", params: [false] });
    let relayId: string;
    try {
      const relayed = await api.post("/vote", await signedBallot(dao, alice, { proposalId, support: Support.For }));
      expect(relayed.status).toBe(202);
      relayId = relayed.json.relay.id;
      // The node loses it (a restart, an eviction), and meanwhile the member votes from their wallet.
      await connection.provider.request({ method: "hardhat_dropTransaction", params: [relayed.json.relay.hash] });
    } finally {
      await connection.provider.request({ method: "evm_setAutomine", params: [true] });
    }
    await dao.governor.write.castVote([proposalId, Support.Against], { account: dao.accounts.alice.account });
    const before = await gasOf();
    await relayer.tickUntil(() => relayer.view(relayId)?.status === "cancelled");
    const after = await gasOf();
    expect(after.nonce).toBe(before.nonce + 1); // the nonce is used by a 0-value self-transfer
    const receipt = await client.getTransactionReceipt({ hash: relayer.view(relayId)!.hash });
    expect(receipt.to?.toLowerCase()).toBe(relayerAddress.toLowerCase());
    expect(receipt.gasUsed).toBe(21_000n);
    const logs = await client.getContractEvents({ address: dao.governor.address, abi: governorAbi, fromBlock: 0n });
    const aliceVotes = parseEventLogs({ abi: governorAbi, logs, eventName: "VoteCast" }).filter((l) => l.args.proposalId === proposalId && l.args.voter.toLowerCase() === alice.address.toLowerCase());
    expect(aliceVotes.map((l) => l.args.support)).toEqual([Support.Against]);
    expect((await api.get(`/tx/${relayId}`)).json.relay).toMatchObject({ status: "cancelled", feeWei: (receipt.gasUsed * receipt.effectiveGasPrice).toString() });
  });

  it("hostile bodies: malformed JSON, unknown fields, unpaired surrogates, numbers out of range, a huge body", async () => {
    const good = await signedBallot(dao, dev("erin"), { proposalId, support: Support.For, reason: "ok" });
    await refused("/vote", "{not json", "BAD_REQUEST", 400);
    await refused("/vote", "\"a string\"", "BAD_REQUEST", 400);
    await refused("/vote", { ...good, extra: 1 }, "BAD_REQUEST", 400);
    // JSON.stringify would escape the lone surrogate as \ud800: exactly what a hostile client sends.
    const surrogate = await refused("/vote", JSON.stringify({ ...good, nonce: good.nonce.toString(), proposalId: good.proposalId.toString(), reason: "a\ud800b" }), "BAD_REQUEST", 400);
    expect(surrogate.message).toMatch(/reason must be well-formed Unicode/);
    await refused("/vote", { ...good, proposalId: `1${"0".repeat(80)}` }, "BAD_REQUEST", 400);
    expect((await refused("/vote", { ...good, reason: "x".repeat(3_000) }, "BAD_REQUEST", 400)).message).toMatch(/at most 2000 bytes/);
    await refused("/delegate", { ...good, padding: "x".repeat(40_000) }, "PAYLOAD_TOO_LARGE", 413);
  });

  it("over budget: per account and per day, persisted across a restart", async () => {
    const dataDir = tempDir();
    const budget = { dailyWei: parseEther("1"), dailyTxs: 100, accountDailyWei: parseEther("1"), accountDailyTxs: 1 };
    const limited = makeRelayer(dao, connection, { accountIndex: 11, dataDir, budget });
    const server = await serve(limited);
    const address = devAccount(11).address;
    try {
      const dave = dev("dave");
      const accepted = await server.post("/vote", await signedBallot(dao, dave, { proposalId, support: Support.For }));
      expect(accepted.status).toBe(202);
      await limited.tickUntil(() => limited.view(accepted.json.relay.id)?.status === "confirmed");
      const delegation = await signedDelegation(dao, dave, { delegatee: dao.accounts.alice.account.address, expiry: (await chainNow()) + 3600n });
      expect((await refused("/delegate", delegation, "OVER_BUDGET", 429, server, address)).details).toMatchObject({ scope: "account", txs: 1 });

      // A restart reads what was spent from the database.
      limited.sender.journal.db.close();
      const restarted = makeRelayer(dao, connection, { accountIndex: 11, dataDir, budget });
      const server2 = await serve(restarted);
      try {
        await refused("/delegate", delegation, "OVER_BUDGET", 429, server2, address);
        expect((await server2.get(`/budget?account=${dave.address}`)).json).toMatchObject({ account: { txs: 0, wei: expect.any(String) }, daily: { txs: 99 } });
      } finally {
        await server2.close();
      }

      // A daily budget smaller than one transaction: everyone is refused.
      const broke = makeRelayer(dao, connection, { accountIndex: 11, budget: { ...budget, dailyWei: 1n } });
      const server3 = await serve(broke);
      try {
        const error = await refused("/delegate", delegation, "OVER_BUDGET", 429, server3, address);
        expect(error.details).toMatchObject({ scope: "daily" });
      } finally {
        await server3.close();
      }
    } finally {
      await server.close();
    }
  });

  it("rate limited per IP, with Retry-After", async () => {
    const server = await serve(relayer, { ratePerIp: 2 });
    try {
      const body = "{";
      await server.post("/vote", body);
      await server.post("/vote", body);
      const before = await gasOf();
      const third = await server.post("/vote", body);
      expect(third.status).toBe(429);
      expect(third.json.error.code).toBe("RATE_LIMITED");
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await gasOf()).toEqual(before);
    } finally {
      await server.close();
    }
  });

  it("counts relays and refusals by code in /metrics, and answers the web app's origin only", async () => {
    const text = (await api.get("/metrics")).text;
    expect(text).toMatch(/relayer_relayed_total\{kind="vote"\} 4/);
    expect(text).toMatch(/relayer_relayed_total\{kind="delegate"\} 1/);
    expect(text).toMatch(/relayer_refused_total\{kind="vote",code="NO_VOTES"\} 1/);
    expect(text).toMatch(/relayer_refused_total\{kind="delegate",code="PAYLOAD_TOO_LARGE"\} 1/);
    // Malformed JSON (refused by the server) and invalid fields (refused by the relayer), each counted
    // once: six hostile bodies and the two before the rate limit.
    expect(text).toMatch(/relayer_refused_total\{kind="vote",code="BAD_REQUEST"\} 8\n/);
    await relayer.tick();
    const spent = Number(/^relayer_spent_today_wei (\S+)$/m.exec((await api.get("/metrics")).text)![1]);
    expect(spent).toBeGreaterThan(0);

    const allowed = await fetch(`${api.base}/vote`, { method: "OPTIONS", headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    const other = await fetch(`${api.base}/vote`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const health = await api.get("/health");
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: "ok", chainId: 31337, address: relayerAddress });
    expect((await api.get(`/tx/0x${"00".repeat(32)}`)).status).toBe(404);
  });
});
