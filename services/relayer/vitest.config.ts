import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests run real Hardhat chains (in-process and as child processes) and move time on them.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Child-process tests start their own nodes; one file at a time keeps the shared machine usable.
    fileParallelism: false,
  },
});
