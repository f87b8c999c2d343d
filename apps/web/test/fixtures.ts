// Realistic answers at the app's boundaries: /config.json, the indexer's GraphQL (graph-node shapes:
// BigInt and Bytes as strings), the analyst API and the chain's JSON-RPC. Tests pass `mockFetch`
// wherever the app would call `fetch`.
import { deflateRawSync } from "node:zlib";

import { canonicalJson } from "@ai-dao/reports";
import { decisionLogAbi, descriptionBytesOf, hashDescription, hashProposal, proposalCreatedEvent } from "@ai-dao/protocol";
import { encodeAbiParameters, encodeEventTopics, encodeFunctionData, erc20Abi, getAbiItem, keccak256, numberToHex, parseAbiParameters, stringToBytes, toHex, type Address, type Hex } from "viem";

import { runtimeConfigSchema, type RuntimeConfig } from "../src/lib/config.ts";
import { INDEX_HEALTH_QUERY, type DecisionRow, type ProposalDetail, type ProposalRow } from "../src/lib/queries.ts";

export const config: RuntimeConfig = runtimeConfigSchema.parse({
  chainId: 31337,
  rpcUrl: "http://127.0.0.1:8545",
  indexerUrl: "http://127.0.0.1:8000/subgraphs/name/dao",
  analystUrl: "http://127.0.0.1:8100",
  startBlock: 0,
  contracts: {
    token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    timelock: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    governor: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
    decisionLog: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  },
  token: { name: "Demo DAO", symbol: "DEMO", decimals: 18 },
  governor: { name: "DAO Governor", votingDelay: 10, votingPeriod: 300, quorumPercent: 4, proposalThreshold: "1000000000000000000000" },
  timelock: { minDelay: 60 },
});

export const NOW = 1_800_000_000n;
const E18 = 10n ** 18n;
export const alice = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
export const erin = "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";

export function row(overrides: Partial<ProposalRow> & { id: string }): ProposalRow {
  return {
    proposalId: overrides.id,
    title: `# Proposal ${overrides.id}`,
    proposer: { id: alice },
    status: "CREATED",
    voteStart: String(NOW - 100n),
    voteEnd: String(NOW + 200n),
    forVotes: "0",
    againstVotes: "0",
    abstainVotes: "0",
    eta: null,
    voterCount: 0,
    createdTimestamp: String(NOW - 110n),
    timelockOperation: null,
    decisions: [],
    ...overrides,
  };
}

/** One proposal in each state at NOW (total supply 1,000,000 DEMO, quorum 4 % = 40,000). */
export const listRows: ProposalRow[] = [
  row({ id: "101", title: "Fund the audit", voteStart: String(NOW + 5n), voteEnd: String(NOW + 305n) }), // Pending
  row({ id: "102", title: "Grants round 4", forVotes: String(250_000n * E18), voterCount: 1, decisions: [{ risk: 82, recommendation: "AGAINST" }] }), // Active
  row({ id: "103", title: "Pay erin", voteEnd: String(NOW - 1n), forVotes: String(400_000n * E18), againstVotes: String(100_000n * E18), voterCount: 2, decisions: [{ risk: 15, recommendation: "FOR" }] }), // Succeeded
  row({ id: "104", title: "No quorum", voteEnd: String(NOW - 1n), forVotes: String(30_000n * E18) }), // Defeated
  row({ id: "105", title: "Done", status: "EXECUTED", voteEnd: String(NOW - 1000n), eta: String(NOW - 500n) }), // Executed
];

export const reportJson = canonicalJson({
  schemaVersion: 1,
  mode: "model",
  model: "claude-test-model",
  findings: [
    { id: "treasury-outflow/recipient", check: "treasury-outflow", severity: "high", title: "Sends 1,000 DEMO to an EOA", detail: "10 % of the treasury", evidence: { callIndex: 0, amount: "1000000000000000000000" } },
    { id: "description-characters/invisible", check: "description-characters", severity: "critical", title: "Invisible characters in the description", detail: "", evidence: { codePoints: ["U+200B"] } },
  ],
  intentVsEffect: {
    claims: [{ claim: "Pay erin for design work", status: "matched", evidence: ["call:0"], explanation: "transfer(erin, 1000 DEMO)" }],
    undisclosedEffects: [],
  },
  riskFloor: 70,
  scores: { risk: 75 },
  recommendation: "needs-review",
});
/** The report as the analyst publishes it: its canonical JSON compressed with raw DEFLATE. */
export const reportBytes = toHex(deflateRawSync(reportJson, { level: 9 }));
/** keccak256 of the bytes on chain. */
export const reportHash = keccak256(reportBytes);

/** The analyst's account, as it publishes to the DecisionLog. */
export const analyst = "0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f";

