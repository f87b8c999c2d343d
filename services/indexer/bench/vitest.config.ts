import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { graphql: "graphql/index.js" } },
  test: {
    // One file at a time: each measures the machine alone.
    include: ["bench/indexer.bench.ts", "bench/ponder.bench.ts"],
    fileParallelism: false,
    globalSetup: ["../../subgraph/test/global-setup.ts"],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
  },
});
