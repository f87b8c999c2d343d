import { useMutation, useQuery } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { descriptionBytesOf, governorAbi, hashDescription, hashProposal } from "@ai-dao/protocol";
import { actionLabel, readDecisionReport } from "@ai-dao/reports";
import { useDeferredValue, useMemo, useState, type FocusEvent, type ReactNode } from "react";
import { getAddress, isAddress, type Address } from "viem";

import { Description } from "../components/Description.tsx";
import { ReportView } from "../components/Report.tsx";
import { ErrorNote } from "../components/ui.tsx";
import { AnalystError, type AnalysisPreview } from "../lib/analyst.ts";
import { fieldKey, NO_MODEL, readDraftingAvailable, toAnalystInput, validateProposal, withProposerSuffix, type ActionDraft, type BuiltProposal } from "../lib/builder.ts";
import type { RuntimeConfig } from "../lib/config.ts";
import { decodeAction, tokenAddressesOf } from "../lib/decode.ts";
import { formatAmount, shortAddress } from "../lib/format.ts";
import { daoTokenMetadata, tokenLabel, useTokenMetadata, useTreasuryAssets, useTreasuryBalances, type TokenMetadataMap, type TreasuryAsset } from "../lib/tokens.ts";
import { useServices } from "../lib/services.tsx";
import { simulateAndWrite } from "../lib/tx.ts";
import { useWallet } from "../lib/wallet.tsx";

export const Route = createFileRoute("/proposals/new")({
  component: NewProposal,
});

const blank: Record<ActionDraft["kind"], () => ActionDraft> = {
  eth: () => ({ kind: "eth", to: "", amount: "" }),
  token: () => ({ kind: "token", token: "", to: "", amount: "" }),
  call: () => ({ kind: "call", target: "", abiOrSignature: "", functionName: "", args: "", value: "" }),
  raw: () => ({ kind: "raw", target: "", value: "0", calldata: "0x" }),
};

const kindLabel: Record<ActionDraft["kind"], string> = {
  eth: "Send ETH from the treasury",
  token: "Send tokens from the treasury",
  call: "Call a contract",
  raw: "Raw call (drafted)",
};

/** What a field shows beside its input: its problem, a warning, a hint; shown once the field was used or a preview was asked for. */
interface FieldState {
  id: string;
  error?: string | undefined;
  warning?: string | undefined;
  hint?: ReactNode;
  onBlur: (e: FocusEvent<HTMLElement>) => void;
}

function Field({
  label,
  value,
  onChange,
  placeholder,
  multiline,
  field,
  suffix,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  placeholder?: string;
  multiline?: boolean;
  field: FieldState;
  suffix?: string | undefined;
}) {
  const described = [field.error && `${field.id}-error`, field.warning && `${field.id}-warning`, field.hint && `${field.id}-hint`].filter(Boolean).join(" ") || undefined;
  const common = {
    id: field.id,
    value,
    placeholder,
    "aria-invalid": field.error ? true : undefined,
    "aria-describedby": described,
    onBlur: field.onBlur,
  } as const;
  return (
    <div className={`field${field.error ? " field-invalid" : ""}`}>
      <label htmlFor={field.id}>{label}</label>
      <div className="field-input">
        {multiline ? <textarea {...common} onChange={(e) => onChange(e.target.value)} rows={3} /> : <input {...common} onChange={(e) => onChange(e.target.value)} />}
        {suffix && (
          <span className="field-suffix" aria-hidden="true">
            {suffix}
          </span>
        )}
      </div>
      {field.hint && (
        <p className="field-hint muted" id={`${field.id}-hint`}>
          {field.hint}
        </p>
      )}
      {field.error && (
        <p className="field-error" id={`${field.id}-error`} data-testid="field-error">
          {field.error}
        </p>
      )}
      {field.warning && (
        <p className="field-warning" id={`${field.id}-warning`} data-testid="field-warning">
          {field.warning}
        </p>
      )}
    </div>
  );
}

const CUSTOM = "custom";

/** The picker's value for an action: "eth", a lower-case token address, or "custom". */
function assetChoice(action: ActionDraft, config: RuntimeConfig): string {
  if (action.kind === "eth") return "eth";
  if (action.kind !== "token") return "";
  if (action.custom) return CUSTOM;
  return (action.token.trim() || config.contracts.token).toLowerCase();
}

