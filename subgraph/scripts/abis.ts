// Copies the ABIs of the subgraph's data sources from Hardhat's compiled artifacts (the source of
// truth) into subgraph/abis/. Run `npx hardhat build` at the repository root first.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { abisDir, artifactsDir, dataSources, repoRoot } from "./data-sources.ts";

export class MissingArtifactError extends Error {
  override name = "MissingArtifactError";
}

/** Copies every data source's ABI; returns the files written. */
export async function copyAbis(outDir = abisDir): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const source of dataSources) {
    const artifactFile = path.join(artifactsDir, source.artifact);
    let text: string;
    try {
      text = await readFile(artifactFile, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new MissingArtifactError(
          `Hardhat artifact not found: ${path.relative(repoRoot, artifactFile)}\n` +
            "Compile the contracts first: run `npx hardhat build` at the repository root.",
        );
      }
      throw error;
    }
    const { abi } = JSON.parse(text) as { abi: unknown[] };
    const file = path.join(outDir, `${source.name}.json`);
    await writeFile(file, `${JSON.stringify(abi, null, 2)}\n`);
    written.push(file);
  }
  return written;
}

if (import.meta.main) {
  try {
    const files = await copyAbis();
    for (const file of files) console.log(`wrote ${path.relative(process.cwd(), file)}`);
  } catch (error) {
    if (error instanceof MissingArtifactError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
