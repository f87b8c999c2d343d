// Writes subgraph/subgraph.yaml from a deployment file (deployments/<chainId>.json): the network,
// the four contracts' addresses and start block, and the event handlers, whose signatures are read
// from the ABIs in subgraph/abis/ (run `abis.ts` first). The Governor and timelock data sources are
// the platform's own, or for an attached DAO (`attached` in the file) those of its Governor's
// flavour and its timelock's kind (see `dataSourcesFor` in data-sources.ts).
//
//   node scripts/manifest.ts [--deployment FILE | --chain-id N] [--network NAME] [--out FILE]
//
// Defaults: --chain-id 31337 (so deployments/31337.json), the network named after the chain id
// (31337: hardhat), --out subgraph/subgraph.yaml. DEPLOYMENT_FILE and GRAPH_NETWORK in the
// environment stand in for --deployment and --network.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";

import { ConfigError, deploymentPath, readDeployment, treasuryAssetSources, type Deployment } from "@ai-dao/deployment";
import YAML from "yaml";

import {
  type AbiItem,
  abiFileOf,
  abisDir,
  dataSourcesFor,
  manifestEventSignature,
  repoRoot,
  subgraphDir,
  treasuryAssetSource,
} from "./data-sources.ts";

export const SPEC_VERSION = "1.3.0";
export const API_VERSION = "0.0.9";
export const DEFAULT_CHAIN_ID = 31337;

/** Network names graph-node uses for chain ids we may deploy to. */
const graphNetworks: Record<number, string> = {
  1: "mainnet",
  10: "optimism",
  100: "gnosis",
  137: "matic",
  8453: "base",
  17000: "holesky",
  31337: "hardhat",
  42161: "arbitrum-one",
  84532: "base-sepolia",
  421614: "arbitrum-sepolia",
  11155111: "sepolia",
  11155420: "optimism-sepolia",
};

/** The graph-node network name of `deployment`: known chain ids by table, others by the file's own name. */
export function defaultNetwork(deployment: Pick<Deployment, "chainId" | "network">): string {
  return graphNetworks[deployment.chainId] ?? deployment.network;
}

export interface ManifestOptions {
  /** graph-node network name; default: {@link defaultNetwork}. */
  network?: string;
  /** Directory the manifest is written to: paths inside it are relative to it. Default: subgraph/. */
  manifestDir?: string;
  /** Directory holding the ABIs. Default: subgraph/abis/. */
  abisDir?: string;
}

async function readAbi(dir: string, name: string): Promise<AbiItem[]> {
  const file = path.join(dir, `${name}.json`);
  try {
    return JSON.parse(await readFile(file, "utf8")) as AbiItem[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new ConfigError(`ABI ${file}`, ["(root): not found; run `npm run abis -w subgraph` first"]);
    }
    throw error;
  }
}

