import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { LOCAL_CHAIN_ID } from "../lib/config.ts";
import { useChainTime } from "../lib/hooks.ts";
import { formatTimestamp } from "../lib/format.ts";
import { useServices } from "../lib/services.tsx";

/** Moves the local chain's clock (evm_increaseTime + evm_mine). Shown only on chain 31337. */
export function LocalChainTools() {
  const { config, publicClient } = useServices();
  const queryClient = useQueryClient();
  const now = useChainTime();
  const [seconds, setSeconds] = useState("60");
  const [busy, setBusy] = useState(false);
  if (config.chainId !== LOCAL_CHAIN_ID) return <p className="muted">Chain {config.chainId}{now !== null && ` · chain time ${formatTimestamp(now)}`}</p>;
  const advance = async (by: number, blocks = 1) => {
    setBusy(true);
    try {
      if (by > 0) await publicClient.request({ method: "evm_increaseTime", params: [by] } as never);
      for (let i = 0; i < blocks; i++) await publicClient.request({ method: "evm_mine", params: [] } as never);
    } finally {
      setBusy(false);
      setTimeout(() => void queryClient.invalidateQueries(), 300);
      void queryClient.invalidateQueries();
    }
  };
  return (
    <section aria-label="Local chain tools" className="chain-tools">
      <span>Local chain{now !== null && <> · chain time <time data-testid="chain-time">{formatTimestamp(now)}</time></>}</span>
      <label>
        Advance by (seconds){" "}
        <input type="number" min={0} value={seconds} onChange={(e) => setSeconds(e.target.value)} style={{ width: "7em" }} />
      </label>
      <button type="button" disabled={busy} onClick={() => void advance(Number(seconds) || 0)}>
        Advance time
      </button>
      <button type="button" disabled={busy} onClick={() => void advance(0, 1)}>
        Mine a block
      </button>
    </section>
  );
}
