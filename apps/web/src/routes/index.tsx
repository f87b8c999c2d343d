import { createFileRoute } from "@tanstack/react-router";

import { ProposalsPage, proposalsSearchSchema } from "../components/ProposalsPage.tsx";

export const Route = createFileRoute("/")({
  validateSearch: proposalsSearchSchema,
  component: function Home() {
    return <ProposalsPage search={Route.useSearch()} from="/" />;
  },
});
