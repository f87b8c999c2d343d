import type { DecodedCall } from "@ai-dao/protocol";

import { initializerName, type InitializerInfo } from "../context/initializers.ts";
import { addressLabel, formatAssetAmount } from "../units.ts";
import type { AnalysisContext, Finding, ProposalCheck, Severity } from "./types.ts";
import { actionLabel } from "@ai-dao/reports";

const UPGRADES = new Set(["upgradeTo(address)", "upgradeToAndCall(address,bytes)"]);

/** Whether a call before `index` upgrades `proxy` (a new implementation's reinitializer may follow). */
function upgradedBefore(ctx: AnalysisContext, proxy: string, index: number): number | null {
  const p = proxy.toLowerCase();
  const found = ctx.calls.find(
    (c: DecodedCall) =>
      c.index < index &&
      ((UPGRADES.has(c.signature ?? "") && c.target.toLowerCase() === p) ||
        (c.signature === "upgradeAndCall(address,address,bytes)" && typeof c.args?.[0] === "string" && (c.args[0] as string).toLowerCase() === p)),
  );
  return found?.index ?? null;
}

/** What the fork says about one call: it ran and succeeded, it reverted, it did not run (an earlier call reverted), or there is no simulation. */
function simulated(ctx: AnalysisContext, index: number): "succeeded" | "reverted" | "not-run" | "not-simulated" {
  const sim = ctx.simulation;
  if (sim?.status !== "simulated") return "not-simulated";
  const call = sim.result.calls.find((c) => c.index === index);
  if (call === undefined) return "not-run";
  return call.success ? "succeeded" : "reverted";
}

/**
 * A call to an initializer (`initialize`, `initializeV2`, `reinitialize`, `init`, `__*_init`, or a
 * known initializer selector) on a contract that is already initialised: the Audius 2022 takeover,
 * where an attacker re-ran `initialize` on live, DAO-owned contracts to make itself their owner.
 *
 * - initialised (OpenZeppelin 5's Initializable storage is set): critical; high when an earlier call
 *   of the proposal upgrades the same proxy (a new implementation's reinitializer);
 * - an initializer the fork runs successfully on a contract that already had code and that the DAO
 *   controls or that holds value, while its storage cannot tell whether it is initialised: critical
 *   (a guard that did not hold, as at Audius);
 * - not initialised: a first initialisation, low (medium when the contract already holds value or the
 *   DAO controls it: until the proposal executes anyone may initialise it first);
 * - a contract an earlier call of the proposal creates: info;
 * - unknown (another storage layout, a read that failed, no code yet): medium, never silently safe.
 */
