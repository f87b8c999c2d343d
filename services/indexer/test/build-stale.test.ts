// When the indexer rebuilds the subgraph: a build made for another treasury asset list is stale, so
// listing an asset in the deployment file gets it indexed on the next start.
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { parseDeployment, treasuryAssetSources } from "@ai-dao/deployment";
import { sampleDeployment } from "@ai-dao/testkit/deployment";
import { afterEach, describe, expect, it } from "vitest";
import YAML from "yaml";

import { overridesFromDeployment } from "../src/app.ts";
import { staleReason } from "../src/build.ts";

const ASSET = "0x5555555555555555555555555555555555555555";
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A build directory whose manifest has the DAO's four data sources and the given asset sources. */
async function buildFor(deployment: ReturnType<typeof parseDeployment>, assets: { name: string; address: string }[]) {
  const dir = await mkdtemp(path.join(tmpdir(), "indexer-build-"));
  dirs.push(dir);
  const dao = [
    ["DAOGovernor", deployment.contracts.governor],
    ["DAOToken", deployment.contracts.token],
    ["TimelockController", deployment.contracts.timelock],
    ["DecisionLog", deployment.contracts.decisionLog],
  ];
  const dataSources = [...dao, ...assets.map((a) => [a.name, a.address])].map(([name, address]) => ({ name, source: { address, startBlock: deployment.startBlock } }));
  const file = path.join(dir, "subgraph.yaml");
  await writeFile(file, YAML.stringify({ dataSources }));
  // Newer than every source file, so only the data sources decide.
  const future = new Date(Date.now() + 3_600_000);
  await utimes(file, future, future);
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
