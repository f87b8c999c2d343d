// Serves /config.json (the app's runtime configuration) in dev and preview, and writes it next to
// the production build, from deployments/<chainId>.json and the environment. A hosted deployment
// replaces dist/config.json; the build itself has no addresses or URLs baked in.
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { Plugin } from "vite";

const repoRoot = path.resolve(import.meta.dirname, "../..");

export interface RuntimeConfigEnv {
  RPC_URL?: string;
  DEPLOYMENT_FILE?: string;
  INDEXER_URL?: string;
  ANALYST_URL?: string;
  EXECUTOR_URL?: string;
  RELAYER_URL?: string;
  NOTIFIER_URL?: string;
  CHAIN_ID?: string;
  EXPLORER_URL?: string;
  WALLETCONNECT_PROJECT_ID?: string;
}

async function chainIdFromRpc(rpcUrl: string): Promise<number> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
  });
  const body = (await response.json()) as { result: string };
  return Number(BigInt(body.result));
}

/** The Governor's shape for the app: the platform's own, or what `npm run attach` found. */
export function governanceOf(deployment: any) {
  const attached = deployment.attached;
  if (!attached) return { flavour: "platform", clock: "timestamp", queueById: true, executeById: true, proposalEta: true, proposalGuardian: true, riskTiers: true, codePins: true };
  const c = attached.capabilities;
  return {
    flavour: attached.flavour,
    clock: /mode=timestamp/.test(attached.clockMode) ? "timestamp" : "blocknumber",
    queueById: c.queueById,
    executeById: c.executeById,
    proposalEta: c.proposalEta,
    proposalGuardian: c.proposalGuardian,
    riskTiers: c.riskTiers,
    codePins: c.codePins,
  };
}

/** Builds the runtime configuration; throws a message naming the variable to set when it cannot. */
export async function buildRuntimeConfig(env: RuntimeConfigEnv = process.env) {
  const rpcUrl = env.RPC_URL ?? "http://127.0.0.1:8545";
  let file = env.DEPLOYMENT_FILE;
  if (file === undefined) {
    let chainId: number;
    if (env.CHAIN_ID !== undefined) chainId = Number(env.CHAIN_ID);
    else {
      try {
        chainId = await chainIdFromRpc(rpcUrl);
      } catch (error) {
        throw new Error(`cannot ask ${rpcUrl} for its chain id (${(error as Error).message}); start the chain (npm start), or set RPC_URL, CHAIN_ID or DEPLOYMENT_FILE`);
      }
    }
    file = path.join(repoRoot, "deployments", `${chainId}.json`);
  }
  let deployment: any;
  try {
    deployment = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(`cannot read the deployment file ${file} (${(error as Error).message}); deploy first (npm run deploy) or set DEPLOYMENT_FILE`);
  }
  return {
    chainId: deployment.chainId as number,
    rpcUrl,
    indexerUrl: env.INDEXER_URL ?? "http://127.0.0.1:8000/subgraphs/name/dao",
    analystUrl: env.ANALYST_URL ?? "http://127.0.0.1:8100",
    executorUrl: env.EXECUTOR_URL ?? "http://127.0.0.1:8200",
    // Only when set: without a relayer, votes and delegations are the member's own transactions.
    ...(env.RELAYER_URL ? { relayerUrl: env.RELAYER_URL } : {}),
    ...(env.NOTIFIER_URL ? { notifierUrl: env.NOTIFIER_URL } : {}),
    // Only when set: a local chain has no explorer, and then hashes are shown to copy instead of linked.
    ...(env.EXPLORER_URL ? { explorerUrl: env.EXPLORER_URL } : {}),
    // Only when set: without a project id the wallet menu does not offer WalletConnect.
    ...(env.WALLETCONNECT_PROJECT_ID ? { walletConnectProjectId: env.WALLETCONNECT_PROJECT_ID } : {}),
    startBlock: deployment.startBlock as number,
    contracts: deployment.contracts as Record<"token" | "governor" | "timelock" | "decisionLog", string>,
    token: { name: deployment.parameters.token.name, symbol: deployment.parameters.token.symbol, decimals: deployment.parameters.token.decimals },
    governor: {
      name: deployment.parameters.governor.name,
      votingDelay: deployment.parameters.governor.votingDelay,
      votingPeriod: deployment.parameters.governor.votingPeriod,
      quorumPercent: deployment.parameters.governor.quorumPercent,
      proposalThreshold: deployment.parameters.governor.proposalThreshold,
    },
    timelock: { minDelay: deployment.parameters.timelock.minDelay },
    treasuryAssets: (deployment.treasuryAssets ?? []) as { address: string; label?: string }[],
    governance: governanceOf(deployment),
    analysts: (deployment.parameters.analysts ?? []) as string[],
    publishers: (deployment.parameters.publishers ?? []) as string[],
  };
}

export function runtimeConfigPlugin(): Plugin {
  const serve = async (_req: unknown, res: import("node:http").ServerResponse) => {
    try {
      const config = await buildRuntimeConfig();
      res.setHeader("content-type", "application/json");
      res.setHeader("cache-control", "no-store");
      res.end(JSON.stringify(config, null, 2));
    } catch (error) {
      res.statusCode = 503;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ error: (error as Error).message }));
    }
  };
  return {
    name: "ai-dao-runtime-config",
    configureServer(server) {
      server.middlewares.use("/config.json", (req, res) => void serve(req, res));
    },
    configurePreviewServer(server) {
      server.middlewares.use("/config.json", (req, res) => void serve(req, res));
    },
    async generateBundle() {
      // Best effort: a build made without a local deployment gets its config.json at deploy time.
      try {
        const config = await buildRuntimeConfig();
        this.emitFile({ type: "asset", fileName: "config.json", source: JSON.stringify(config, null, 2) });
      } catch (error) {
        this.warn(`config.json not written (${(error as Error).message}); provide dist/config.json when deploying`);
      }
    },
  };
}
