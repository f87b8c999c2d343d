import { tanstackRouter } from "@tanstack/router-plugin/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

import { runtimeConfigPlugin } from "./vite-config-plugin.ts";

const port = Number(process.env.WEB_PORT ?? 5173);

export default defineConfig({
  plugins: [tanstackRouter({ target: "react", autoCodeSplitting: true }), react(), runtimeConfigPlugin()],
  server: { port, strictPort: true, host: "127.0.0.1" },
  preview: { port, strictPort: true, host: "127.0.0.1" },
  build: { target: "es2022", sourcemap: false, manifest: true },
});