export const initializerCall: ProposalCheck = {
  id: "initializer-call",
  applies: (ctx) => ctx.calls.some((c) => initializerName(c) !== null),
  check(ctx) {
    const findings: Finding[] = [];
    for (const call of ctx.calls) {
      const name = initializerName(call);
      if (name === null) continue;
      const info = ctx.initializers?.find((i) => i.callIndex === call.index);
      const label = addressLabel(ctx.deployment.contracts, call.target);
      const sim = simulated(ctx, call.index);
      const upgradeCall = upgradedBefore(ctx, call.target, call.index);
      const created = ctx.simulation?.status === "simulated" ? ctx.simulation.result.effects.contractsCreated.find((c) => c.address.toLowerCase() === call.target.toLowerCase() && c.callIndex < call.index) : undefined;
      const push = (severity: Severity, kind: string, title: string, detail: string) =>
        findings.push({
          id: `initializer-call/${kind}`,
          check: this.id,
          severity,
          title: `${actionLabel(call.index, { capital: true })}: ${title}`,
          detail: `${detail} ${facts(ctx, call.target, info, sim)}`,
          evidence: evidence(call, name, info, sim, upgradeCall),
        });

      if (info === undefined) {
        push("medium", "unknown", `calls ${name} on ${label}; whether it is already initialised was not read`, `The call to ${name} on ${call.target} could not be judged: a re-run initializer hands a live contract to whoever it names.`);
        continue;
      }
      // A balance that could not be read counts as value: unknown is never judged safe.
      const valuable = info.daoControl.length > 0 || info.holdings.length > 0 || info.holdingsUnread === true;
      const state = info.state;
      switch (state.kind) {
        case "initialized": {
          const simText =
            sim === "succeeded"
              ? "Run on a copy of the chain, the call succeeds: the contract's guard does not stop it."
              : sim === "reverted"
                ? "Run on a copy of the chain, the call reverts (its initializer guard, most likely), so the proposal fails as it stands; a call re-initialising a live contract has no place in a proposal either way."
                : "";
          if (upgradeCall !== null && !state.disabled) {
            push(
              "high",
              "reinitialize-after-upgrade",
              `runs ${name} on ${label} (already initialised, version ${state.version}) after ${actionLabel(upgradeCall)} upgrades it`,
              `${actionLabel(upgradeCall, { capital: true })} installs a new implementation in ${call.target} and this call runs its initializer on the live contract: it can reset owners, roles and balances. Check what the new initializer sets. ${simText}`,
            );
          } else {
            push(
              "critical",
              "already-initialized",
              `calls ${name} on ${label}, which is already initialised${state.disabled ? " (its initializers are disabled)" : ` (version ${state.version})`}`,
              `Re-running an initializer on ${call.target} is how the Audius contracts were taken over in 2022: it sets the owner and settings again, to whatever the call says. ${simText}`,
            );
          }
          break;
        }
        case "not-initialized":
          if (valuable && created === undefined) {
            push(
              "medium",
              "first-initialization",
              `initialises ${label} for the first time, although it already ${info.daoControl.length > 0 ? "answers to the DAO" : "holds value"}`,
              `${call.target} uses OpenZeppelin's Initializable and has never been initialised: this is its first initialisation. Until the proposal executes, anyone may call ${name} first and take it; check that it is still uninitialised when the proposal executes and what the call sets.`,
            );
          } else {
            push(
              created !== undefined ? "info" : "low",
              "first-initialization",
              `initialises ${label} for the first time`,
              `${call.target} uses OpenZeppelin's Initializable and has never been initialised: this is its first initialisation, not a takeover. Until the proposal executes anyone may initialise it first; check that it still is uninitialised at execution.`,
            );
          }
          break;
        case "no-code":
          if (created !== undefined) {
            push("info", "new-contract", `initialises ${label}, which ${actionLabel(created.callIndex)} of this proposal creates`, `The contract at ${call.target} is created by this proposal and initialised right after.`);
          } else {
            push("medium", "unknown", `calls ${name} on ${label}, which has no code at the analysed block`, `There is nothing at ${call.target} to initialise now; whatever code is placed there before execution will be initialised by the DAO.`);
          }
          break;
        case "unknown":
          if (sim === "succeeded" && valuable && upgradeCall === null && created === undefined) {
            push(
              "critical",
              "takeover",
              `re-runs ${name} on ${label}, a live contract ${info.daoControl.length > 0 ? "the DAO controls" : "that holds value"}, and running it on a copy of the chain shows it succeeds`,
              `${call.target} already had code before this proposal and ${info.daoControl.length > 0 ? "answers to the DAO" : "holds value"}, yet its initializer runs again: its storage does not show whether it was initialised (${state.reason}), and the guard did not stop the call. This is how the Audius contracts were taken over in 2022.`,
            );
          } else {
            push(
              "medium",
              "unknown",
              `calls ${name} on ${label}; whether it is already initialised is unknown`,
              `Whether ${call.target} is already initialised could not be told: ${state.reason}. If it is, re-running ${name} hands it to whoever the call names (the Audius 2022 takeover).`,
            );
          }
          break;
      }
    }
    return findings;
  },
};

function facts(ctx: AnalysisContext, target: string, info: InitializerInfo | undefined, sim: ReturnType<typeof simulated>): string {
  const parts: string[] = [];
  if (info !== undefined) {
    const control = info.daoControl.map((c) => (c === "owner" ? "the treasury (timelock) is its owner" : c === "proxy-admin" ? "the treasury (timelock) administers its proxy" : "the treasury (timelock) holds its admin role"));
    if (control.length > 0) parts.push(`DAO control: ${control.join(", ")}.`);
    else if (info.owner !== null) parts.push(`Its owner is ${info.owner}.`);
    if (info.holdings.length > 0) parts.push(`It holds ${info.holdings.map((h) => formatAssetAmount(ctx.governance, h.asset, h.amount)).join(", ")}.`);
  }
  const simText = { succeeded: "the call succeeds", reverted: "the call reverts", "not-run": "the call is not reached (an earlier action reverts)", "not-simulated": null }[sim];
  if (simText !== null) parts.push(`Run on a copy of the chain: ${simText}.`);
  parts.push(`Target: ${target}.`);
  return parts.join(" ");
}

function evidence(call: DecodedCall, name: string, info: InitializerInfo | undefined, sim: ReturnType<typeof simulated>, upgradeCall: number | null): Finding["evidence"] {
  const state = info?.state;
  return {
    callIndex: call.index,
    address: call.target,
    initializer: name,
    selector: call.selector,
    state: state?.kind ?? "not-read",
    ...(state?.kind === "initialized" ? { version: state.version.toString(), disabled: state.disabled, initializing: state.initializing } : {}),
    ...(state?.kind === "unknown" ? { reason: state.reason } : {}),
    ...(info?.implementation ? { implementation: info.implementation } : {}),
    daoControl: info?.daoControl ?? [],
    holdings: (info?.holdings ?? []).map((h) => ({ asset: h.asset, amount: h.amount.toString() })),
    simulation: sim,
    ...(upgradeCall !== null ? { upgradedByCall: upgradeCall } : {}),
  };
}
