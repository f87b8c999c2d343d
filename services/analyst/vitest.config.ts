import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests start an in-process Hardhat chain and deploy the DAO: slower than a unit test.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
