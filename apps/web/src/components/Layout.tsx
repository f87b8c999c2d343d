import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";

import { LocalChainTools } from "./LocalChainTools.tsx";
import { TxList, WalletMenu } from "./WalletMenu.tsx";

const nav = [
  { to: "/proposals", label: "Proposals" },
  { to: "/proposals/new", label: "New proposal" },
  { to: "/delegates", label: "Delegates" },
  { to: "/treasury", label: "Treasury" },
  { to: "/decisions", label: "Decision log" },
] as const;

export function Layout({ children }: { children: ReactNode }) {
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
                <Link to={item.to} activeProps={{ "aria-current": "page", className: "active" }} activeOptions={{ exact: item.to === "/proposals/new" }}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <WalletMenu />
      </header>
      <TxList />
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer>
        <LocalChainTools />
      </footer>
    </>
  );
}