/** The manifest of `deployment` as a plain object (what subgraph.yaml holds). */
export async function buildManifest(deployment: Deployment, options: ManifestOptions = {}): Promise<object> {
  const manifestDir = options.manifestDir ?? subgraphDir;
  const abiDir = options.abisDir ?? abisDir;
  const network = options.network ?? defaultNetwork(deployment);
  const relative = (file: string) => {
    const rel = path.relative(manifestDir, file).split(path.sep).join("/");
    return rel.startsWith(".") ? rel : `./${rel}`;
  };

  const sources = [];
  for (const source of dataSourcesFor(deployment)) {
    const abiFile = path.join(abiDir, `${abiFileOf(source)}.json`);
    const abi = await readAbi(abiDir, abiFileOf(source));
    sources.push({
      kind: "ethereum/contract",
      name: source.name,
      network,
      source: {
        address: deployment.contracts[source.contract],
        abi: source.name,
        startBlock: deployment.startBlock,
      },
      mapping: {
        kind: "ethereum/events",
        apiVersion: API_VERSION,
        language: "wasm/assemblyscript",
        entities: source.entities,
        abis: [{ name: source.name, file: relative(abiFile) }],
        eventHandlers: source.events.map((event) => ({
          event: manifestEventSignature(abi, event),
          handler: `handle${event}`,
        })),
        file: relative(path.join(subgraphDir, source.mapping)),
      },
    });
  }

  const erc20 = await readAbi(abiDir, treasuryAssetSource.abi);
  for (const asset of treasuryAssetSources(deployment)) {
    sources.push({
      kind: "ethereum/contract",
      name: asset.name,
      network,
      source: { address: asset.address, abi: treasuryAssetSource.abi, startBlock: deployment.startBlock },
      mapping: {
        kind: "ethereum/events",
        apiVersion: API_VERSION,
        language: "wasm/assemblyscript",
        entities: [...treasuryAssetSource.entities],
        abis: [{ name: treasuryAssetSource.abi, file: relative(path.join(abiDir, `${treasuryAssetSource.abi}.json`)) }],
        eventHandlers: treasuryAssetSource.events.map((event) => ({
          event: manifestEventSignature(erc20, event),
          handler: treasuryAssetSource.handler,
        })),
        file: relative(path.join(subgraphDir, treasuryAssetSource.mapping)),
      },
    });
  }

  return {
    specVersion: SPEC_VERSION,
    description:
      deployment.attached === undefined
        ? `AI-governed DAO on ${network} (chain ${deployment.chainId}): proposals, votes, delegation, timelock operations, treasury flows and automated decisions.`
        : `DAO on ${network} (chain ${deployment.chainId}, ${deployment.attached.flavour} Governor, ${deployment.attached.timelockKind}): proposals, votes, delegation, timelock operations, treasury flows and automated decisions.`,
    // Auditors query any past block, so graph-node must keep every entity version.
    indexerHints: { prune: "never" },
    // A handler that fails on one event is skipped (its changes discarded, the error recorded and
    // shown by _meta.hasIndexingErrors) and indexing goes on, instead of the subgraph stopping.
    features: ["nonFatalErrors"],
    schema: { file: relative(path.join(subgraphDir, "schema.graphql")) },
    dataSources: sources,
  };
}

const header =
  "# Generated by scripts/manifest.ts from a deployment file. Do not edit: run `npm run manifest -w subgraph`.\n";

/** Reads `deploymentFile` and writes the manifest to `outFile`; returns the manifest. */
export async function writeManifest(
  deploymentFile: string,
  outFile: string,
  options: Omit<ManifestOptions, "manifestDir"> = {},
): Promise<object> {
  const deployment = await readDeployment(deploymentFile);
  const manifest = await buildManifest(deployment, { ...options, manifestDir: path.dirname(path.resolve(outFile)) });
  await writeFile(outFile, header + YAML.stringify(manifest, { lineWidth: 0 }));
  return manifest;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      deployment: { type: "string" },
      "chain-id": { type: "string" },
      network: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "usage: node scripts/manifest.ts [--deployment FILE | --chain-id N] [--network NAME] [--out FILE]",
    );
    return;
  }
  const chainId = Number(values["chain-id"] ?? DEFAULT_CHAIN_ID);
  if (!Number.isInteger(chainId) || chainId <= 0) {
    throw new ConfigError("manifest options", [`--chain-id: not a positive integer (${values["chain-id"]})`]);
  }
  const deploymentFile = path.resolve(
    values.deployment ?? process.env.DEPLOYMENT_FILE ?? deploymentPath(path.join(repoRoot, "deployments"), chainId),
  );
  const outFile = path.resolve(values.out ?? path.join(subgraphDir, "subgraph.yaml"));
  const network = values.network ?? process.env.GRAPH_NETWORK;
  const manifest = (await writeManifest(deploymentFile, outFile, network ? { network } : {})) as {
    dataSources: { name: string; network: string; source: { address: string; startBlock: number } }[];
  };
  console.log(`wrote ${path.relative(process.cwd(), outFile)} from ${path.relative(process.cwd(), deploymentFile)}`);
  for (const source of manifest.dataSources) {
    console.log(`  ${source.name.padEnd(20)} ${source.source.address} from block ${source.source.startBlock} on ${source.network}`);
  }
}

if (import.meta.main) {
  try {
    await main(process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error((error as Error).message);
      console.error("Choose the deployment file with --deployment FILE (or DEPLOYMENT_FILE) or --chain-id N.");
      process.exit(1);
    }
    throw error;
  }
}
