import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider, createRouter, type RouterHistory } from "@tanstack/react-router";

import type { Services } from "./lib/services.tsx";
import { ServicesProvider } from "./lib/services.tsx";
import { WalletProvider } from "./lib/wallet.tsx";
import { routeTree } from "./routeTree.gen.ts";

export function createAppRouter(history?: RouterHistory) {
  return createRouter({ routeTree, defaultPreload: "intent", scrollRestoration: true, ...(history ? { history } : {}) });
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
