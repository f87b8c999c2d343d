import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import {
  ConfigError,
  readDeployment,
  resolveDeployConfig,
  resolveTreasuryAssets,
  treasuryAssetSources,
  treasuryAssetsOf,
  writeDeployment,
  type Deployment,
} from "../src/index.ts";

const alice = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

const minimal = () => ({
  token: { name: "DAO", symbol: "DAO", allocations: [{ recipient: alice, amount: "1000000" }] },
});

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("resolveDeployConfig", () => {
  it("fills governor and timelock from the profile and parses amounts into base units", () => {
    const config = resolveDeployConfig("production", minimal());
    expect(config.governor.votingDelay).toBe(86_400);
    expect(config.governor.votingPeriod).toBe(604_800);
    expect(config.governor.quorumPercent).toBe(4);
    expect(config.timelock.minDelay).toBe(172_800);
    expect(config.token.allocations[0]!.amount).toBe(1_000_000n * 10n ** 18n);
    expect(config.token.allocations[0]!.recipient).toBe("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    expect(config.analysts).toEqual([]);
  });

  it("lets the file override single profile fields", () => {
    const config = resolveDeployConfig("local", { ...minimal(), governor: { votingPeriod: 120 }, timelock: { minDelay: 5 } });
    expect(config.governor.votingPeriod).toBe(120);
    expect(config.governor.votingDelay).toBe(10);
    expect(config.timelock.minDelay).toBe(5);
  });

  it("accepts fractional token amounts up to 18 decimals", () => {
    const input = minimal();
    input.token.allocations[0]!.amount = "2000.000000000000000001";
    expect(resolveDeployConfig("local", input).token.allocations[0]!.amount).toBe(2000n * 10n ** 18n + 1n);
  });

  it("names every bad field at once", () => {
    const problems = problemsOf(() =>
      resolveDeployConfig("local", {
        token: { name: "", symbol: "X", allocations: [{ recipient: "bob", amount: "1e6" }] },
        governor: { quorumPercent: 4.5 },
        publishers: "0x0",
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^token\.name: /),
        expect.stringMatching(/^token\.allocations\[0\]\.recipient: /),
        expect.stringMatching(/^token\.allocations\[0\]\.amount: /),
        expect.stringMatching(/^governor\.quorumPercent: /),
        expect.stringMatching(/^publishers: /),
      ]),
    );
  });

  it("rejects a config that is not an object, and unknown fields", () => {
    expect(problemsOf(() => resolveDeployConfig("local", []))).toEqual([expect.stringMatching(/^\(root\): must be a JSON object/)]);
    expect(problemsOf(() => resolveDeployConfig("local", { ...minimal(), quorum: 4 }))).toEqual([
      expect.stringMatching(/^\(root\): Unrecognized key.*quorum/),
    ]);
  });
});

describe("risk tiers in the deploy config", () => {
  it("take the profile's tiers unless the file gives its own", () => {
    expect(resolveDeployConfig("production", minimal()).governor.riskTiers).toEqual([
      { minRisk: 40, delay: 345_600 },
      { minRisk: 70, delay: 604_800 },
    ]);
    const own = [{ minRisk: 50, delay: 86_400 }];
    expect(resolveDeployConfig("production", { ...minimal(), governor: { riskTiers: own } }).governor.riskTiers).toEqual(own);
  });

  it("names tiers the Governor would refuse, each at its field", () => {
    const problems = (riskTiers: unknown) => problemsOf(() => resolveDeployConfig("local", { ...minimal(), governor: { riskTiers } }));
    expect(problems([])).toEqual([expect.stringMatching(/^governor\.riskTiers: must list at least one tier/)]);
    expect(problems([{ minRisk: 70, delay: 600 }, { minRisk: 40, delay: 900 }])).toEqual([expect.stringMatching(/^governor\.riskTiers\[1\]\.minRisk: must be higher than the tier before/)]);
    expect(problems([{ minRisk: 40, delay: 600 }, { minRisk: 70, delay: 300 }])).toEqual([expect.stringMatching(/^governor\.riskTiers\[1\]\.delay: must not be shorter than the tier before/)]);
    expect(problems([{ minRisk: 0, delay: 31 * 86_400 }])).toEqual([
      expect.stringMatching(/^governor\.riskTiers\[0\]\.minRisk: must be at least 1/),
      expect.stringMatching(/^governor\.riskTiers\[0\]\.delay: must be at most 2592000 seconds/),
    ]);
    expect(problems([1, 2, 3, 4, 5, 6].map((minRisk) => ({ minRisk, delay: 60 })))).toEqual([expect.stringMatching(/^governor\.riskTiers: must list at most 5 tiers/)]);
  });
});

