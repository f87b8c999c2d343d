import { defineConfig } from "vitest/config";

export default defineConfig({
  // graphql 16 ships CommonJS (main) and ESM (module); Node loads the CommonJS one for graphql-yoga,
  // so the tests must use that same copy or graphql's instanceof checks fail across the two.
  resolve: { alias: { graphql: "graphql/index.js" } },
  test: {
    include: ["test/**/*.test.ts"],
    // One `graph build` of the real subgraph for every test file (the same setup the subgraph's tests use).
    globalSetup: ["../../subgraph/test/global-setup.ts"],
    // Tests start Hardhat chains, deploy the DAO and index it: slower than unit tests.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // The machine is shared: one file at a time keeps timings honest.
    fileParallelism: false,
  },
});
