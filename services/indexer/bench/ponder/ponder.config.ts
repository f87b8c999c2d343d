// Ponder's side of the indexer-vs-Ponder benchmark (../ponder.bench.ts): the platform's token,
// Governor and DecisionLog on the generated local chain. The benchmark passes the chain's RPC URL,
// the deployment file it wrote and a fresh PGlite directory per run in the environment.
import { readFileSync } from "node:fs";

import { decisionLogAbi, governorAbi, tokenAbi } from "@ai-dao/protocol";
import { createConfig } from "ponder";

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: this app is started by services/indexer/bench/ponder.bench.ts`);
  return value;
};

const deployment = JSON.parse(readFileSync(required("BENCH_PONDER_DEPLOYMENT"), "utf8")) as {
  chainId: number;
  startBlock: number;
  contracts: { token: `0x${string}`; governor: `0x${string}`; decisionLog: `0x${string}` };
};
const startBlock = deployment.startBlock;

export default createConfig({
  database: { kind: "pglite", directory: required("BENCH_PONDER_DATA_DIR") },
  chains: {
    local: { id: deployment.chainId, rpc: required("BENCH_PONDER_RPC_URL"), pollingInterval: 100, disableCache: true },
  },
  contracts: {
    DAOToken: { chain: "local", abi: tokenAbi, address: deployment.contracts.token, startBlock },
    DAOGovernor: { chain: "local", abi: governorAbi, address: deployment.contracts.governor, startBlock },
    DecisionLog: { chain: "local", abi: decisionLogAbi, address: deployment.contracts.decisionLog, startBlock },
  },
});