function SendEditor({
  action,
  fieldFor,
  onChange,
  assets,
  assetsLoading,
  tokens,
  pending,
  balances,
}: {
  action: Extract<ActionDraft, { kind: "eth" | "token" }>;
  fieldFor: (name: string, hint?: ReactNode, always?: boolean) => FieldState;
  onChange: (a: ActionDraft) => void;
  assets: TreasuryAsset[];
  assetsLoading: boolean;
  tokens: TokenMetadataMap;
  pending: ReadonlySet<string>;
  balances: ReadonlyMap<string, bigint>;
}) {
  const { config } = useServices();
  const choice = assetChoice(action, config);
  const to = action.to;
  const amount = action.amount;
  const pick = (value: string) => {
    if (value === "eth") onChange({ kind: "eth", to, amount });
    else if (value === CUSTOM) onChange({ kind: "token", token: "", custom: true, to, amount });
    else onChange({ kind: "token", token: value === config.contracts.token.toLowerCase() ? "" : getAddress(value), to, amount });
  };
  // A token chosen earlier (or typed) that the discovered list does not hold still gets an option.
  const listed = assets.some((a) => (a.token?.toLowerCase() ?? "eth") === choice);
  const tokenAddress = action.kind === "token" ? (action.custom ? action.token.trim() : action.token.trim() || config.contracts.token) : null;
  const meta = tokenAddress && isAddress(tokenAddress, { strict: false }) ? (tokenAddress.toLowerCase() === config.contracts.token.toLowerCase() ? daoTokenMetadata(config) : tokens.get(tokenAddress.toLowerCase())) : undefined;
  const unit = action.kind === "eth" ? "ETH" : meta && meta.decimals !== null ? tokenLabel(meta, config) : undefined;
  const balance = action.kind === "eth" ? balances.get("eth") : tokenAddress ? balances.get(tokenAddress.toLowerCase()) : undefined;
  const decimals = action.kind === "eth" ? 18 : (meta?.decimals ?? null);
  const balanceHint = balance !== undefined && decimals !== null ? <>The treasury holds {formatAmount(balance, decimals, 6, unit ? { symbol: unit } : {})}.</> : undefined;
  const tokenHint =
    action.kind === "token" && action.custom && tokenAddress
      ? pending.has(tokenAddress.toLowerCase())
        ? "Reading the token…"
        : meta && meta.decimals !== null
          ? `${tokenLabel(meta, config)}, counted in ${meta.decimals} decimal place${meta.decimals === 1 ? "" : "s"} (read from the token).`
          : undefined
      : undefined;
  const assetField = fieldFor("asset");
  return (
    <>
      <div className="field">
        <label htmlFor={assetField.id}>What to send</label>
        <div className="field-input">
          <select id={assetField.id} value={choice} onChange={(e) => pick(e.target.value)}>
            {assets.map((a) => (
              <option key={a.token ?? "eth"} value={a.token?.toLowerCase() ?? "eth"}>
                {assetOption(a, config)}
              </option>
            ))}
            {!listed && choice !== CUSTOM && choice !== "" && <option value={choice}>{unit ?? shortAddress(choice)}</option>}
            <option value={CUSTOM}>Another token (enter its address)</option>
          </select>
        </div>
        {assetsLoading && <p className="field-hint muted">Looking for the tokens the treasury holds…</p>}
      </div>
      {action.kind === "token" && action.custom && (
        <Field label="Token address" value={action.token} onChange={(v) => onChange({ ...action, token: v })} placeholder="0x…" field={fieldFor("token", tokenHint, isAddress(action.token.trim()))} />
      )}
      <Field label="Recipient address" value={action.to} onChange={(v) => onChange({ ...action, to: v })} placeholder="0x…" field={fieldFor("to")} />
      <Field
        label={action.kind === "eth" ? "Amount (ETH)" : "Amount (tokens)"}
        value={action.amount}
        onChange={(v) => onChange({ ...action, amount: v })}
        placeholder={action.kind === "eth" ? "1.5" : "1000"}
        suffix={unit}
        field={fieldFor("amount", balanceHint)}
      />
    </>
  );
}

function assetOption(a: TreasuryAsset, config: RuntimeConfig): string {
  const name = a.token === null ? "ETH" : a.isDaoToken ? `${a.symbol} (the DAO's token)` : tokenLabel({ address: a.token, symbol: a.symbol || null }, config);
  return a.balance === null ? name : `${name}: ${formatAmount(a.balance, a.decimals, 4)} in the treasury`;
}

