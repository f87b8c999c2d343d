// Writes the ABIs of the subgraph's data sources into subgraph/abis/, where graph-cli reads them.
// The platform's are @ai-dao/protocol's ABIs, generated from the compiled contracts, so the subgraph
// decodes events with exactly the ABIs every other part uses. The attached flavours' come from
// compiled artifacts too: OpenZeppelin 4.9 and 5 Governors and the 4.9 TimelockController from the
// repository's test contracts (Hardhat's artifacts/), Compound's GovernorAlpha, GovernorBravo and
// Timelock from @ai-dao/protocol (the build artifacts `@uniswap/governance` ships, as attach and the
// analyst use them).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { compoundGovernorAlphaAbi, compoundGovernorBravoAbi, compoundTimelockAbi, daoAbis, standardEventAbis } from "@ai-dao/protocol";

import { type AbiItem, abiFileOf, abisDir, dataSources, repoRoot, treasuryAssetSource } from "./data-sources.ts";

/** A Hardhat artifact of the repository's contracts (`npx hardhat build` writes them). */
async function hardhatAbi(source: string, contract: string): Promise<AbiItem[]> {
  const file = path.join(repoRoot, "artifacts", "contracts", source, `${contract}.json`);
  try {
    return (JSON.parse(await readFile(file, "utf8")) as { abi: AbiItem[] }).abi;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`${file} not found: compile the contracts first (\`npm run build\` at the repository root)`);
    }
    throw error;
  }
}

/** The ABI files of the attached flavours, by file name (see `governorSources` and `timelockSourceFor`). */
async function attachedAbis(): Promise<Record<string, AbiItem[]>> {
  return {
    "OpenZeppelinGovernor-4": await hardhatAbi("attach/AttachV4Governor.sol", "AttachV4Governor"),
    "OpenZeppelinGovernor-5": await hardhatAbi("bench/VanillaGovernor.sol", "VanillaGovernor"),
    "TimelockController-4": await hardhatAbi("attach/AttachV4Timelock.sol", "AttachV4Timelock"),
    "CompoundGovernor-alpha": compoundGovernorAlphaAbi as unknown as AbiItem[],
    "CompoundGovernor-bravo": compoundGovernorBravoAbi as unknown as AbiItem[],
    CompoundTimelock: compoundTimelockAbi as unknown as AbiItem[],
  };
}

/** Writes every data source's ABI, the platform's and every attached flavour's; returns the files written. */
export async function writeAbis(outDir = abisDir): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  const write = async (name: string, abi: unknown) => {
    const file = path.join(outDir, `${name}.json`);
    await writeFile(file, `${JSON.stringify(abi, null, 2)}\n`);
    written.push(file);
  };
  for (const source of dataSources) await write(abiFileOf(source), daoAbis[source.contract]);
  const erc20 = standardEventAbis.find((entry) => entry.name === treasuryAssetSource.abi);
  if (erc20 === undefined) throw new Error(`@ai-dao/protocol has no ${treasuryAssetSource.abi} event ABI`);
  await write(treasuryAssetSource.abi, erc20.abi);
  for (const [name, abi] of Object.entries(await attachedAbis())) await write(name, abi);
  return written;
}

if (import.meta.main) {
  for (const file of await writeAbis()) console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
