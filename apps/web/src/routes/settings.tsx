import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute } from "@tanstack/react-router";
import { useId, useState, type FormEvent } from "react";
import { isAddress } from "viem";

import { Empty, ErrorNote, Loading } from "../components/ui.tsx";
import { shortAddress } from "../lib/format.ts";
import {
  addSubscription,
  channelInWords,
  deleteSubscription,
  filterInWords,
  listSubscriptions,
  savedSession,
  signIn,
  signOut,
  type Channel,
  type Filter,
  type Session,
} from "../lib/notifier.ts";
import { useServices } from "../lib/services.tsx";
import { useWallet } from "../lib/wallet.tsx";

export const Route = createFileRoute("/settings")({
  component: Settings,
});

function Settings() {
  const { config } = useServices();
  const wallet = useWallet();
  const account = wallet.account;
  const notifierUrl = config.notifierUrl;
  return (
    <div className="settings-page">
      <h1>Notifications</h1>
      <p>
        Hear about what matters without opening the app: new proposals with the analyst&apos;s risk, votes about to close, results, proposals
        queued or executed, and every hold or refusal of the executor. Messages go to email, Discord, Slack, Telegram or your own webhook.
      </p>
      {notifierUrl === undefined ? (
        <Empty>Notifications are not offered by this DAO&apos;s deployment.</Empty>
      ) : account === null ? (
        <p className="muted">Connect a wallet to manage your notifications.</p>
      ) : (
        <Subscriptions key={account} notifierUrl={notifierUrl} account={account} chainId={config.chainId} />
      )}
    </div>
  );
}

