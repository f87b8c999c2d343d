// Raw DEFLATE (RFC 1951) decompression, strict and bounded, in plain TypeScript so that Node, the
// browser and every service read a compressed report with the same code and the same verdict. It
// follows Mark Adler's reference decoder `puff` (zlib's contrib/puff): every code is checked, an
// incomplete or over-subscribed Huffman code, a distance before the start of the output, a stored
// block whose length check fails, input that ends early, bytes after the final block, and output
// beyond `maxOutput` all throw an InflateError. (The platform's own `DecompressionStream` differs
// between Node, which ignores bytes after the final block, and browsers, which refuse them.)

/** Why compressed bytes could not be inflated. */
export class InflateError extends Error {
  override name = "InflateError";
}

const MAX_BITS = 15;
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A canonical Huffman code: how many codes of each length, and the symbols ordered by code. */
interface Huffman {
  count: Uint16Array;
  symbol: Uint16Array;
}

/** Builds a code from symbol lengths. Returns 0 for a complete code, > 0 for an incomplete one; throws when over-subscribed. */
function construct(h: Huffman, lengths: ArrayLike<number>, n: number): number {
  h.count.fill(0);
  for (let s = 0; s < n; s++) h.count[lengths[s]!]!++;
  if (h.count[0] === n) return 0; // no codes: complete, but decoding any symbol fails
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    left <<= 1;
    left -= h.count[len]!;
    if (left < 0) throw new InflateError("an over-subscribed Huffman code");
  }
  const offsets = new Uint16Array(MAX_BITS + 1);
  for (let len = 1; len < MAX_BITS; len++) offsets[len + 1] = offsets[len]! + h.count[len]!;
  for (let s = 0; s < n; s++) if (lengths[s] !== 0) h.symbol[offsets[lengths[s]!]!++] = s;
  return left;
}

function huffman(size: number): Huffman {
  return { count: new Uint16Array(MAX_BITS + 1), symbol: new Uint16Array(size) };
}

class Inflater {
  private pos = 0;
  private bitBuf = 0;
  private bitCount = 0;
  private out: Uint8Array;
  private outLength = 0;
  private readonly input: Uint8Array;
  private readonly maxOutput: number;

  constructor(input: Uint8Array, maxOutput: number) {
    this.input = input;
    this.maxOutput = maxOutput;
    this.out = new Uint8Array(Math.min(maxOutput, Math.max(1024, input.length * 4)));
  }

  private bits(need: number): number {
    let value = this.bitBuf;
    while (this.bitCount < need) {
      if (this.pos >= this.input.length) throw new InflateError("the compressed data ends before its last block does");
      value |= this.input[this.pos++]! << this.bitCount;
      this.bitCount += 8;
    }
    this.bitBuf = value >>> need;
    this.bitCount -= need;
    return value & ((1 << need) - 1);
  }

  private push(byte: number): void {
    if (this.outLength === this.out.length) {
      if (this.outLength >= this.maxOutput) throw new InflateError(`the report inflates to more than ${this.maxOutput} bytes`);
      const grown = new Uint8Array(Math.min(this.maxOutput, this.out.length * 2));
      grown.set(this.out);
      this.out = grown;
    }
    this.out[this.outLength++] = byte;
  }

  private stored(): void {
    this.bitBuf = 0;
    this.bitCount = 0;
    if (this.pos + 4 > this.input.length) throw new InflateError("the compressed data ends inside a stored block's header");
    const len = this.input[this.pos]! | (this.input[this.pos + 1]! << 8);
    const nlen = this.input[this.pos + 2]! | (this.input[this.pos + 3]! << 8);
    this.pos += 4;
    if (len !== (~nlen & 0xffff)) throw new InflateError("a stored block whose length does not match its complement");
    if (this.pos + len > this.input.length) throw new InflateError("the compressed data ends inside a stored block");
    for (let i = 0; i < len; i++) this.push(this.input[this.pos++]!);
  }

