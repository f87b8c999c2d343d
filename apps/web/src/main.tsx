import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App, createAppRouter, createQueryClient } from "./app.tsx";
import { loadRuntimeConfig } from "./lib/config.ts";
import { createServices } from "./lib/services.tsx";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);

loadRuntimeConfig()
  .then((config) => {
    root.render(
      <StrictMode>
        <App services={createServices(config)} router={createAppRouter()} queryClient={createQueryClient()} />
      </StrictMode>,
    );
  })
  .catch((error: Error) => {
    root.render(
      <main id="main" className="boot-error" role="alert">
        <h1>The app cannot start</h1>
        <p>{error.message}</p>
        <p>It reads its configuration (chain, RPC, indexer, analyst API, contract addresses) from /config.json next to the app.</p>
      </main>,
    );
  });