/** Drafted actions arrive as raw calls: say what each does, decoded as on the proposal page. */
function RawPreview({ action, index, tokens, pending }: { action: Extract<ActionDraft, { kind: "raw" }>; index: number; tokens: TokenMetadataMap; pending: ReadonlySet<string> }) {
  const { config } = useServices();
  const decoded = rawCall(action, index);
  if (!decoded) return null;
  const d = decodeAction(decoded, config, tokens, { pending });
  const where = d.targetName ?? shortAddress(d.target);
  const text =
    d.summary ??
    (d.kind === "eth-transfer" ? `Send ${d.valueDisplay} from the treasury to ${where}` : d.functionName ? `Call ${d.functionName} on ${where}${d.value > 0n ? ` with ${d.valueDisplay}` : ""}` : `A call this app cannot decode, to ${where}`);
  return (
    <p className="action-summary" data-testid="raw-preview">
      {text}
    </p>
  );
}

/** A raw draft as a call to decode, when its fields are well formed. */
function rawCall(action: Extract<ActionDraft, { kind: "raw" }>, index: number) {
  const value = action.value.trim() || "0";
  const calldata = action.calldata.trim() || "0x";
  if (!isAddress(action.target.trim(), { strict: false }) || !/^\d+$/.test(value) || !/^0x([0-9a-fA-F]{2})*$/.test(calldata)) return null;
  return { index, target: action.target.trim(), value, calldata };
}