/** A decision as the indexer lists it, its report the exact bytes of `json` (by default the analysis above). */
export function decisionRow(overrides: Partial<DecisionRow> & { json?: string } = {}): DecisionRow {
  const { json = reportJson, ...rest } = overrides;
  return {
    id: "0",
    decisionId: "0",
    proposalId: "102",
    proposal: { id: "102", title: "Pay erin" },
    kind: "ANALYSIS",
    actor: { id: analyst },
    risk: 75,
    riskFloor: 70,
    recommendation: "NEEDS_REVIEW",
    reportHash: keccak256(stringToBytes(json)),
    report: toHex(stringToBytes(json)),
    summary: null,
    timestamp: "1800000000",
    block: "20",
    tx: `0x${"22".repeat(32)}`,
    ...rest,
  };
}

export const description =
  "# Pay erin for design\u200B work\n\nA **bold** plan. <script>window.__pwned = true</script>\n\n<img src=x onerror=\"window.__pwned = true\">\n\n[click](javascript:window.__pwned=true)\n\n#proposer=0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

export const detail: ProposalDetail = {
  ...row({ id: "102", title: "# Pay erin for design work", forVotes: String(250_000n * E18), voterCount: 1, decisions: [{ risk: 75, recommendation: "NEEDS_REVIEW" }] }),
  description,
  descriptionHash: hashDescription(descriptionBytesOf(description)),
  originalVoteEnd: String(NOW + 200n),
  extended: false,
  createdBlock: "12",
  createdTx: `0x${"ab".repeat(32)}`,
  queuedTimestamp: null,
  executedTimestamp: null,
  canceledTimestamp: null,
  actions: [
    {
      index: 0,
      target: config.contracts.token.toLowerCase(),
      value: "0",
      signature: "",
      calldata: encodeFunctionData({ abi: erc20Abi, functionName: "transfer", args: [erin, 1000n * E18] }),
      selector: "0xa9059cbb",
      functionSignature: "transfer(address,uint256)",
    },
    { index: 1, target: erin, value: String(E18 / 2n), signature: "", calldata: "0x", selector: null, functionSignature: null },
  ],
  votes: [{ id: `102-${alice}`, voter: { id: alice }, support: 1, weight: String(250_000n * E18), reason: "looks fine", timestamp: String(NOW - 50n), tx: `0x${"cd".repeat(32)}` }],
  stateChanges: [{ status: "CREATED", eta: null, timestamp: String(NOW - 110n), tx: `0x${"ab".repeat(32)}` }],
  extensions: [],
  allDecisions: [],
};

const decisionPublished = getAbiItem({ abi: decisionLogAbi, name: "DecisionPublished" });

/** The eth_getLogs answer for a DecisionPublished event carrying `json`, compressed (encoding 1, as publishers write it) or as it is (encoding 0). */
export function decisionLog(proposalId: bigint, json: string, decisionId = 0n, encoding: 0 | 1 = 1) {
  const bytes = encoding === 1 ? toHex(deflateRawSync(json, { level: 9 })) : toHex(stringToBytes(json));
  const topics = encodeEventTopics({ abi: [decisionPublished], eventName: "DecisionPublished", args: { proposalId, kind: 0, actor: "0x23618e81e3f5cdf7f54c3d65f7fbc0abf5b21e8f" } });
  const data = encodeAbiParameters(
    [{ type: "uint256" }, { type: "uint8" }, { type: "uint8" }, { type: "uint8" }, { type: "bytes32" }, { type: "bytes" }],
    [decisionId, 75, 3, encoding, keccak256(bytes), bytes],
  );
  return {
    address: config.contracts.decisionLog.toLowerCase(),
    topics,
    data,
    blockNumber: "0x14",
    blockHash: `0x${"11".repeat(32)}`,
    transactionHash: `0x${"22".repeat(32)}`,
    transactionIndex: "0x0",
    logIndex: "0x0",
    removed: false,
  };
}

/**
 * A proposal whose description is the exact `bytes` (which need not be valid UTF-8), as the indexer
 * would show it (`indexed`: its decoded copy), and the eth_getTransactionReceipt answer of the
 * transaction that proposed it, with the Governor's ProposalCreated log.
 */
export function proposedWithBytes(bytes: Hex, indexed: string) {
  const actions = detail.actions;
  const targets = actions.map((a) => a.target as Address);
  const values = actions.map((a) => BigInt(a.value));
  const calldatas = actions.map((a) => a.calldata as Hex);
  const id = hashProposal({ targets, values, calldatas, descriptionHash: hashDescription(bytes) });
  const tx = `0x${"ef".repeat(32)}` as Hex;
  const data = encodeAbiParameters(
    parseAbiParameters("uint256, address, address[], uint256[], string[], bytes[], uint256, uint256, bytes"),
    [id, alice, targets, values, actions.map(() => ""), calldatas, NOW - 100n, NOW + 200n, bytes],
  );
  const log = {
    address: config.contracts.governor.toLowerCase(),
    topics: encodeEventTopics({ abi: [proposalCreatedEvent], eventName: "ProposalCreated" }),
    data,
    blockNumber: "0xc",
    blockHash: `0x${"11".repeat(32)}`,
    transactionHash: tx,
    transactionIndex: "0x0",
    logIndex: "0x0",
    removed: false,
  };
  const receipt = {
    transactionHash: tx,
    transactionIndex: "0x0",
    blockHash: `0x${"11".repeat(32)}`,
    blockNumber: "0xc",
    from: alice,
    to: config.contracts.governor.toLowerCase(),
    cumulativeGasUsed: "0x5208",
    gasUsed: "0x5208",
    effectiveGasPrice: "0x1",
    contractAddress: null,
    logs: [log],
    logsBloom: `0x${"00".repeat(256)}`,
    status: "0x1",
    type: "0x2",
  };
  const proposal: ProposalDetail = { ...detail, id: id.toString(), proposalId: id.toString(), description: indexed, descriptionHash: hashDescription(bytes), createdTx: tx };
  return { id: id.toString(), proposal, receipt };
}

