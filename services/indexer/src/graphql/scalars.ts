// The scalars graph-node adds to GraphQL: BigInt, BigDecimal, Bytes, Int8 and Timestamp travel as
// strings (an integer literal is accepted too), checked when parsed.
import { GraphQLBoolean, GraphQLError, GraphQLID, GraphQLInt, GraphQLScalarType, GraphQLString, Kind } from "graphql";

import type { Scalar } from "../schema.ts";

function scalarInput(name: string, check: (value: string) => boolean, description: string) {
  const parse = (value: unknown): string => {
    const text = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
    if (typeof text !== "string" || !check(text)) throw new GraphQLError(`${name} cannot represent ${JSON.stringify(value)}: ${description}`);
    return text;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (value) => (typeof value === "bigint" ? value.toString() : String(value)),
    parseValue: parse,
    parseLiteral(ast) {
      if (ast.kind === Kind.STRING || ast.kind === Kind.INT) return parse(ast.value);
      throw new GraphQLError(`${name} cannot represent a non-string value`);
    },
  });
}

const isInteger = (s: string) => /^-?\d+$/.test(s);
export const BigIntScalar = scalarInput("BigInt", isInteger, "an integer of any size, as a decimal string");
export const BigDecimalScalar = scalarInput("BigDecimal", (s) => /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s), "a decimal number, as a string");
export const BytesScalar = scalarInput("Bytes", (s) => /^0x([0-9a-fA-F]{2})*$/.test(s), "0x-prefixed hex with an even number of digits");
export const Int8Scalar = scalarInput("Int8", isInteger, "a 64-bit integer (serialized as a decimal string)");
export const TimestampScalar = scalarInput("Timestamp", isInteger, "microseconds since the Unix epoch (serialized as a decimal string)");

export function scalarType(scalar: Scalar): GraphQLScalarType {
  switch (scalar) {
    case "ID":
      return GraphQLID;
    case "String":
      return GraphQLString;
    case "Int":
      return GraphQLInt;
    case "Boolean":
      return GraphQLBoolean;
    case "BigInt":
      return BigIntScalar;
    case "BigDecimal":
      return BigDecimalScalar;
    case "Bytes":
      return BytesScalar;
    case "Int8":
      return Int8Scalar;
    case "Timestamp":
      return TimestampScalar;
  }
}
