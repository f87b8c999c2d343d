// Event strings decoded from their bytes as graph-node decodes them (a leading byte-order mark kept,
// invalid UTF-8 shown as U+FFFD), not as viem decodes them.
import { type AbiEvent, type AbiParameter, type Hex, decodeAbiParameters, hexToBytes } from "viem";

import type { EventData } from "../runtime/host.ts";

/** UTF-8 as graph-node decodes event strings: a leading BOM kept, invalid sequences as U+FFFD. */
const utf8Lossy = new TextDecoder("utf-8", { ignoreBOM: true });

const isStringType = (type: string) => /^string(\[\d*\])*$/.test(type);

/** The event's non-indexed inputs with every `string` read as `bytes` (the two encode alike). */
const rawInputs = new WeakMap<AbiEvent, { inputs: AbiParameter[]; indexes: number[] } | null>();

function bytesTyped(param: AbiParameter): AbiParameter {
  if (isStringType(param.type)) return { ...param, type: param.type.replace(/^string/, "bytes") };
  if ("components" in param && param.components) return { ...param, components: param.components.map(bytesTyped) } as AbiParameter;
  return param;
}

function hasString(param: AbiParameter): boolean {
  return isStringType(param.type) || ("components" in param && !!param.components?.some(hasString));
}

/** `value` decoded with {@link bytesTyped}`(param)` back to text, lossily, keeping every character. */
function bytesToText(param: AbiParameter, value: unknown): unknown {
  if (isStringType(param.type)) {
    if (param.type === "string") return utf8Lossy.decode(hexToBytes(value as Hex));
    const inner = { ...param, type: param.type.replace(/\[\d*\]$/, "") };
    return (value as unknown[]).map((v) => bytesToText(inner, v));
  }
  if ("components" in param && param.components) {
    const list = /\[\d*\]$/.test(param.type);
    if (list) {
      const inner = { ...param, type: param.type.replace(/\[\d*\]$/, "") } as AbiParameter;
      return (value as unknown[]).map((v) => bytesToText(inner, v));
    }
    const components = param.components;
    return Array.isArray(value) ? value.map((v, i) => bytesToText(components[i]!, v)) : value;
  }
  return value;
}

/**
 * Replaces the text of every non-indexed string parameter with one decoded from the log's bytes
 * as graph-node does: viem decodes with TextDecoder's defaults, which drop a leading byte-order
 * mark, so the mapping would see (and hash) another text than the one emitted.
 */
export function faithfulStrings(event: AbiEvent, data: Hex, params: EventData["params"]): void {
  let raw = rawInputs.get(event);
  if (raw === undefined) {
    const nonIndexed = event.inputs.map((input, i) => ({ input, i })).filter(({ input }) => !input.indexed);
    raw = nonIndexed.some(({ input }) => hasString(input)) ? { inputs: nonIndexed.map(({ input }) => bytesTyped(input)), indexes: nonIndexed.map(({ i }) => i) } : null;
    rawInputs.set(event, raw);
  }
  if (!raw) return;
  const values = decodeAbiParameters(raw.inputs, data);
  raw.indexes.forEach((index, j) => {
    const input = event.inputs[index]!;
    if (hasString(input)) params[index]!.value = bytesToText(input, values[j]);
  });
}
