import { useMutation } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { descriptionBytesOf, governorAbi, hashDescription, hashProposal } from "@ai-dao/protocol";
import { readDecisionReport } from "@ai-dao/reports";
import { useDeferredValue, useMemo, useState } from "react";
import { type Address } from "viem";

import { Description } from "../components/Description.tsx";
import { ReportView } from "../components/Report.tsx";
import { ErrorNote } from "../components/ui.tsx";
import { AnalystError, type AnalysisPreview } from "../lib/analyst.ts";
import { buildProposal, toAnalystInput, withProposerSuffix, type ActionDraft, type BuiltProposal } from "../lib/builder.ts";
import { useServices } from "../lib/services.tsx";
import { simulateAndWrite } from "../lib/tx.ts";
import { useWallet } from "../lib/wallet.tsx";

export const Route = createFileRoute("/proposals/new")({
  component: NewProposal,
});

const blank: Record<ActionDraft["kind"], () => ActionDraft> = {
  eth: () => ({ kind: "eth", to: "", amount: "" }),
  token: () => ({ kind: "token", token: "", decimals: "", to: "", amount: "" }),
  call: () => ({ kind: "call", target: "", abiOrSignature: "", functionName: "", args: "", value: "" }),
  raw: () => ({ kind: "raw", target: "", value: "0", calldata: "0x" }),
};

const kindLabel: Record<ActionDraft["kind"], string> = {
  eth: "Send ETH from the treasury",
  token: "Send tokens from the treasury",
  call: "Call a contract",
  raw: "Raw call (drafted)",
};

function Field({ label, value, onChange, placeholder, multiline }: { label: string; value: string; onChange: (v: string) => void; placeholder?: string; multiline?: boolean }) {
  return (
    <label style={{ display: "block", marginBottom: 6 }}>
      {label}
      <br />
      {multiline ? <textarea value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} rows={3} /> : <input value={value} onChange={(e) => onChange(e.target.value)} placeholder={placeholder} style={{ width: "100%" }} />}
    </label>
  );
}

function ActionEditor({ action, index, onChange, onRemove }: { action: ActionDraft; index: number; onChange: (a: ActionDraft) => void; onRemove: () => void }) {
  const { config } = useServices();
  const set = (key: string) => (value: string) => onChange({ ...action, [key]: value } as ActionDraft);
  return (
    <fieldset data-testid="action-editor">
      <legend>
        Action {index + 1}: {kindLabel[action.kind]}
      </legend>
      {action.kind === "eth" && (
        <>
          <Field label="Recipient address" value={action.to} onChange={set("to")} placeholder="0x…" />
          <Field label="Amount (ETH)" value={action.amount} onChange={set("amount")} placeholder="1.5" />
        </>
      )}
      {action.kind === "token" && (
        <>
          <Field label={`Token address (empty: ${config.token.symbol})`} value={action.token} onChange={set("token")} placeholder={config.contracts.token} />
          <Field label={`Decimals (empty: ${config.token.decimals})`} value={action.decimals} onChange={set("decimals")} />
          <Field label="Recipient address" value={action.to} onChange={set("to")} placeholder="0x…" />
          <Field label="Amount (tokens)" value={action.amount} onChange={set("amount")} placeholder="1000" />
        </>
      )}
      {action.kind === "call" && (
        <>
          <Field label="Target contract" value={action.target} onChange={set("target")} placeholder="0x…" />
          <Field label="Function signature, or the contract's ABI JSON" value={action.abiOrSignature} onChange={set("abiOrSignature")} placeholder="setVotingPeriod(uint32 newVotingPeriod)" multiline />
          {action.abiOrSignature.trim().startsWith("[") && <Field label="Function name" value={action.functionName} onChange={set("functionName")} />}
          <Field label="Arguments (comma-separated, or a JSON array)" value={action.args} onChange={set("args")} placeholder='600  or  ["0x…", "100"]' />
          <Field label="ETH to send with the call (optional)" value={action.value} onChange={set("value")} placeholder="0" />
        </>
      )}
      {action.kind === "raw" && (
        <>
          <Field label="Target" value={action.target} onChange={set("target")} />
          <Field label="Value (wei)" value={action.value} onChange={set("value")} />
          <Field label="Calldata" value={action.calldata} onChange={set("calldata")} multiline />
        </>
      )}
      <button type="button" onClick={onRemove}>
        Remove action {index + 1}
      </button>
    </fieldset>
  );
}

/** Exactly what would be submitted, to tell whether the analysis preview is of the current inputs. */
function fingerprint(p: BuiltProposal): string {
  return JSON.stringify([p.targets, p.values.map(String), p.calldatas, p.description]);
}

