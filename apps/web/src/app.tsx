import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider, createRouter, stringifySearchWith, type RouterHistory } from "@tanstack/react-router";

import type { Services } from "./lib/services.tsx";
import { ServicesProvider } from "./lib/services.tsx";
import { WalletProvider } from "./lib/wallet.tsx";
import { routeTree } from "./routeTree.gen.ts";

// Search values stay the text of the address bar: the router's default reading turns `?q=2024` into a
// number and a 77-digit proposal id into an imprecise one. Each page's schema converts what it needs
// (page numbers); written back, strings go as they are.
const parseSearch = (search: string) => Object.fromEntries(new URLSearchParams(search));
const stringifySearch = stringifySearchWith(JSON.stringify);

export function createAppRouter(history?: RouterHistory) {
  return createRouter({ routeTree, defaultPreload: "intent", scrollRestoration: true, parseSearch, stringifySearch, ...(history ? { history } : {}) });
}

declare module "@tanstack/react-router" {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}

export function createQueryClient() {
  return new QueryClient({ defaultOptions: { queries: { retry: 1, staleTime: 2_000, refetchOnWindowFocus: false } } });
}

export function App({ services, router, queryClient }: { services: Services; router: ReturnType<typeof createAppRouter>; queryClient: QueryClient }) {
  return (
    <ServicesProvider services={services}>
      <QueryClientProvider client={queryClient}>
        <WalletProvider>
          <RouterProvider router={router} />
        </WalletProvider>
      </QueryClientProvider>
    </ServicesProvider>
  );
}
