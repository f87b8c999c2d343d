import { createFileRoute } from "@tanstack/react-router";

import { ProposalsPage, proposalsSearchSchema } from "../components/ProposalsPage.tsx";

export const Route = createFileRoute("/proposals/")({
  validateSearch: proposalsSearchSchema,
  component: function Proposals() {
    return <ProposalsPage search={Route.useSearch()} from="/proposals/" />;
  },
});