function NewProposal() {
  const { config, analyst, publicClient } = useServices();
  const wallet = useWallet();
  const navigate = useNavigate();
  const [actions, setActions] = useState<ActionDraft[]>([blank.eth()]);
  const [description, setDescription] = useState("");
  const [intent, setIntent] = useState("");
  const [preview, setPreview] = useState<{ fingerprint: string; analysis: AnalysisPreview } | null>(null);

  const built = useMemo(() => {
    try {
      return { proposal: buildProposal(actions, description, wallet.account, config), error: null };
    } catch (error) {
      return { proposal: null, error: (error as Error).message };
    }
  }, [actions, description, wallet.account, config]);

  const analyze = useMutation({
    mutationFn: async (p: BuiltProposal) => ({ fingerprint: fingerprint(p), analysis: await analyst.analyze(toAnalystInput(p, wallet.account)) }),
    onSuccess: setPreview,
  });
  const draft = useMutation({
    mutationFn: () => analyst.draft(intent, wallet.account ?? undefined),
    onSuccess: (d) => {
      setActions(d.proposal.targets.map((target, i) => ({ kind: "raw", target, value: d.proposal.values[i] ?? "0", calldata: d.proposal.calldatas[i] ?? "0x" })));
      setDescription(d.proposal.description.replace(/\n*#proposer=0x[0-9a-fA-F]{40}$/, ""));
      setPreview(null);
    },
  });

  // The description as it will be submitted, rendered as voters will see it (deferred while typing).
  const shown = useDeferredValue(description.trim() === "" ? "" : withProposerSuffix(description, wallet.account));

  const previewCurrent = preview !== null && built.proposal !== null && preview.fingerprint === fingerprint(built.proposal);

  const submit = async (p: BuiltProposal) => {
    const ok = await wallet.run("Propose", (client, account) =>
      simulateAndWrite(publicClient, client, account, {
        address: config.contracts.governor as Address,
        abi: governorAbi,
        functionName: "propose",
        args: [p.targets, p.values, p.calldatas, p.description],
      }),
    );
    if (ok) {
      // The Governor's id, from the bytes the description is sent as (its UTF-8).
      const id = hashProposal({ targets: p.targets, values: p.values, calldatas: p.calldatas, descriptionHash: hashDescription(descriptionBytesOf(p.description)) });
      void navigate({ to: "/proposals/$proposalId", params: { proposalId: id.toString() } });
    }
  };

  return (
    <section>
      <h1>New proposal</h1>
      <section className="card" aria-labelledby="draft-heading">
        <h2 id="draft-heading">Draft with AI</h2>
        <Field label="What should the DAO do? One sentence." value={intent} onChange={setIntent} placeholder="Send 2 ETH from the treasury to 0x… for the audit" />
        <button type="button" disabled={!intent.trim() || draft.isPending} onClick={() => draft.mutate()}>
          {draft.isPending ? "Drafting…" : "Draft with AI"}
        </button>
        {draft.error && <ErrorNote error={draft.error} title={draft.error instanceof AnalystError && draft.error.status === 503 ? "Drafting is unavailable" : "Drafting failed"} />}
      </section>

      <section className="card actions" aria-labelledby="actions-heading">
        <h2 id="actions-heading">Actions</h2>
        {actions.map((action, i) => (
          <ActionEditor
            key={i}
            action={action}
            index={i}
            onChange={(a) => setActions((list) => list.map((x, j) => (j === i ? a : x)))}
            onRemove={() => setActions((list) => list.filter((_, j) => j !== i))}
          />
        ))}
        <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
          {(["eth", "token", "call"] as const).map((kind) => (
            <button key={kind} type="button" onClick={() => setActions((list) => [...list, blank[kind]()])}>
              + {kindLabel[kind]}
            </button>
          ))}
        </div>
      </section>

      <section className="card">
        <Field label="Description (Markdown; the first line is the title)" value={description} onChange={setDescription} multiline placeholder={"# Fund the audit\n\nWhy, for whom, how much."} />
        {wallet.account ? (
          <p className="muted">
            The description will end with <code>#proposer={wallet.account}</code>, so only you can submit it.
          </p>
        ) : (
          <p className="muted">Connect a wallet: the proposer's address is added to the description.</p>
        )}
      </section>
      {shown !== "" && (
        <div data-testid="description-preview">
          <Description text={shown} heading="Description as voters will see it" />
        </div>
      )}

      {built.error && (
        <p className="muted" role="status">
          Not ready: {built.error}
        </p>
      )}
      <div style={{ display: "flex", gap: 8 }}>
        <button type="button" disabled={!built.proposal || analyze.isPending} onClick={() => built.proposal && analyze.mutate(built.proposal)}>
          {analyze.isPending ? "Analysing…" : "Preview analysis"}
        </button>
        <button type="button" className="primary" disabled={!built.proposal || !previewCurrent || !wallet.account} onClick={() => built.proposal && void submit(built.proposal)}>
          Submit proposal
        </button>
      </div>
      {!previewCurrent && built.proposal && <p className="muted">Preview the analysis of exactly what will be submitted before submitting.</p>}
      {analyze.error && <ErrorNote error={analyze.error} title="Analysis failed" />}
      {preview && (
        <section className="card" aria-labelledby="preview-heading" data-testid="analysis-preview">
          <h2 id="preview-heading">Analysis preview {previewCurrent ? "" : "(outdated: the proposal changed)"}</h2>
          <ReportView read={readDecisionReport("Analysis", preview.analysis.reportJson)} reportJson={preview.analysis.reportJson} />
        </section>
      )}
    </section>
  );
}
