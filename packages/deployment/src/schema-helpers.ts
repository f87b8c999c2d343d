import { getAddress, isAddress, parseUnits } from "viem";
import { z } from "zod";

/** A 20-byte hex address (any case); parsed into its checksummed form. */
export const address = z
  .string()
  .refine((value) => isAddress(value, { strict: false }), {
    message: "is not an address (expected 0x followed by 40 hex digits)",
  })
  .transform((value) => getAddress(value));

/** A whole number of seconds that fits in `bits` bits. */
export const seconds = (bits: number, min = 0) =>
  z
    .number({ message: "must be a number of seconds" })
    .int("must be a whole number of seconds")
    .min(min, `must be at least ${min} second(s)`)
    .max(2 ** bits - 1, `must fit in uint${bits}`);

/** A token amount in whole tokens as a decimal string ("1000", "0.5"), parsed into base units. */
export const tokenAmount = (decimals = 18) =>
  z
    .string({ message: 'must be a decimal string of tokens, e.g. "1000" or "2.5"' })
    .regex(
      new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`),
      `must be a decimal string of tokens with at most ${decimals} decimals, e.g. "1000" or "2.5"`,
    )
    .transform((value) => parseUnits(value, decimals));

/** A decimal string of an unsigned integer (chain ids, block numbers, wei) parsed into a bigint. */
export const uintString = z
  .string()
  .regex(/^\d+$/, "must be a decimal string of an unsigned integer")
  .transform((value) => BigInt(value));
