// Canceling a proposal: the proposal guardian at any stage before execution, the proposer while the
// Governor allows (before voting starts, or at any stage when there is no guardian). Behind a
// confirmation, since it cannot be undone.
import { governorAbi, type ProposalStateName } from "@ai-dao/protocol";
import { useQuery } from "@tanstack/react-query";
import { useRef, useState } from "react";
import type { Address } from "viem";

import { cancelRole } from "../lib/risk-delay.ts";
import { useServices } from "../lib/services.tsx";
import { simulateAndWrite } from "../lib/tx.ts";
import { useWallet } from "../lib/wallet.tsx";
import { Modal, refocus } from "./Modal.tsx";

/** The Governor's proposal guardian (null while unread; the zero address when there is none). */
export function useProposalGuardian(): Address | null {
  const { publicClient, config } = useServices();
  const { data } = useQuery({
    queryKey: ["proposal-guardian"],
    queryFn: () => publicClient.readContract({ address: config.contracts.governor as Address, abi: governorAbi, functionName: "proposalGuardian" }),
    staleTime: 60_000,
    retry: 1,
  });
  return data ?? null;
}

export function CancelProposal({ proposalId, title, proposer, state }: { proposalId: string; title: string; proposer: string; state: ProposalStateName }) {
  const wallet = useWallet();
  const { publicClient, config } = useServices();
  const guardian = useProposalGuardian();
  const [confirming, setConfirming] = useState(false);
  const opener = useRef<HTMLButtonElement | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const role = cancelRole({ account: wallet.account, guardian, proposer, state });
  if (role === null) return null;

  const close = () => {
    setConfirming(false);
    refocus(opener.current, heading.current);
  };
  const send = () =>
    void wallet.run("Cancel proposal", (client, account) =>
      simulateAndWrite(publicClient, client, account, { address: config.contracts.governor as Address, abi: governorAbi, functionName: "cancel", args: [BigInt(proposalId)] }),
    );
  return (
    <section className="card" aria-labelledby="cancel-heading" id="cancel-proposal" data-testid="cancel-card">
      <h2 id="cancel-heading" ref={heading} tabIndex={-1}>
        Cancel proposal
      </h2>
      <p>
        {role === "guardian"
          ? "You are the proposal guardian: you can cancel this proposal at any time before it is executed."
          : state === "Pending"
            ? "You made this proposal: you can cancel it until voting starts."
            : "You made this proposal: you can cancel it at any time before it is executed."}
      </p>
      <button
        type="button"
        className="danger"
        onClick={(e) => {
          opener.current = e.currentTarget;
          setConfirming(true);
        }}
      >
        Cancel proposal
      </button>
      {confirming && (
        <Modal headingId="cancel-confirm-heading" heading="Cancel this proposal?" describedBy="cancel-confirm-what" testId="cancel-dialog" onCancel={close}>
          <p id="cancel-confirm-what">
            “{title || "(untitled)"}” will be canceled for good: it can never be {state === "Queued" ? "executed" : "queued or executed"}, and doing what it asks would take a new proposal and a new vote.
          </p>
          {state === "Queued" && <p>Its scheduled execution in the treasury is called off too.</p>}
          <div className="dialog-buttons">
            <button type="button" onClick={close}>
              Keep it
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                close();
                send();
              }}
            >
              Yes, cancel it
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
