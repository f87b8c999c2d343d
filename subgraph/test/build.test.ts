import { execFile } from "node:child_process";
import { readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { dataSources, subgraphDir } from "../scripts/data-sources.ts";
import { tempDeployment } from "./fixtures.ts";
import { addresses, analysisReport, descriptionHash, operationId, proposalId, runLifecycle, salt } from "./mappings.ts";

const run = promisify(execFile);
const nodeArgs = ["--experimental-transform-types", "--disable-warning=ExperimentalWarning"];
const graph = path.join(subgraphDir, "node_modules/.bin/graph");

async function graphBin(): Promise<string> {
  // npm hoists graph-cli to the root node_modules; a workspace-local install also works.
  for (const candidate of [graph, path.join(subgraphDir, "../node_modules/.bin/graph")]) {
    if (await stat(candidate).then(() => true, () => false)) return candidate;
  }
  throw new Error("graph-cli not installed: run `npm install` at the repository root");
}

// The same steps as `npm run build`, against a sample deployment so no chain is needed, with the
// manifest and build output in a temporary directory.
let dir: string;
let buildDir: string;

beforeAll(async () => {
  const deployment = await tempDeployment(undefined, subgraphDir);
  dir = deployment.dir;
  buildDir = path.join(dir, "build");
  const manifest = path.join(dir, "subgraph.yaml");
  const options = { cwd: subgraphDir, maxBuffer: 64 * 1024 * 1024 };
  await run(process.execPath, [...nodeArgs, "scripts/abis.ts"], options);
  await run(process.execPath, [...nodeArgs, "scripts/manifest.ts", "--deployment", deployment.file, "--out", manifest], options);
  const bin = await graphBin();
  await run(bin, ["codegen", manifest, "--output-dir", "generated"], options);
  await run(bin, ["build", manifest, "--output-dir", buildDir], options);
}, 240_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("graph build", () => {
  it.each(dataSources.map((source) => source.name))("compiles the %s mapping to WASM", async (name) => {
    const wasm = await readFile(path.join(buildDir, name, `${name}.wasm`));
    expect(wasm.subarray(0, 4)).toEqual(Buffer.from([0x00, 0x61, 0x73, 0x6d]));
    expect(wasm.length).toBeGreaterThan(1000);
  });

  it("needs only the host functions the embedded indexer provides", async () => {
    const imports = new Set<string>();
    for (const source of dataSources) {
      const module = await WebAssembly.compile(await readFile(path.join(buildDir, source.name, `${source.name}.wasm`)));
      for (const entry of WebAssembly.Module.imports(module)) imports.add(`${entry.module}.${entry.name}`);
    }
    expect([...imports].sort()).toEqual([
      "conversion.typeConversion.bigIntToString",
      "conversion.typeConversion.bytesToHex",
      "env.abort",
      "index.crypto.keccak256",
      "index.log.log",
      "index.store.get",
      "index.store.set",
      "json.json.try_fromBytes",
      "numbers.bigDecimal.toString",
      "numbers.bigInt.minus",
      "numbers.bigInt.plus",
    ]);
  });

  it("writes the built manifest and schema beside the WASM", async () => {
    const manifest = await readFile(path.join(buildDir, "subgraph.yaml"), "utf8");
    expect(manifest).toContain("0x2222222222222222222222222222222222222222");
    expect(manifest).toContain("prune: never");
    const schema = await readFile(path.join(buildDir, "schema.graphql"), "utf8");
    expect(schema).toContain("type Decision @entity(immutable: true)");
  });
});

// The compiled mappings, run with the test host on a proposal's whole lifecycle.
describe("mappings", () => {
  let store: Awaited<ReturnType<typeof runLifecycle>>["store"];
  let logs: string[];

  beforeAll(async () => {
    ({ store, logs } = await runLifecycle(buildDir));
  });

  const id = proposalId.toString();

  it("records the proposal, its action and its timeline", () => {
    expect(store.plain("Proposal", id)).toMatchObject({
      proposalId,
      proposer: addresses.analyst,
      title: "Pay bob",
      descriptionHash,
      status: "EXECUTED",
      forVotes: 100n,
      againstVotes: 0n,
      abstainVotes: 0n,
      voterCount: 1,
      actionCount: 1,
      extended: true,
      decisionCount: 2,
      timelockOperation: operationId,
    });
    expect(store.plain("ProposalAction", `${id}-0`)).toMatchObject({
      target: addresses.token,
      selector: "0xa9059cbb",
      functionSignature: "transfer(address,uint256)",
    });
    const timeline = store.all("ProposalStateChange").map((change) => change.status);
    expect(timeline.sort()).toEqual(["CREATED", "EXECUTED", "QUEUED"]);
  });

  it("links the timelock operation to the proposal through the Governor's salt", () => {
    expect(store.plain("TimelockOperation", operationId)).toMatchObject({
      proposal: id,
      status: "EXECUTED",
      salt,
      delay: 60n,
      callCount: 1,
      executedCallCount: 1,
    });
    expect(store.plain("TimelockCall", `${operationId}-0`)).toMatchObject({ executed: true });
  });

  it("records votes as immutable entities with the voter's account", () => {
    expect(store.plain("Vote", `${id}-${addresses.alice}`)).toMatchObject({
      proposal: id,
      voter: addresses.alice,
      support: 1,
      choice: "FOR",
      weight: 100n,
      reason: "good",
      params: "0x",
    });
  });

  it("reads the main fields of a JSON report and keeps a non-JSON one as bytes", () => {
    expect(store.plain("Decision", "0")).toMatchObject({
      kind: "ANALYSIS",
      proposal: id,
      risk: 42,
      recommendation: "FOR",
      reportIsJson: true,
      schemaVersion: "1",
      reportRisk: analysisReport.scores.risk,
      riskFloor: analysisReport.riskFloor,
      reportRecommendation: "for",
      summary: analysisReport.summary,
      findingCount: 2,
    });
    const draft = store.plain("Decision", "2");
    expect(draft).toMatchObject({ kind: "DRAFT", recommendation: "ABSTAIN", reportIsJson: true, schemaVersion: "2.0" });
    for (const field of ["proposal", "reportRisk", "riskFloor", "findingCount", "summary"]) expect(draft).not.toHaveProperty(field);
    const guard = store.plain("Decision", "1");
    expect(guard).toMatchObject({ kind: "EXECUTION_GUARD", recommendation: "NEEDS_REVIEW", reportIsJson: false });
    expect(guard).not.toHaveProperty("summary");
  });

  it("keeps accounts, delegation and the token's supply", () => {
    expect(store.plain("Account", addresses.alice)).toMatchObject({
      balance: 100n,
      delegate: addresses.alice,
      delegatorCount: 1,
      delegatedVotes: 100n,
      votesCast: 1,
    });
    expect(store.plain("Account", addresses.analyst)).toMatchObject({ isAnalyst: true, isPublisher: true, proposalsMade: 1, decisionsPublished: 3 });
    expect(store.plain("Token", addresses.token)).toMatchObject({ totalSupply: 150n, holderCount: 3, transferCount: 3 });
  });

  it("keeps the Governor's parameters, timelock roles and daily activity", () => {
    expect(store.plain("Governor", addresses.governor)).toMatchObject({
      votingDelay: 10n,
      quorumNumerator: 4n,
      timelock: addresses.timelock,
      analystCount: 1,
      proposalCount: 1,
      queuedCount: 1,
      executedCount: 1,
      voteCount: 1,
    });
    expect(store.plain("Governor", addresses.governor)).not.toHaveProperty("proposalGuardian");
    expect(store.all("TimelockRoleMember")).toEqual([expect.objectContaining({ roleName: "PROPOSER_ROLE", active: true })]);
    expect(store.plain("Timelock", addresses.timelock)).toMatchObject({ minDelay: 60n, operationCount: 1, executedCount: 1 });
    const days = store.all("DailyGovernanceSnapshot");
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({ proposalsCreated: 1, votesCast: 1, forWeight: 100n, decisionsPublished: 3, executionGuardDecisions: 1 });
    expect(logs.filter((line) => !line.startsWith("3:"))).toEqual([]);
  });
});