function Subscriptions({ notifierUrl, account, chainId }: { notifierUrl: string; account: `0x${string}`; chainId: number }) {
  const [session, setSession] = useState<Session | null>(() => savedSession(account));
  const [signing, setSigning] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const wallet = useWallet();
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ["subscriptions", notifierUrl, session?.token],
    enabled: session !== null,
    queryFn: () => listSubscriptions(notifierUrl, session!),
  });

  const start = async () => {
    setSigning(true);
    setProblem(null);
    try {
      const client = await wallet.client();
      if (client === null) throw new Error("Connect a wallet first.");
      setSession(await signIn(notifierUrl, client, account, chainId));
    } catch (error) {
      setProblem(/rejected/i.test((error as Error).message) ? "You declined the sign-in in your wallet." : (error as Error).message);
    } finally {
      setSigning(false);
    }
  };

  if (session === null) {
    return (
      <section className="card" aria-labelledby="signin-heading">
        <h2 id="signin-heading">Sign in</h2>
        <p>
          To show and change the notifications of {shortAddress(account)}, your wallet asks you to sign a message that proves you hold this
          address. Signing costs nothing and sends no transaction.
        </p>
        <button type="button" className="primary" disabled={signing} onClick={() => void start()}>
          {signing ? "Waiting for your wallet…" : "Sign in with your wallet"}
        </button>
        {problem !== null && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
      </section>
    );
  }

  const remove = async (id: string) => {
    setProblem(null);
    try {
      await deleteSubscription(notifierUrl, session, id);
      await queryClient.invalidateQueries({ queryKey: ["subscriptions"] });
    } catch (error) {
      setProblem((error as Error).message);
    }
  };

  return (
    <>
      <section className="card" aria-labelledby="subs-heading">
        <h2 id="subs-heading">Your notifications</h2>
        {list.isPending ? (
          <Loading what="your notifications" />
        ) : list.isError ? (
          <ErrorNote error={list.error} title="Your notifications could not be read" />
        ) : list.data.length === 0 ? (
          <Empty>None yet: add one below.</Empty>
        ) : (
          <ul className="subscriptions" data-testid="subscriptions">
            {list.data.map((s) => (
              <li key={s.id} data-testid="subscription">
                <div>
                  <strong>{s.label ?? channelInWords(s.channel)}</strong>
                  <div className="muted">
                    {s.label ? `${channelInWords(s.channel)} · ` : ""}
                    {filterInWords(s.filter, shortAddress)}
                  </div>
                </div>
                <button type="button" onClick={() => void remove(s.id)} aria-label={`Remove ${s.label ?? channelInWords(s.channel)}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        {problem !== null && (
          <p role="alert" className="error">
            {problem}
          </p>
        )}
        <button
          type="button"
          onClick={() => {
            signOut(account);
            setSession(null);
          }}
        >
          Sign out
        </button>
      </section>
      <NewSubscription
        onAdd={async (subscription) => {
          await addSubscription(notifierUrl, session, subscription);
          await queryClient.invalidateQueries({ queryKey: ["subscriptions"] });
        }}
      />
    </>
  );
}

const channelLabels: Record<Channel["type"], string> = {
  email: "Email",
  discord: "Discord (a channel's webhook)",
  slack: "Slack (an incoming webhook)",
  telegram: "Telegram (a bot and a chat)",
  webhook: "My own webhook (signed JSON)",
};

function NewSubscription({ onAdd }: { onAdd: (s: { channel: Channel; filter: Filter; label?: string }) => Promise<void> }) {
  const id = useId();
  const [type, setType] = useState<Channel["type"]>("email");
  const [target, setTarget] = useState("");
  const [secret, setSecret] = useState("");
  const [chatId, setChatId] = useState("");
  const [filterKind, setFilterKind] = useState<Filter["kind"]>("all");
  const [minRisk, setMinRisk] = useState("70");
  const [delegate, setDelegate] = useState("");
  const [label, setLabel] = useState("");
  const [state, setState] = useState<{ busy: boolean; problem: string | null; added: boolean }>({ busy: false, problem: null, added: false });

  const channel = (): Channel => {
    switch (type) {
      case "email":
        return { type, to: target.trim() };
      case "telegram":
        return { type, botToken: target.trim(), chatId: chatId.trim() };
      case "webhook":
        return { type, url: target.trim(), secret };
      default:
        return { type, url: target.trim() };
    }
  };
  const filter = (): Filter | string => {
    if (filterKind === "risk") {
      const min = Number(minRisk);
      return Number.isInteger(min) && min >= 0 && min <= 100 ? { kind: "risk", min } : "The risk must be a whole number from 0 to 100.";
    }
    if (filterKind === "delegate") return isAddress(delegate.trim()) ? { kind: "delegate", address: delegate.trim() } : "The delegate must be an address (0x and 40 hex digits).";
    return { kind: filterKind };
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const f = filter();
    if (typeof f === "string") return setState({ busy: false, problem: f, added: false });
    setState({ busy: true, problem: null, added: false });
    try {
      await onAdd({ channel: channel(), filter: f, ...(label.trim() ? { label: label.trim() } : {}) });
      setTarget("");
      setSecret("");
      setChatId("");
      setLabel("");
      setState({ busy: false, problem: null, added: true });
    } catch (error) {
      setState({ busy: false, problem: (error as Error).message, added: false });
    }
  };
  const targetLabel = type === "email" ? "Email address" : type === "telegram" ? "Bot token (from @BotFather)" : "Webhook URL";
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Add a notification</h2>
      <form className="subscription-form" onSubmit={(e) => void submit(e)}>
        <label>
          Send to
          <select value={type} onChange={(e) => setType(e.target.value as Channel["type"])}>
            {Object.entries(channelLabels).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label>
          {targetLabel}
          <input value={target} onChange={(e) => setTarget(e.target.value)} type={type === "email" ? "email" : "text"} required spellCheck={false} autoComplete="off" />
        </label>
        {type === "telegram" && (
          <label>
            Chat id or @channel
            <input value={chatId} onChange={(e) => setChatId(e.target.value)} required spellCheck={false} autoComplete="off" />
          </label>
        )}
        {type === "webhook" && (
          <label>
            Secret (at least 16 characters; each message is signed with it in the X-Signature-256 header)
            <input value={secret} onChange={(e) => setSecret(e.target.value)} minLength={16} required spellCheck={false} autoComplete="off" />
          </label>
        )}
        <label>
          What to hear about
          <select value={filterKind} onChange={(e) => setFilterKind(e.target.value as Filter["kind"])}>
            <option value="all">Every proposal</option>
            <option value="risk">Risky proposals only</option>
            <option value="delegate">A delegate&apos;s votes</option>
            <option value="my-delegate">My delegate&apos;s votes</option>
          </select>
        </label>
        {filterKind === "risk" && (
          <label>
            Lowest risk (0–100) to hear about
            <input value={minRisk} onChange={(e) => setMinRisk(e.target.value)} inputMode="numeric" />
          </label>
        )}
        {filterKind === "delegate" && (
          <label>
            Delegate&apos;s address
            <input value={delegate} onChange={(e) => setDelegate(e.target.value)} placeholder="0x…" spellCheck={false} autoComplete="off" />
          </label>
        )}
        <label>
          Name (optional)
          <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={80} />
        </label>
        <button type="submit" className="primary" disabled={state.busy}>
          Add
        </button>
        {state.problem !== null && (
          <p role="alert" className="error">
            {state.problem}
          </p>
        )}
        {state.added && <p role="status">Added. You will hear about the next events that match.</p>}
      </form>
    </section>
  );
}