function ActionEditor({
  action,
  index,
  onChange,
  onRemove,
  fieldFor,
  ...send
}: {
  action: ActionDraft;
  index: number;
  onChange: (a: ActionDraft) => void;
  onRemove: () => void;
  fieldFor: (name: string, hint?: ReactNode, always?: boolean) => FieldState;
  assets: TreasuryAsset[];
  assetsLoading: boolean;
  tokens: TokenMetadataMap;
  pending: ReadonlySet<string>;
  balances: ReadonlyMap<string, bigint>;
}) {
  const set = (key: string) => (value: string) => onChange({ ...action, [key]: value } as ActionDraft);
  return (
    <fieldset data-testid="action-editor">
      <legend>
        {actionLabel(index, { capital: true })}: {kindLabel[action.kind]}
      </legend>
      {(action.kind === "eth" || action.kind === "token") && <SendEditor action={action} fieldFor={fieldFor} onChange={onChange} {...send} />}
      {action.kind === "call" && (
        <>
          <Field label="Target contract" value={action.target} onChange={set("target")} placeholder="0x…" field={fieldFor("target")} />
          <Field
            label="Function signature, or the contract's ABI JSON"
            value={action.abiOrSignature}
            onChange={set("abiOrSignature")}
            placeholder="setVotingPeriod(uint32 newVotingPeriod)"
            multiline
            field={fieldFor("abiOrSignature")}
          />
          {action.abiOrSignature.trim().startsWith("[") && <Field label="Function name" value={action.functionName} onChange={set("functionName")} field={fieldFor("functionName")} />}
          <Field label="Arguments (comma-separated, or a JSON array)" value={action.args} onChange={set("args")} placeholder='600  or  ["0x…", "100"]' field={fieldFor("args")} />
          <Field label="ETH to send with the call (optional)" value={action.value} onChange={set("value")} placeholder="0" suffix="ETH" field={fieldFor("value")} />
        </>
      )}
      {action.kind === "raw" && (
        <>
          <RawPreview action={action} index={index} tokens={send.tokens} pending={send.pending} />
          <Field label="Target" value={action.target} onChange={set("target")} field={fieldFor("target")} />
          <Field label="Value (wei)" value={action.value} onChange={set("value")} field={fieldFor("value")} />
          <Field label="Calldata" value={action.calldata} onChange={set("calldata")} multiline field={fieldFor("calldata")} />
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
  // Problems show at a field once it has been used, and at every field once a preview was asked for.
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [attempted, setAttempted] = useState(false);

  const { assets, loading: assetsLoading } = useTreasuryAssets();
  const rawCalls = actions.flatMap((a, i) => (a.kind === "raw" ? [rawCall(a, i)].filter((c) => c !== null) : []));
  const tokenAddresses = [...actions.flatMap((a) => (a.kind === "token" && a.token.trim() !== "" ? [a.token.trim()] : [])), ...tokenAddressesOf(rawCalls, config)];
  const { tokens, pending } = useTokenMetadata(tokenAddresses);
  const balances = useTreasuryBalances([null, ...tokenAddresses.filter((t) => isAddress(t, { strict: false })).map((t) => getAddress(t)), config.contracts.token as Address]);

  const validation = useMemo(() => validateProposal(actions, description, wallet.account, config, { tokens, pending, balances }), [actions, description, wallet.account, config, tokens, pending, balances]);
  const proposal = validation.proposal;
  const errorCount = Object.keys(validation.errors).length;

  const health = useQuery({ queryKey: ["analyst-drafting", config.analystUrl], queryFn: () => readDraftingAvailable(analyst), staleTime: 60_000, retry: false });
  const draftingOff = health.data === false;

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

  const previewCurrent = preview !== null && proposal !== null && preview.fingerprint === fingerprint(proposal);

  const fieldFor = (key: string, hint?: ReactNode, always = false): FieldState => {
    const visible = always || attempted || touched.has(key);
    return {
      id: `field-${key}`,
      error: visible ? validation.errors[key] : undefined,
      warning: validation.warnings[key],
      hint,
      // Shown when the member moves on to another field; not when a button is pressed, where a problem
      // appearing would move the button away from the pointer (the button shows them all anyway).
      onBlur: (e) => {
        const next = e.relatedTarget;
        if (next instanceof HTMLInputElement || next instanceof HTMLSelectElement || next instanceof HTMLTextAreaElement) setTouched((t) => (t.has(key) ? t : new Set(t).add(key)));
      },
    };
  };

  const previewAnalysis = () => {
    if (proposal) {
      analyze.mutate(proposal);
      return;
    }
    setAttempted(true);
    // Take the keyboard to the first field to fix.
    const first = Object.keys(validation.errors)[0];
    if (first) setTimeout(() => document.getElementById(`field-${first}`)?.focus(), 0);
  };

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

  const editorProps = { assets, assetsLoading, tokens, pending, balances };

  return (
    <section>
      <h1>New proposal</h1>
      <section className="card" aria-labelledby="draft-heading">
        <h2 id="draft-heading">Draft with AI</h2>
        <Field
          label="What should the DAO do? One sentence."
          value={intent}
          onChange={setIntent}
          placeholder="Send 2 ETH from the treasury to 0x… for the audit"
          field={{ id: "field-intent", hint: draftingOff ? NO_MODEL : undefined, onBlur: () => undefined }}
        />
        <button type="button" disabled={draftingOff || !intent.trim() || draft.isPending} aria-describedby={draftingOff ? "field-intent-hint" : undefined} onClick={() => draft.mutate()}>
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
            fieldFor={(name, hint, always) => fieldFor(fieldKey(i, name), hint, always)}
            onChange={(a) => setActions((list) => list.map((x, j) => (j === i ? a : x)))}
            onRemove={() => setActions((list) => list.filter((_, j) => j !== i))}
            {...editorProps}
          />
        ))}
        {validation.errors.actions && (attempted || actions.length === 0) && (
          <p className="field-error" data-testid="field-error">
            {validation.errors.actions}
          </p>
        )}
        <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
          {(["eth", "token", "call"] as const).map((kind) => (
            <button key={kind} type="button" onClick={() => setActions((list) => [...list, blank[kind]()])}>
              + {kindLabel[kind]}
            </button>
          ))}
        </div>
      </section>

      <section className="card">
        <Field
          label="Description (Markdown; the first line is the title)"
          value={description}
          onChange={setDescription}
          multiline
          placeholder={"# Fund the audit\n\nWhy, for whom, how much."}
          field={fieldFor("description")}
        />
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

      {attempted && errorCount > 0 && (
        <p className="field-error" role="alert" data-testid="problem-count">
          {errorCount === 1 ? "One field needs fixing" : `${errorCount} fields need fixing`}: each problem is shown next to its field.
        </p>
      )}
      <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
        <button type="button" disabled={analyze.isPending} onClick={previewAnalysis}>
          {analyze.isPending ? "Analysing…" : "Preview analysis"}
        </button>
        <button type="button" className="primary" disabled={!proposal || !previewCurrent || !wallet.account} onClick={() => proposal && void submit(proposal)}>
          Submit proposal
        </button>
      </div>
      {validation.pending.length > 0 && <p className="muted">Reading the token from the chain…</p>}
      {!previewCurrent && proposal && <p className="muted">Preview the analysis of exactly what will be submitted before submitting.</p>}
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
