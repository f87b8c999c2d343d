import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The chain test builds the subgraph and starts a Hardhat chain and the indexer: slower than the rest.
    testTimeout: 120_000,
    hookTimeout: 240_000,
    // The machine is shared: one file at a time.
    fileParallelism: false,
  },
});
