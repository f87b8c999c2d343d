import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { toFunctionSelector, type Abi } from "viem";
import { describe, expect, it } from "vitest";

import { abiSources, generatedFile, renderAbis } from "../scripts/abis.ts";
import { daoAbis, standardAbis, standardEventAbis } from "../src/index.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../..");

describe("generated ABIs", () => {
  it("match the compiled contracts (run `npm run build` at the repository root when this fails)", async () => {
    // The contracts are compiled before the tests run (`npm test` does it first); a contract changed
    // without regenerating leaves the committed file stale, and every part would use the old ABI.
    const fresh = await renderAbis();
    const committed = await readFile(generatedFile, "utf8");
    expect(committed === fresh, "packages/protocol/src/generated/abis.ts is stale: run `npm run build` at the repository root and commit it").toBe(true);
  });

  it("differ from the committed copy when a contract's ABI changes", async () => {
    // Compiled artifacts with one error added to DecisionLog, as after an edit to the contract.
    const dir = await mkdtemp(path.join(tmpdir(), "abis-"));
    try {
      for (const file of Object.values(abiSources)) {
        const artifact = JSON.parse(await readFile(path.join(repoRoot, "artifacts", file), "utf8")) as { abi: unknown[] };
        if (file.endsWith("DecisionLog.json")) artifact.abi.push({ type: "error", name: "DecisionLogPaused", inputs: [] });
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), JSON.stringify(artifact));
      }
      const changed = await renderAbis(dir);
      expect(changed).toContain('"name": "DecisionLogPaused"');
      expect(changed).not.toBe(await readFile(generatedFile, "utf8"));
      await expect(renderAbis(path.join(dir, "missing"))).rejects.toThrow(/compile the contracts first/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("have every function and event the parts call", () => {
    const names = (abi: Abi) => new Set(abi.flatMap((item) => ("name" in item && item.name !== undefined ? [item.name] : [])));
    const governor = names(daoAbis.governor);
    for (const name of ["propose", "castVote", "queue", "execute", "state", "proposalEta", "proposalNeedsQueuing", "ProposalCreated", "VoteCast"]) expect(governor.has(name), name).toBe(true);
    const timelock = names(daoAbis.timelock);
    for (const name of ["hashOperationBatch", "isOperationReady", "isOperationDone", "CallScheduled"]) expect(timelock.has(name), name).toBe(true);
    const log = names(daoAbis.decisionLog);
    for (const name of ["publish", "latestDecision", "hasDecision", "isPublisher", "DecisionPublished"]) expect(log.has(name), name).toBe(true);
    const token = names(daoAbis.token);
    for (const name of ["delegate", "getVotes", "Transfer", "DelegateVotesChanged"]) expect(token.has(name), name).toBe(true);
  });

  it("list the standards with the selectors proposals use", () => {
    const selectors = new Map(standardAbis.map(({ name, abi }) => [name, abi.filter((i) => i.type === "function").map((i) => toFunctionSelector(i))]));
    expect(selectors.get("ERC20")).toContain("0xa9059cbb"); // transfer(address,uint256)
    expect(selectors.get("ERC20")).toContain("0x095ea7b3"); // approve(address,uint256)
    expect(selectors.get("AccessControl")).toContain("0x2f2ff15d"); // grantRole(bytes32,address)
    expect(selectors.get("UUPS")).toContain("0x4f1ef286"); // upgradeToAndCall(address,bytes)
    expect(standardEventAbis.map((s) => s.name)).toEqual(["ERC20", "ERC721", "AccessControl", "Ownable", "ERC1967"]);
  });
});