describe("treasury assets in the deploy config", () => {
  const usdc = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";
  // Hardhat development account #19 and the address of the first contract it creates.
  const creator = "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199";

  it("defaults to none", () => {
    expect(resolveDeployConfig("local", minimal()).treasuryAssets).toEqual([]);
  });

  it("takes addresses, or a creator and nonce that fix a token's address before it is deployed", () => {
    const config = resolveDeployConfig("local", {
      ...minimal(),
      treasuryAssets: [{ address: usdc, label: "USDC" }, { createdBy: creator, nonce: 0 }],
    });
    expect(resolveTreasuryAssets(config.treasuryAssets)).toEqual([
      { address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", label: "USDC" },
      { address: "0x73511669fd4dE447feD18BB79bAFeAC93aB7F31f" },
    ]);
  });

  it("names a malformed entry and a token listed twice", () => {
    expect(problemsOf(() => resolveDeployConfig("local", { ...minimal(), treasuryAssets: [{ address: "0x12" }] }))).toEqual([
      "treasuryAssets[0].address: is not an address (expected 0x followed by 40 hex digits)",
    ]);
    expect(problemsOf(() => resolveDeployConfig("local", { ...minimal(), treasuryAssets: [{ token: usdc }] }))).toEqual([
      expect.stringMatching(/^treasuryAssets\[0\]/),
    ]);
    expect(problemsOf(() => resolveDeployConfig("local", { ...minimal(), treasuryAssets: [{ createdBy: creator, nonce: -1 }] }))).toEqual([
      expect.stringMatching(/^treasuryAssets\[0\]/),
    ]);
    expect(
      problemsOf(() =>
        resolveDeployConfig("local", { ...minimal(), treasuryAssets: [{ address: "0x73511669fd4de447fed18bb79bafeac93ab7f31f" }, { createdBy: creator, nonce: 0 }] }),
      ),
    ).toEqual(["treasuryAssets[1]: is listed twice (same token address)"]);
  });
});

describe("deployment file", () => {
  const deployment: Deployment = {
    schemaVersion: 1,
    chainId: 31337,
    network: "localhost",
    profile: "local",
    deployedAt: "2026-11-23T00:00:00.000Z",
    deployer: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    startBlock: 1,
    contracts: {
      token: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
      governor: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
      timelock: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      decisionLog: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
    },
    parameters: {
      token: { name: "D", symbol: "D", decimals: 18, totalSupply: "1", allocations: [{ recipient: alice as `0x${string}`, amount: "1" }] },
      governor: {
        name: "G",
        clockMode: "mode=timestamp",
        votingDelay: 10,
        votingPeriod: 300,
        proposalThreshold: "0",
        quorumPercent: 4,
        lateQuorumVoteExtension: 60,
        proposalGuardian: null,
      },
      timelock: { minDelay: 60 },
      decisionLog: { maxReportBytes: 32768 },
      analysts: [],
      publishers: [],
    },
  };

  it("round-trips through an atomic write", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "deployment-"));
    const file = path.join(dir, "nested", "31337.json");
    await writeDeployment(file, deployment);
    const read = await readDeployment(file);
    expect(read.contracts).toEqual(deployment.contracts);
    expect(read.parameters.token.allocations[0]!.recipient).toBe("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  });

  it("carries the treasury assets; a file without them lists none", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "deployment-"));
    const file = path.join(dir, "31337.json");
    const stablecoin = "0x73511669fd4de447fed18bb79bafeac93ab7f31f";
    await writeDeployment(file, { ...deployment, treasuryAssets: [{ address: stablecoin as `0x${string}`, label: "dUSD" }] });
    const read = await readDeployment(file);
    expect(treasuryAssetsOf(read)).toEqual([{ address: "0x73511669fd4dE447feD18BB79bAFeAC93aB7F31f", label: "dUSD" }]);
    expect(treasuryAssetSources(read)).toEqual([{ name: "TreasuryAsset0", address: "0x73511669fd4dE447feD18BB79bAFeAC93aB7F31f" }]);
    expect(treasuryAssetsOf(deployment)).toEqual([]);
  });

  it("gives no data source to a listed asset that is the DAO token (it has its own)", () => {
    const assets = [{ address: deployment.contracts.token }, { address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48" as `0x${string}` }];
    expect(treasuryAssetSources({ ...deployment, treasuryAssets: assets })).toEqual([{ name: "TreasuryAsset0", address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48" }]);
  });

  it("says how to get a missing file, and names bad fields of a broken one", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "deployment-"));
    await expect(readDeployment(path.join(dir, "1.json"))).rejects.toThrow(/file not found; deploy first/);

    const broken = path.join(dir, "2.json");
    await writeFile(broken, JSON.stringify({ ...deployment, startBlock: -1, contracts: { ...deployment.contracts, governor: "0x1" } }));
    await expect(readDeployment(broken)).rejects.toThrow(/startBlock: [\s\S]*contracts\.governor: /);

    await writeFile(broken, "{ not json");
    await expect(readDeployment(broken)).rejects.toThrow(/not valid JSON/);
    expect(await readFile(broken, "utf8")).toBe("{ not json");
  });

  it("refuses to write an invalid deployment", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "deployment-"));
    const file = path.join(dir, "31337.json");
    await expect(writeDeployment(file, { ...deployment, chainId: 0 })).rejects.toThrow(/chainId: /);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });
});
