import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [react()],
  test: { include: ["bench/**/*.bench-test.tsx"], environment: "happy-dom", testTimeout: 120_000 },
});
