import { Link, Outlet, createRootRoute, type ErrorComponentProps } from "@tanstack/react-router";

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
  // Rendered inside the layout's main landmark: a heading names the page for screen readers.
  notFoundComponent: () => (
    <section>
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address. See the <Link to="/proposals">proposals</Link>.
      </p>
    </section>
  ),
});
