import { rm } from "node:fs/promises";
import path from "node:path";

import { ConfigError } from "@ai-dao/deployment";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { defaultConfigFile, deployDAO, readDeployConfigFile } from "./deploy.ts";

/** Chain id of Hardhat's development network. */
const LOCAL_CHAIN_ID = 31337;

interface DeployTaskArguments {
  profile: string;
  daoConfig: string;
  out: string;
}

/** `hardhat deploy-dao`: see the README's "Deploy" section. */
export default async function deployTask(args: DeployTaskArguments, hre: HardhatRuntimeEnvironment): Promise<void> {
  const root = hre.config.paths.root;
  const configFile = args.daoConfig !== "" ? path.resolve(args.daoConfig) : defaultConfigFile(root, args.profile);
  try {
    if (configFile === undefined) {
      throw new ConfigError("deploy command", [
        `--dao-config: required with --profile ${args.profile} (copy ignition/config/production.example.json and fill it in)`,
      ]);
    }
    const config = await readDeployConfigFile(configFile);
    const connection = await hre.network.getOrCreate();
    const chainId = Number(await connection.provider.request({ method: "eth_chainId" }));
    if (chainId === LOCAL_CHAIN_ID) {
      // A local development chain starts empty on every restart: an Ignition journal from an
      // earlier run would describe contracts that no longer exist, so start a fresh deployment.
      await rm(path.join(hre.config.paths.ignition, "deployments", `chain-${chainId}`), { recursive: true, force: true });
    }
    console.log(`Deploying the DAO to "${connection.networkName}" with the ${args.profile} profile (${configFile}) ...`);
    const { deployment, file } = await deployDAO(connection, {
      profile: args.profile,
      config,
      source: `deploy config ${configFile}`,
      outDir: path.resolve(root, args.out),
      displayUi: true,
    });
    console.log(`\nDeployed on chain ${deployment.chainId} from block ${deployment.startBlock}:`);
    for (const [name, address] of Object.entries(deployment.contracts)) console.log(`  ${name.padEnd(12)} ${address}`);
    console.log(`Wrote ${file}`);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      console.error("Nothing was sent.");
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