export interface Calls {
  graphql: { query: string; variables: Record<string, unknown> }[];
  analyst: { url: string; body: unknown }[];
  rpc: { method: string; params: unknown[] }[];
}

export interface MockOptions {
  graphql?: (query: string, variables: Record<string, unknown>) => unknown;
  /** What the index health check answers (default false). */
  indexingErrors?: boolean;
  analyst?: (path: string, body: unknown) => { status: number; body: unknown };
  /** A JSON-RPC result, `{ rpcError: { code, message, data } }` for an error answer, or undefined for the default. */
  rpc?: (method: string, params: unknown[]) => unknown;
}

function block(timestamp: bigint) {
  return {
    number: "0x14",
    hash: `0x${"11".repeat(32)}`,
    parentHash: `0x${"00".repeat(32)}`,
    timestamp: numberToHex(timestamp),
    nonce: "0x0000000000000000",
    difficulty: "0x0",
    gasLimit: "0x1c9c380",
    gasUsed: "0x0",
    miner: "0x0000000000000000000000000000000000000000",
    extraData: "0x",
    baseFeePerGas: "0x1",
    logsBloom: `0x${"00".repeat(256)}`,
    transactions: [],
    uncles: [],
    size: "0x200",
    stateRoot: `0x${"00".repeat(32)}`,
    receiptsRoot: `0x${"00".repeat(32)}`,
    transactionsRoot: `0x${"00".repeat(32)}`,
    sha3Uncles: `0x${"00".repeat(32)}`,
    mixHash: `0x${"00".repeat(32)}`,
    totalDifficulty: "0x0",
  };
}

/** A fetch that answers like the indexer, the analyst API and a Hardhat node, and records every call. */
export function mockFetch(options: MockOptions = {}): { fetch: typeof fetch; calls: Calls } {
  const calls: Calls = { graphql: [], analyst: [], rpc: [] };
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const body = init?.body ? (JSON.parse(String(init.body)) as any) : undefined;
    if (url.startsWith(config.indexerUrl)) {
      // The layout's index health check, answered apart so tests see only their page's queries.
      if (body.query === INDEX_HEALTH_QUERY) return json({ data: { _meta: { hasIndexingErrors: options.indexingErrors ?? false } } });
      calls.graphql.push(body);
      return json({ data: options.graphql?.(body.query, body.variables) ?? {} });
    }
    if (url.startsWith(config.analystUrl)) {
      const path = url.slice(config.analystUrl.length);
      calls.analyst.push({ url: path, body });
      const answer = options.analyst?.(path, body) ?? { status: 404, body: { error: "no report" } };
      return json(answer.body, answer.status);
    }
    if (url.startsWith(config.rpcUrl)) {
      const requests = Array.isArray(body) ? body : [body];
      const answers = requests.map((r: { id: number; method: string; params: unknown[] }) => {
        calls.rpc.push({ method: r.method, params: r.params });
        let result = options.rpc?.(r.method, r.params);
        if (result === undefined) {
          if (r.method === "eth_chainId") result = "0x7a69";
          else if (r.method === "eth_getBlockByNumber") result = block(NOW);
          else if (r.method === "eth_blockNumber") result = "0x14";
          else if (r.method === "eth_accounts") result = [alice];
          else if (r.method === "eth_getLogs") result = [];
          else if (r.method === "eth_call") result = `0x${"00".repeat(32)}`;
          else result = null;
        }
        // `{ rpcError }`: the node's error answer (a revert carries its data).
        if (result !== null && typeof result === "object" && "rpcError" in result) return { jsonrpc: "2.0", id: r.id, error: (result as { rpcError: unknown }).rpcError };
        return { jsonrpc: "2.0", id: r.id, result };
      });
      return json(Array.isArray(body) ? answers : answers[0]);
    }
    throw new Error(`unexpected fetch ${url}`);
  };
  return { fetch: fetchImpl as typeof fetch, calls };
}

export const totals = { governors: [{ quorumNumerator: "4" }], tokens: [{ totalSupply: String(1_000_000n * E18) }] };
export type { Hex };
