// Writes the ABIs of the subgraph's data sources into subgraph/abis/, where graph-cli reads them.
// They are @ai-dao/protocol's ABIs, generated from the compiled contracts, so the subgraph decodes
// events with exactly the ABIs every other part uses.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { daoAbis, standardEventAbis } from "@ai-dao/protocol";

import { abisDir, dataSources, treasuryAssetSource } from "./data-sources.ts";

/** Writes every data source's ABI; returns the files written. */
export async function writeAbis(outDir = abisDir): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const source of dataSources) {
    const file = path.join(outDir, `${source.name}.json`);
    await writeFile(file, `${JSON.stringify(daoAbis[source.contract], null, 2)}\n`);
    written.push(file);
  }
  const erc20 = standardEventAbis.find((entry) => entry.name === treasuryAssetSource.abi);
  if (erc20 === undefined) throw new Error(`@ai-dao/protocol has no ${treasuryAssetSource.abi} event ABI`);
  const file = path.join(outDir, `${treasuryAssetSource.abi}.json`);
  await writeFile(file, `${JSON.stringify(erc20.abi, null, 2)}
`);
  written.push(file);
  return written;
}

if (import.meta.main) {
  for (const file of await writeAbis()) console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
