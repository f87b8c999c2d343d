import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The fixture test starts an in-process Hardhat chain and deploys the DAO.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
