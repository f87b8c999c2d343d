// `_meta`: the block the answer is at (number, hash, timestamp, parent), the deployment id and
// whether indexing met errors, as graph-node serves it.
import { GraphQLBoolean, type GraphQLFieldConfig, GraphQLInputObjectType, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLString } from "graphql";

import type { BlockPtr, EntityStore } from "../store/store.ts";
import { BytesScalar } from "./scalars.ts";

export const BlockType = new GraphQLObjectType({
  name: "_Block_",
  fields: {
    hash: { type: BytesScalar, description: "The hash of the block" },
    number: { type: new GraphQLNonNull(GraphQLInt), description: "The block number" },
    timestamp: { type: GraphQLInt, description: "Integer representation of the timestamp stored in blocks for the chain" },
    parentHash: { type: BytesScalar, description: "The hash of the parent block" },
  },
});

export const MetaType = new GraphQLObjectType({
  name: "_Meta_",
  description: "The type for the top-level _meta field",
  fields: {
    block: { type: new GraphQLNonNull(BlockType) },
    deployment: { type: new GraphQLNonNull(GraphQLString), description: "The deployment ID" },
    hasIndexingErrors: { type: new GraphQLNonNull(GraphQLBoolean), description: "If `true`, the subgraph encountered indexing errors at some past block" },
  },
});

export interface BlockArgument {
  number?: number | null;
  hash?: string | null;
  number_gte?: number | null;
}

/** The `_meta` root field; `resolveBlock` turns its `block` argument into a block number. */
export function metaField(
  store: EntityStore,
  deployment: string,
  BlockHeight: GraphQLInputObjectType,
  resolveBlock: (block: BlockArgument | undefined) => number,
): GraphQLFieldConfig<unknown, unknown> {
  return {
    type: MetaType,
    description: "Access to subgraph metadata",
    args: { block: { type: BlockHeight } },
    resolve: (_root, args: { block?: { number?: number; hash?: string; number_gte?: number } }) => {
      const number = resolveBlock(args.block);
      const cursor = store.cursor();
      const ptr: BlockPtr | undefined = number === cursor?.number ? cursor : store.blockByNumber(number);
      return {
        block: ptr ? { number: ptr.number, hash: ptr.hash, timestamp: ptr.timestamp, parentHash: ptr.parentHash } : { number, hash: null, timestamp: null, parentHash: null },
        deployment,
        hasIndexingErrors: store.hasIndexingErrors(),
      };
    },
  };
}
