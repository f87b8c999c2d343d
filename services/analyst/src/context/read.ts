import { BaseError, ExecutionRevertedError } from "viem";

/** A read that fails soft: the value, or `reverted` saying whether the call reverted (true) or failed otherwise (false). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; reverted: boolean };

/** Whether a viem error is the contract reverting (as opposed to the RPC failing). */
export function reverted(error: unknown): boolean {
  if (!(error instanceof BaseError)) return false;
  return (
    error.walk((e) => {
      if (e instanceof ExecutionRevertedError) return true;
      const c = e as { code?: unknown; message?: unknown };
      return c.code === 3 || (typeof c.message === "string" && /revert/i.test(c.message));
    }) !== null
  );
}

/** Runs a read and returns its {@link Outcome} instead of throwing. */
export async function attempt<T>(read: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, reverted: reverted(error) };
  }
}
