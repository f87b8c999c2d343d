import { decodeAction } from "../lib/decode.ts";
import type { ProposalDetail } from "../lib/queries.ts";
import { useServices } from "../lib/services.tsx";
import { Address as AddressView } from "./ui.tsx";

/** A proposal's actions, each decoded: function, target, arguments (amounts in token units), and raw calldata when needed. */
export function Actions({ proposal }: { proposal: ProposalDetail }) {
  const { config } = useServices();
  const decoded = proposal.actions.map((a) => decodeAction(a, config));
  return (
    <section className="card">
      <h2>Actions ({decoded.length})</h2>
      <ol>
        {decoded.map((a) => (
          <li key={a.index} data-testid="action">
            <p>
              <strong>{a.functionName ?? (a.kind === "eth-transfer" ? "Send ETH" : a.kind === "empty" ? "Call without data" : (a.signature ?? "Unknown function"))}</strong> on {a.targetName ?? "external address"} <AddressView value={a.target} />
              {a.value > 0n && <> with {a.valueDisplay}</>}
            </p>
            {a.args.length > 0 && (
              <table>
                <tbody>
                  {a.args.map((arg, i) => (
                    <tr key={i}>
                      <th scope="row">
                        {arg.name} <span className="muted">{arg.type}</span>
                      </th>
                      <td>
                        {arg.display ? (
                          <>
                            <strong>{arg.display}</strong> <span className="muted">({arg.value})</span>
                          </>
                        ) : (
                          <code>{arg.value}</code>
                        )}
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
            {(a.kind === "unknown-call" || a.trailingBytes !== undefined) && (
              <details>
                <summary>{a.kind === "unknown-call" ? "Raw calldata (not decoded)" : "Raw calldata"}</summary>
                <pre>{a.calldata}</pre>
              </details>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
