// Event logs decoded in one pass, their strings from their bytes as graph-node decodes them (a
// leading byte-order mark kept, invalid UTF-8 shown as U+FFFD), not as viem decodes them.
import { type AbiEvent, type AbiParameter, type Hex, decodeAbiParameters, hexToBytes } from "viem";

import type { EventData } from "../runtime/host.ts";

/** UTF-8 as graph-node decodes event strings: a leading BOM kept, invalid sequences as U+FFFD. */
const utf8Lossy = new TextDecoder("utf-8", { ignoreBOM: true });

const isStringType = (type: string) => /^string(\[\d*\])*$/.test(type);

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

/** How an event's log is laid out: its indexed inputs in topic order, its other inputs in data order. */
interface EventLayout {
  indexed: { input: AbiParameter; index: number }[];
  /** The non-indexed inputs, every `string` read as `bytes` (the two encode alike). */
  dataInputs: AbiParameter[];
  dataIndexes: number[];
}

const layouts = new WeakMap<AbiEvent, EventLayout>();

function layoutOf(event: AbiEvent): EventLayout {
  let layout = layouts.get(event);
  if (!layout) {
    const inputs = event.inputs.map((input, index) => ({ input, index }));
    const data = inputs.filter(({ input }) => !input.indexed);
    layout = { indexed: inputs.filter(({ input }) => input.indexed), dataInputs: data.map(({ input }) => bytesTyped(input)), dataIndexes: data.map(({ index }) => index) };
    layouts.set(event, layout);
  }
  return layout;
}

/** An indexed value as its topic carries it: strings, bytes, tuples and arrays only as their hash. */
function topicValue(input: AbiParameter, topic: Hex): unknown {
  if (input.type === "string" || input.type === "bytes" || input.type === "tuple" || /\[\d*\]$/.test(input.type)) return topic;
  return decodeAbiParameters([input], topic)[0];
}

/**
 * The parameters of a log of `event` (already matched on its first topic), decoded in one pass as
 * viem's strict `decodeEventLog` decodes them, except that every non-indexed string is decoded from
 * its bytes as graph-node does: viem decodes with TextDecoder's defaults, which drop a leading
 * byte-order mark, so the mapping would see (and hash) another text than the one emitted.
 * Throws when the log has fewer topics than the event has indexed inputs, or data that does not
 * decode as its other inputs.
 */
export function decodeEventParams(event: AbiEvent, topics: readonly Hex[], data: Hex): EventData["params"] {
  const layout = layoutOf(event);
  const values: unknown[] = new Array(event.inputs.length);
  if (topics.length - 1 < layout.indexed.length) throw new Error(`${event.name} log has ${topics.length - 1} indexed topics, the event declares ${layout.indexed.length}`);
  layout.indexed.forEach(({ input, index }, i) => (values[index] = topicValue(input, topics[i + 1]!)));
  if (layout.dataInputs.length > 0) {
    if (data === "0x") throw new Error(`${event.name} log has no data for its ${layout.dataInputs.length} non-indexed inputs`);
    const decoded = decodeAbiParameters(layout.dataInputs, data);
    layout.dataIndexes.forEach((index, j) => {
      const input = event.inputs[index]!;
      values[index] = hasString(input) ? bytesToText(input, decoded[j]) : decoded[j];
    });
  }
  return event.inputs.map((input, i) => ({ input, value: values[i] }));
}
