import { decodeAction, tokenAddressesOf, type DecodedAction, type DecodedArg } from "../lib/decode.ts";
import type { ProposalDetail } from "../lib/queries.ts";
import { useServices } from "../lib/services.tsx";
import { useTokenMetadata } from "../lib/tokens.ts";
import { Address as AddressView } from "./ui.tsx";

function title(a: DecodedAction): string {
  if (a.functionName) return a.functionName;
  if (a.kind === "empty") return "Call without data";
  return a.signature ?? "Unknown function";
}

function ArgValue({ arg }: { arg: DecodedArg }) {
  if (arg.display) return <strong data-testid="amount">{arg.display}</strong>;
  if (arg.label) return <AddressView value={arg.value} name={arg.label} />;
  return (
    <>
      <code>{arg.value}</code>
      {arg.note && <span className="muted amount-note"> ({arg.note})</span>}
    </>
  );
}

function RawRow({ name, value, testId }: { name: string; value: string; testId?: string }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td>
        <code data-testid={testId}>{value}</code>
      </td>
    </tr>
  );
}

/**
 * A proposal's actions, each decoded: what it does in words for token calls, the function, target and
 * arguments with amounts in the token's units (its symbol and decimals read from the chain), and the
 * exact values and data folded away for whoever wants to check them.
 */
export function Actions({ proposal }: { proposal: Pick<ProposalDetail, "actions"> }) {
  const { config } = useServices();
  const { tokens, pending } = useTokenMetadata(tokenAddressesOf(proposal.actions, config));
  const decoded = proposal.actions.map((a) => decodeAction(a, config, tokens, { pending }));
  return (
    <section className="card">
      <h2>Actions ({decoded.length})</h2>
      <ol>
        {decoded.map((a) => (
          <li key={a.index} id={`action-${a.index + 1}`} data-testid="action">
            {a.summary && (
              <p className="action-summary" data-testid="action-summary">
                {a.summary}
              </p>
            )}
            {a.kind === "eth-transfer" ? (
              <p>
                No function is called: {a.valueDisplay} goes to {a.targetName ?? "external address"} <AddressView value={a.target} />
              </p>
            ) : (
              <p>
                <strong>{title(a)}</strong> on {a.targetName ?? "external address"} <AddressView value={a.target} />
                {a.value > 0n && <> with {a.valueDisplay}</>}
              </p>
            )}
            {a.args.length > 0 && (
              <table className="action-args">
                <tbody>
                  {a.args.map((arg, i) => (
                    <tr key={i}>
                      <th scope="row">{arg.name}</th>
                      <td>
                        <ArgValue arg={arg} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {a.trailingBytes !== undefined && (
              <p className="warning" role="alert" data-testid="trailing-bytes">
                This call carries {a.trailingBytes} more byte{a.trailingBytes === 1 ? "" : "s"} of data after its arguments. The function ignores them, but they are part of the proposal: ask the
                proposer why.
              </p>
            )}
            <details className="action-raw">
              <summary>{a.kind === "unknown-call" ? "Not decoded: technical details" : "Technical details"}</summary>
              <table className="action-raw-table">
                <tbody>
                  <RawRow name="Target" value={a.target} />
                  {a.signature && <RawRow name="Function" value={a.signature} />}
                  {a.args.map((arg, i) => (
                    <RawRow key={i} name={`${arg.name} (${arg.type})`} value={arg.value} testId="raw-value" />
                  ))}
                  <RawRow name="Value (wei)" value={a.value.toString()} />
                  <RawRow name="Calldata" value={a.calldata} />
                </tbody>
              </table>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}
