// Bytes to text, faithfully. A description is whatever bytes a proposer chose; the text a person
// reads must show all of them: a leading byte-order mark is kept (TextDecoder drops it by default),
// each invalid UTF-8 sequence becomes U+FFFD and is counted, and nothing after a NUL is cut.

/** A description decoded for display, with what did not decode cleanly. */
export interface DescriptionText {
  /** The text; invalid UTF-8 sequences replaced by U+FFFD, nothing dropped. */
  text: string;
  /** Number of invalid UTF-8 sequences in the bytes (each shown as U+FFFD). */
  invalidSequences: number;
}

const lenient = new TextDecoder("utf-8", { ignoreBOM: true });
const strict = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });

function hexToBytes(hex: string): Uint8Array {
  const body = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(body)) throw new Error("descriptionText: not a hex string of whole bytes");
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(body.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Decodes a description's bytes (hex or raw) without losing any of them. */
export function descriptionText(bytes: string | Uint8Array): DescriptionText {
  const raw = typeof bytes === "string" ? hexToBytes(bytes) : bytes;
  try {
    return { text: strict.decode(raw), invalidSequences: 0 };
  } catch {
    const text = lenient.decode(raw);
    // Each U+FFFD the lenient decoder added stands for one invalid sequence; count only those that
    // were not a real, validly encoded U+FFFD (EF BF BD) in the bytes.
    let genuine = 0;
    for (let i = 0; i + 2 < raw.length; i++) if (raw[i] === 0xef && raw[i + 1] === 0xbf && raw[i + 2] === 0xbd) genuine++;
    const replaced = [...text].filter((c) => c === "\uFFFD").length;
    return { text, invalidSequences: Math.max(1, replaced - genuine) };
  }
}
