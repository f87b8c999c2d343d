import { useQuery } from "@tanstack/react-query";
import { Link, useRouterState } from "@tanstack/react-router";
import type { ReactNode } from "react";

import { INDEX_HEALTH_QUERY } from "../lib/queries.ts";
import { useServices } from "../lib/services.tsx";

import { LocalChainTools } from "./LocalChainTools.tsx";
import { TxList, WalletMenu } from "./WalletMenu.tsx";

const nav = [
  { to: "/proposals", label: "Proposals" },
  { to: "/proposals/new", label: "New proposal" },
  { to: "/delegates", label: "Delegates" },
  { to: "/treasury", label: "Treasury" },
  { to: "/decisions", label: "Decision log" },
  { to: "/settings", label: "Notifications" },
] as const;

/** The nav item whose section the page belongs to: a proposal's page is under Proposals, the builder is not. */
function inSection(to: (typeof nav)[number]["to"], pathname: string): boolean {
  if (to === "/proposals") return pathname === "/" || (/^\/proposals(\/|$)/.test(pathname) && !pathname.startsWith("/proposals/new"));
  return pathname === to || pathname.startsWith(`${to}/`);
}

export function Layout({ children }: { children: ReactNode }) {
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          DAO governance
        </Link>
        <nav aria-label="Main">
          <ul>
            {nav.map((item) => (
              <li key={item.to}>
                {/* The exact page gets aria-current="page" from the router; the section's item is marked "true". */}
                <Link to={item.to} activeOptions={{ exact: true }} className={inSection(item.to, pathname) ? "active" : undefined} aria-current={inSection(item.to, pathname) ? "true" : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <WalletMenu />
      </header>
      <TxList />
      <IndexHealthWarning />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer>
        <LocalChainTools />
      </footer>
    </>
  );
}

/** Says so when the index skipped chain events it could not process: its lists may then be incomplete. */
function IndexHealthWarning() {
  const { gql } = useServices();
  const health = useQuery({
    queryKey: ["index-health"],
    queryFn: () => gql<{ _meta: { hasIndexingErrors: boolean } }>(INDEX_HEALTH_QUERY),
    refetchInterval: 30_000,
  });
  if (health.data?._meta?.hasIndexingErrors !== true) return null;
  return (
    <div role="alert" className="card warning" data-testid="index-health-warning">
      <strong>Some chain events could not be processed.</strong> Lists and totals on these pages may be incomplete; check what matters to
      your vote on the chain itself.
    </div>
  );
}
