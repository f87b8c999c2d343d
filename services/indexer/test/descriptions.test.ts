// Bytes are the truth: descriptions with a leading BOM, NULs and invalid UTF-8, proposed on a real
// chain, come out of GraphQL with the right proposal id, the faithful text and never a wrong hash.
// And one bad item never stops the stream: a handler that fails (nonFatalErrors) loses only its own
// event's changes, is reported, and the events after it are indexed.
import { rm } from "node:fs/promises";

import { type Hex, bytesToHex, concat, keccak256, stringToBytes } from "viem";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { Support } from "@ai-dao/protocol";
import { delegateAll, endVoting, proposeBytes, startVoting, timelockSalt } from "@ai-dao/testkit";
import type { App } from "../src/app.ts";
import { HandlerError } from "../src/runtime/host.ts";
import { type Chain, data, headBlock, query, startChain, startIndexer, tempDir } from "./helpers.ts";

const buildDir = inject("buildDir");

const utf8 = (text: string) => bytesToHex(stringToBytes(text));
const BOM = utf8("\uFEFF# Grant with a byte-order mark\nThe text starts with U+FEFF.");
const NUL = utf8("# Grant with NULs\nVisible part.\u0000Hidden after a NUL\u0000\u0000end");
// "# Invalid bytes\n" then 0xff 0xfe 0x80 (never valid UTF-8), then more text.
const INVALID = concat([utf8("# Invalid bytes\nBefore "), "0xfffe80", utf8(" after.")]) as Hex;

