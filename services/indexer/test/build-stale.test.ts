// When the indexer rebuilds the subgraph: a build made for another treasury asset list is stale, so
// listing an asset in the deployment file gets it indexed on the next start.
import { appendFile, mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { parseDeployment, treasuryAssetSources } from "@ai-dao/deployment";
import { sampleAttachedDeployment, sampleDeployment } from "@ai-dao/testkit/deployment";
import { afterEach, describe, expect, it } from "vitest";
import YAML from "yaml";

import { overridesFromDeployment } from "../src/app.ts";
import { INPUTS_FILE, inputsHash, staleReason } from "../src/build.ts";

const ASSET = "0x5555555555555555555555555555555555555555";
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A build directory whose manifest has the DAO's four data sources (by default the platform's own) and the given asset sources. */
async function buildFor(deployment: ReturnType<typeof parseDeployment>, assets: { name: string; address: string }[], names = ["DAOGovernor", "DAOToken", "TimelockController", "DecisionLog"]) {
  const dir = await mkdtemp(path.join(tmpdir(), "indexer-build-"));
  dirs.push(dir);
  const contracts = [deployment.contracts.governor, deployment.contracts.token, deployment.contracts.timelock, deployment.contracts.decisionLog];
  const dao = names.map((name, i) => [name, contracts[i]!]);
  const dataSources = [...dao, ...assets.map((a) => [a.name, a.address])].map(([name, address]) => ({ name, source: { address, startBlock: deployment.startBlock } }));
  await writeFile(path.join(dir, "subgraph.yaml"), YAML.stringify({ dataSources }));
  // Built from the current inputs, so only the data sources decide.
  await writeFile(path.join(dir, INPUTS_FILE), `${await inputsHash()}\n`);
  return dir;
}

describe("staleReason with treasury assets", () => {
  const withAsset = parseDeployment({ ...sampleDeployment(), treasuryAssets: [{ address: ASSET, label: "stablecoin" }] });
  const without = parseDeployment(sampleDeployment());

  it("accepts a build with exactly the deployment's asset data sources", async () => {
    expect(await staleReason(await buildFor(withAsset, treasuryAssetSources(withAsset)), withAsset)).toBeUndefined();
    expect(await staleReason(await buildFor(without, []), without)).toBeUndefined();
  });

  it("rebuilds when an asset was listed, removed or moved", async () => {
    expect(await staleReason(await buildFor(without, []), withAsset)).toBe(`TreasuryAsset0 (${ASSET}) is not in the build`);
    expect(await staleReason(await buildFor(withAsset, treasuryAssetSources(withAsset)), without)).toBe("unknown data source TreasuryAsset0");
    const moved = await buildFor(withAsset, [{ name: "TreasuryAsset0", address: "0x6666666666666666666666666666666666666666" }]);
    expect(await staleReason(moved, withAsset)).toBe("TreasuryAsset0 was built for 0x6666666666666666666666666666666666666666");
  });

  it("passes each asset's address and start block as an override", () => {
    expect(overridesFromDeployment(withAsset).TreasuryAsset0).toEqual({ address: ASSET, startBlock: 1234 });
  });
});

describe("an attached DAO's data sources", () => {
  const oz4 = parseDeployment(sampleAttachedDeployment("openzeppelin-4"));
  const alpha = parseDeployment(sampleAttachedDeployment("compound-alpha"));

  it("watch the attached Governor and timelock through their flavour's data sources", () => {
    expect(overridesFromDeployment(oz4)).toEqual({
      OpenZeppelinGovernor: { address: oz4.contracts.governor, startBlock: 1234 },
      DAOToken: { address: oz4.contracts.token, startBlock: 1234 },
      TimelockController: { address: oz4.contracts.timelock, startBlock: 1234 },
      DecisionLog: { address: oz4.contracts.decisionLog, startBlock: 1234 },
    });
    expect(Object.keys(overridesFromDeployment(alpha))).toEqual(["CompoundGovernor", "DAOToken", "CompoundTimelock", "DecisionLog"]);
  });

  it("take a build made for the flavour, and rebuild one made for the platform's own Governor", async () => {
    const flavourBuild = await buildFor(alpha, [], ["CompoundGovernor", "DAOToken", "CompoundTimelock", "DecisionLog"]);
    expect(await staleReason(flavourBuild, alpha)).toBeUndefined();
    expect(await staleReason(await buildFor(alpha, []), alpha)).toBe("unknown data source DAOGovernor");
    expect(await staleReason(flavourBuild, oz4)).toBe("unknown data source CompoundGovernor");
  });
});

describe("the build's inputs, by content", () => {
  const deployment = parseDeployment(sampleDeployment());

  it("a build from the current inputs is kept; one without a record, or from other inputs, is rebuilt", async () => {
    const dir = await buildFor(deployment, []);
    expect(await staleReason(dir, deployment)).toBeUndefined();
    await writeFile(path.join(dir, INPUTS_FILE), `${"0".repeat(64)}\n`);
    expect(await staleReason(dir, deployment)).toBe("the schema, mappings or ABIs changed since the last build");
    await rm(path.join(dir, INPUTS_FILE));
    expect(await staleReason(dir, deployment)).toBe("the build does not record what it was built from");
  });

  it("follows content only: a mapping's text or a contract's ABI changes it; new file times or bytecode do not", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "indexer-inputs-"));
    dirs.push(root);
    const dirsOf = { subgraph: path.join(root, "subgraph"), artifacts: path.join(root, "artifacts") };
    await mkdir(path.join(dirsOf.subgraph, "src"), { recursive: true });
    await mkdir(path.join(dirsOf.artifacts, "Governor.sol"), { recursive: true });
    await writeFile(path.join(dirsOf.subgraph, "schema.graphql"), "type Proposal @entity { id: ID! }\n");
    await writeFile(path.join(dirsOf.subgraph, "package.json"), "{}\n");
    await writeFile(path.join(dirsOf.subgraph, "src", "mapping.ts"), "export function handle(): void {}\n");
    const artifact = path.join(dirsOf.artifacts, "Governor.sol", "Governor.json");
    await writeFile(artifact, JSON.stringify({ abi: [{ type: "event", name: "ProposalCreated" }], bytecode: "0x01" }));
    const before = await inputsHash(dirsOf);

    const later = new Date(Date.now() + 3_600_000);
    await utimes(path.join(dirsOf.subgraph, "schema.graphql"), later, later);
    await writeFile(artifact, JSON.stringify({ abi: [{ type: "event", name: "ProposalCreated" }], bytecode: "0x02" }));
    expect(await inputsHash(dirsOf)).toBe(before);

    await appendFile(path.join(dirsOf.subgraph, "src", "mapping.ts"), "// changed\n");
    const afterMapping = await inputsHash(dirsOf);
    expect(afterMapping).not.toBe(before);
    await writeFile(artifact, JSON.stringify({ abi: [{ type: "event", name: "ProposalQueued" }], bytecode: "0x02" }));
    expect(await inputsHash(dirsOf)).not.toBe(afterMapping);
  });
});