  private decode(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAX_BITS; len++) {
      code |= this.bits(1);
      const count = h.count[len]!;
      if (code - count < first) return h.symbol[index + (code - first)]!;
      index += count;
      first += count;
      first <<= 1;
      code <<= 1;
    }
    throw new InflateError("a code that is not in its Huffman table");
  }

  private codes(lencode: Huffman, distcode: Huffman): void {
    for (;;) {
      let symbol = this.decode(lencode);
      if (symbol < 256) {
        this.push(symbol);
        continue;
      }
      if (symbol === 256) return;
      symbol -= 257;
      if (symbol >= 29) throw new InflateError("an invalid length code");
      const len = LENGTH_BASE[symbol]! + this.bits(LENGTH_EXTRA[symbol]!);
      const distSymbol = this.decode(distcode);
      if (distSymbol >= 30) throw new InflateError("an invalid distance code");
      const dist = DIST_BASE[distSymbol]! + this.bits(DIST_EXTRA[distSymbol]!);
      if (dist > this.outLength) throw new InflateError("a distance back past the start of the data");
      for (let i = 0; i < len; i++) this.push(this.out[this.outLength - dist]!);
    }
  }

  private fixed(): void {
    const lengths = new Uint8Array(288 + 30);
    lengths.fill(8, 0, 144);
    lengths.fill(9, 144, 256);
    lengths.fill(7, 256, 280);
    lengths.fill(8, 280, 288);
    lengths.fill(5, 288, 318);
    const lencode = huffman(288);
    const distcode = huffman(30);
    construct(lencode, lengths, 288);
    construct(distcode, lengths.subarray(288), 30);
    this.codes(lencode, distcode);
  }

  private dynamic(): void {
    const nlen = this.bits(5) + 257;
    const ndist = this.bits(5) + 1;
    const ncode = this.bits(4) + 4;
    if (nlen > 286 || ndist > 30) throw new InflateError("a dynamic block with too many length or distance codes");
    const lengths = new Uint8Array(320);
    for (let i = 0; i < ncode; i++) lengths[CODE_LENGTH_ORDER[i]!] = this.bits(3);
    const lencode = huffman(286);
    const distcode = huffman(30);
    if (construct(lencode, lengths, 19) !== 0) throw new InflateError("an incomplete code-length code");
    lengths.fill(0);
    let index = 0;
    while (index < nlen + ndist) {
      const symbol = this.decode(lencode);
      if (symbol < 16) {
        lengths[index++] = symbol;
        continue;
      }
      let len = 0;
      let repeat: number;
      if (symbol === 16) {
        if (index === 0) throw new InflateError("a repeated length with no previous length");
        len = lengths[index - 1]!;
        repeat = 3 + this.bits(2);
      } else if (symbol === 17) repeat = 3 + this.bits(3);
      else repeat = 11 + this.bits(7);
      if (index + repeat > nlen + ndist) throw new InflateError("code lengths that run past their count");
      while (repeat-- > 0) lengths[index++] = len;
    }
    if (lengths[256] === 0) throw new InflateError("a block without an end-of-block code");
    const lenLeft = construct(lencode, lengths, nlen);
    if (lenLeft !== 0 && nlen - lencode.count[0]! !== 1) throw new InflateError("an incomplete literal/length code");
    const distLeft = construct(distcode, lengths.subarray(nlen), ndist);
    if (distLeft !== 0 && ndist - distcode.count[0]! !== 1) throw new InflateError("an incomplete distance code");
    this.codes(lencode, distcode);
  }

  run(): Uint8Array {
    let last: number;
    do {
      last = this.bits(1);
      const type = this.bits(2);
      if (type === 0) this.stored();
      else if (type === 1) this.fixed();
      else if (type === 2) this.dynamic();
      else throw new InflateError("a block of the reserved type 3");
    } while (last === 0);
    if (this.pos !== this.input.length) throw new InflateError(`${this.input.length - this.pos} bytes after the end of the compressed data`);
    return this.out.slice(0, this.outLength);
  }
}

/**
 * Inflates raw DEFLATE data (RFC 1951, no zlib or gzip wrapper). Throws an {@link InflateError} on
 * anything that is not exactly one complete DEFLATE stream, or when the output would exceed `maxOutput` bytes.
 */
export function inflateRaw(input: Uint8Array, maxOutput: number): Uint8Array {
  return new Inflater(input, maxOutput).run();
}