describe("description bytes and failing handlers", () => {
  let chain: Chain;
  let app: App;
  let dataDir: string;
  let url: string;
  const ids: Record<"bom" | "nul" | "invalid", bigint> = { bom: 0n, nul: 0n, invalid: 0n };
  let bobVoteBlock = 0n;
  let createdBlock = 0n;
  let queuedBlock = 0n;
  const lower = (a: string) => a.toLowerCase();

  beforeAll(async () => {
    chain = await startChain();
    const { dao, connection } = chain;
    const { accounts, governor } = dao;
    await delegateAll(dao, connection);
    dataDir = await tempDir();
    app = await startIndexer(chain, buildDir, dataDir);
    url = app.url;
    expect(app.subgraph.nonFatalErrors).toBe(true);

    // Bob's vote fails in the mapping after the real handler has written its changes, as a
    // deterministic mapping error would.
    const governorSource = app.subgraph.dataSources.find((d) => d.name === "DAOGovernor")!;
    const run = governorSource.mapping.runEvent.bind(governorSource.mapping);
    governorSource.mapping.runEvent = (handler, event, store, log, instances) => {
      run(handler, event, store, log, instances);
      if (handler === "handleVoteCast" && lower(event.transaction.from) === lower(accounts.bob.account.address)) {
        throw new HandlerError("DAOGovernor", handler, "deterministic failure injected by the test");
      }
    };

    const action = { targets: [accounts.dave.account.address], values: [0n], calldatas: ["0x" as Hex] };
    ids.bom = await proposeBytes(dao, accounts.alice, { ...action, descriptionBytes: BOM });
    ids.nul = await proposeBytes(dao, accounts.alice, { ...action, descriptionBytes: NUL });
    ids.invalid = await proposeBytes(dao, accounts.alice, { ...action, descriptionBytes: INVALID });
    createdBlock = await headBlock(chain);
    await startVoting(dao, connection, ids.invalid);
    for (const id of [ids.bom, ids.nul, ids.invalid]) await governor.write.castVote([id, Support.For], { account: accounts.alice.account });
    await governor.write.castVote([ids.invalid, Support.Against], { account: accounts.bob.account });
    bobVoteBlock = await headBlock(chain);
    await governor.write.castVoteWithReason([ids.invalid, Support.For, "after the failing vote"], { account: accounts.carol.account });
    await endVoting(dao, connection, ids.invalid);
    await governor.write.queue([ids.invalid]);
    queuedBlock = await headBlock(chain);
    await app.indexer.waitForBlock(queuedBlock);
  });

  afterAll(async () => {
    await app?.stop();
    await chain?.rpc.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const proposalQuery = `query ($id: ID!, $block: Int) {
    proposal(id: $id, block: { number: $block }, subgraphError: allow) { id proposalId description descriptionHash descriptionExact status timelockOperation { id salt } }
  }`;

  it("keeps a leading BOM and the proposal's exact hash", async () => {
    const { proposal } = await data(url, proposalQuery, { id: ids.bom.toString(), block: Number(queuedBlock) });
    expect(proposal.proposalId).toBe(ids.bom.toString());
    expect(proposal.description).toBe("\uFEFF# Grant with a byte-order mark\nThe text starts with U+FEFF.");
    expect(proposal.description.codePointAt(0)).toBe(0xfeff);
    expect(proposal.descriptionHash).toBe(keccak256(BOM));
    expect(proposal.descriptionExact).toBe(true);
  });

  it("keeps NULs and everything after them", async () => {
    const { proposal } = await data(url, proposalQuery, { id: ids.nul.toString(), block: Number(queuedBlock) });
    expect(proposal.description).toBe("# Grant with NULs\nVisible part.\u0000Hidden after a NUL\u0000\u0000end");
    expect(proposal.descriptionHash).toBe(keccak256(NUL));
    expect(proposal.descriptionExact).toBe(true);
    // The same through a filter on the text.
    const { proposals } = await data(url, `{ proposals(subgraphError: allow, where: { description_contains: "Hidden after" }) { id } }`);
    expect(proposals.map((p: { id: string }) => p.id)).toEqual([ids.nul.toString()]);
  });

  it("shows invalid UTF-8 as U+FFFD, stores no wrong hash, and takes the exact one from the timelock salt when queued", async () => {
    const lossy = new TextDecoder("utf-8", { ignoreBOM: true }).decode(Buffer.from(INVALID.slice(2), "hex"));
    expect(lossy).toContain("\uFFFD");
    const before = (await data(url, proposalQuery, { id: ids.invalid.toString(), block: Number(createdBlock) })).proposal;
    expect(before).toMatchObject({ proposalId: ids.invalid.toString(), description: lossy, descriptionHash: null, descriptionExact: false });
    // keccak256 of the decoded text is a different hash: it must never be stored.
    expect(keccak256(utf8(lossy))).not.toBe(keccak256(INVALID));

    const after = (await data(url, proposalQuery, { id: ids.invalid.toString(), block: Number(queuedBlock) })).proposal;
    expect(after).toMatchObject({ status: "QUEUED", description: lossy, descriptionHash: keccak256(INVALID), descriptionExact: false });
    const operationId = await chain.dao.timelock.read.hashOperationBatch([[chain.dao.accounts.dave.account.address], [0n], ["0x"], `0x${"00".repeat(32)}`, timelockSalt(chain.dao.governor.address, keccak256(INVALID))]);
    expect(after.timelockOperation).toEqual({ id: operationId, salt: timelockSalt(chain.dao.governor.address, keccak256(INVALID)) });
  });

  it("never holds a description hash other than the emitted bytes'", async () => {
    const { proposals } = await data(url, `{ proposals(subgraphError: allow) { id descriptionHash } }`);
    const bytes: Record<string, Hex> = { [ids.bom.toString()]: BOM, [ids.nul.toString()]: NUL, [ids.invalid.toString()]: INVALID };
    expect(proposals).toHaveLength(3);
    for (const p of proposals) if (p.descriptionHash !== null) expect(p.descriptionHash).toBe(keccak256(bytes[p.id]!));
  });

  it("skips the failing handler's changes, reports it, and indexes the events after it", async () => {
    const { accounts, governor } = chain.dao;
    const { proposal, bob, meta } = await data(
      url,
      `query ($id: ID!, $bob: ID!) {
        proposal(id: $id, subgraphError: allow) { forVotes againstVotes voterCount votes { voter { id } reason } }
        bob: account(id: $bob, subgraphError: allow) { votesCast }
        meta: _meta { hasIndexingErrors block { number } }
      }`,
      { id: ids.invalid.toString(), bob: lower(accounts.bob.account.address) },
    );
    const [, forVotes] = await governor.read.proposalVotes([ids.invalid]);
    // Bob's vote counts on chain, but its handler failed: no Vote, no tally, no votesCast.
    expect(proposal.againstVotes).toBe("0");
    expect(proposal.forVotes).toBe(forVotes.toString());
    expect(proposal.voterCount).toBe(2);
    expect(proposal.votes.map((v: { voter: { id: string } }) => v.voter.id).sort()).toEqual([lower(accounts.alice.account.address), lower(accounts.carol.account.address)].sort());
    expect(proposal.votes.find((v: { reason: string }) => v.reason === "after the failing vote")).toBeDefined();
    expect(bob.votesCast).toBe(0);
    expect(meta.hasIndexingErrors).toBe(true);
    expect(meta.block.number).toBeGreaterThanOrEqual(Number(queuedBlock));

    // graph-node's error policy: without `subgraphError: allow`, no data at or after the failing block.
    const denied = await query(url, `{ proposals { id } }`);
    expect(denied.errors?.[0]?.message).toMatch(new RegExp(`^indexing_error: the subgraph skipped handlers that failed at block ${bobVoteBlock}`));
    const earlier = await data(url, `query ($b: Int!) { proposals(block: { number: $b }) { id } }`, { b: Number(bobVoteBlock) - 1 });
    expect(earlier.proposals).toHaveLength(3);

    const health = (await (await fetch(new URL("/health", url))).json()) as Record<string, any>;
    expect(health).toMatchObject({ status: "ok", hasIndexingErrors: true, skippedHandlers: 1 });
    expect(health.firstSkippedHandler).toMatchObject({ block: Number(bobVoteBlock), dataSource: "DAOGovernor", handler: "handleVoteCast" });
    expect(health.firstSkippedHandler.message).toMatch(/deterministic failure injected by the test/);
    expect(app.indexer.status.error).toBeUndefined();
  });
});
