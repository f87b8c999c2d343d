import { Outlet, createRootRoute, type ErrorComponentProps } from "@tanstack/react-router";

import { Layout } from "../components/Layout.tsx";
import { ErrorNote } from "../components/ui.tsx";

function RouteError({ error, reset }: ErrorComponentProps) {
  return (
    <Layout>
      <ErrorNote error={error} title="This page failed" />
      <button type="button" onClick={reset}>
        Try again
      </button>
    </Layout>
  );
}

export const Route = createRootRoute({
  component: () => (
    <Layout>
      <Outlet />
    </Layout>
  ),
  errorComponent: RouteError,
  notFoundComponent: () => <p>Page not found.</p>,
});
