import { render } from "@testing-library/react";
import { createMemoryHistory } from "@tanstack/react-router";

import { App, createAppRouter, createQueryClient } from "../src/app.tsx";
import { createServices } from "../src/lib/services.tsx";
import { config, mockFetch, type MockOptions } from "./fixtures.ts";

/** Renders the whole app (router, data, wallet) at `path` with every network call answered by fixtures. */
export function renderAt(path: string, options: MockOptions = {}) {
  const { fetch, calls } = mockFetch(options);
  const services = createServices(config, fetch);
  const router = createAppRouter(createMemoryHistory({ initialEntries: [path] }));
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false, refetchInterval: false, staleTime: Infinity } });
  const utils = render(<App services={services} router={router} queryClient={queryClient} />);
  return { ...utils, calls, router };
}
