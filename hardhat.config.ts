import { createRequire } from "node:module";
import path from "node:path";

import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig, task } from "hardhat/config";

// Compile with the WASM build of solc that ships in the `solc` npm package: no compiler download.
const require = createRequire(import.meta.url);
const solcPackage = require("solc/package.json") as { version: string };
const solcWasm = path.join(path.dirname(require.resolve("solc/package.json")), "soljson.js");

const compiler = {
  version: solcPackage.version,
  path: solcWasm,
  settings: {
    // The Governor with all its extensions fits the 24 KiB code size limit only through the IR
    // pipeline (about 21.8 KB; 25.5 KB with the legacy one).
    optimizer: { enabled: true, runs: 200 },
    viaIR: true,
    evmVersion: "cancun",
  },
};

const deployDAO = task("deploy-dao", "Deploy and wire the DAO, then write deployments/<chainId>.json")
  .addOption({ name: "profile", description: "Parameter profile: local or production", defaultValue: "local" })
  .addOption({
    name: "daoConfig",
    description: "Deploy config JSON (allocations, analysts, publishers, overrides); default for local: ignition/config/local.json",
    defaultValue: "",
  })
  .addOption({ name: "out", description: "Directory for <chainId>.json", defaultValue: "deployments" })
  .setAction(() => import("./ignition/deploy-task.ts"))
  .build();

const attachDAO = task("attach-dao", "Attach the platform to a Governor already deployed, then write deployments/<chainId>.json")
  .addOption({ name: "rpc", description: "JSON-RPC URL of the chain the Governor is on", defaultValue: "" })
  .addOption({ name: "governor", description: "Address of the DAO's Governor", defaultValue: "" })
  .addOption({ name: "publishers", description: "Comma-separated accounts the new DecisionLog lets publish (analyst, executor)", defaultValue: "" })
  .addOption({ name: "decisionLog", description: "Use this DecisionLog (governed by the DAO's timelock) instead of deploying one", defaultValue: "" })
  .addOption({ name: "chainId", description: "Refuse unless the RPC serves this chain id", defaultValue: "" })
  .addOption({ name: "analyst", description: "Print the proposal that makes this account a DecisionLog publisher", defaultValue: "" })
  .addOption({ name: "out", description: "Directory for <chainId>.json", defaultValue: "deployments" })
  .setAction(() => import("./ignition/attach-task.ts"))
  .build();

export default defineConfig({
  plugins: [hardhatToolboxViem],
  tasks: [deployDAO, attachDAO],
  solidity: {
    profiles: {
      default: compiler,
      production: compiler,
    },
    npmFilesToBuild: [
      "@openzeppelin/contracts/governance/TimelockController.sol",
      // Proxy targets in the analyst's corpus and the executor's drift test are standard ERC-1967 proxies.
      "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol",
    ],
  },
  paths: {
    tests: { nodejs: "test/contracts", solidity: "test/contracts" },
  },
  networks: {
    // In-process chain used by the tests and benchmarks.
    default: { type: "edr-simulated", chainType: "l1" },
    // In-process chain before Cancun (EIP-6780), where SELFDESTRUCT still removes code: the
    // executor's code-drift test redeploys a CREATE2 target there.
    preCancun: { type: "edr-simulated", chainType: "l1", hardfork: "shanghai" },
    // A node started with `npx hardhat node` (or the platform's `npm start`).
    localhost: { type: "http", chainType: "l1", url: `http://127.0.0.1:${process.env.CHAIN_PORT ?? 8545}` },
    // Any other network, configured by URL and key (see README: Deploy).
    remote: {
      type: "http",
      chainType: "l1",
      url: configVariable("RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
});
