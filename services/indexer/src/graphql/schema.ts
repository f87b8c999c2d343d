// The GraphQL schema graph-node would serve for schema.graphql, resolved against the block-range
// store: singular and plural root fields, first/skip/orderBy/orderDirection/where (suffix filters,
// nested `field_` filters, and/or, _change_block), `block: { number | hash | number_gte }`, `_meta`,
// and the same collection arguments on list fields (stored and @derivedFrom).
import {
  GraphQLEnumType,
  GraphQLError,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigArgumentMap,
  GraphQLID,
  GraphQLInputObjectType,
  type GraphQLInputFieldConfig,
  type GraphQLInputType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLOutputType,
  GraphQLSchema,
  GraphQLString,
} from "graphql";

import type { EntityDef, FieldDef, SubgraphSchema } from "../schema.ts";
import { type CollectionArgs, EntityReader, QueryCompiler, type Row, filterOps, stringOps } from "../store/query.ts";
import type { EntityStore } from "../store/store.ts";
import { type QueryContext, type QueryLimits, defaultLimits } from "./arguments.ts";
import { Scheduler } from "./limits.ts";
import { Loaders } from "./loaders.ts";
import { type BlockArgument, metaField } from "./meta.ts";
import { BytesScalar, scalarType } from "./scalars.ts";

export { type QueryContext, type QueryLimits, defaultLimits, untimedContext } from "./arguments.ts";
export { SQLITE_MAX_PARAMS } from "../store/query.ts";

export interface GraphQLOptions {
  store: EntityStore;
  /** The deployment id shown in `_meta`. */
  deployment: string;
  limits?: Partial<QueryLimits>;
  /** Shares the event loop between queries (one per server); a private one when absent. */
  scheduler?: Scheduler;
}

export function buildGraphQLSchema(subgraph: SubgraphSchema, options: GraphQLOptions): GraphQLSchema {
  const { store } = options;
  const limits = { ...defaultLimits, ...options.limits };
  const reader = new EntityReader(store, new QueryCompiler(subgraph));
  const loaders = new Loaders(subgraph, reader, options.scheduler ?? new Scheduler(), limits);

  const enums = new Map<string, GraphQLEnumType>();
  for (const [name, values] of subgraph.enums) {
    enums.set(name, new GraphQLEnumType({ name, values: Object.fromEntries(values.map((v) => [v, { value: v }])) }));
  }
  const OrderDirection = new GraphQLEnumType({ name: "OrderDirection", values: { asc: { value: "asc" }, desc: { value: "desc" } } });
  const ErrorPolicy = new GraphQLEnumType({
    name: "_SubgraphErrorPolicy_",
    values: {
      allow: { value: "allow", description: "Data will be returned even if the subgraph has indexing errors" },
      deny: { value: "deny", description: "If the subgraph has indexing errors, data will be omitted. The default." },
    },
  });
  const BlockHeight = new GraphQLInputObjectType({
    name: "Block_height",
    fields: { hash: { type: BytesScalar }, number: { type: GraphQLInt }, number_gte: { type: GraphQLInt } },
  });
  const BlockChangedFilter = new GraphQLInputObjectType({ name: "BlockChangedFilter", fields: { number_gte: { type: new GraphQLNonNull(GraphQLInt) } } });
  const objectTypes = new Map<string, GraphQLObjectType>();
  const filterTypes = new Map<string, GraphQLInputObjectType>();
  const orderTypes = new Map<string, GraphQLEnumType>();

  const fieldType = (field: FieldDef): GraphQLOutputType => {
    let base: GraphQLOutputType =
      field.kind === "enum" ? enums.get(field.type)! : field.kind === "entity" ? objectTypes.get(field.type)! : scalarType(field.scalar);
    if (field.list) base = new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(base)));
    else if (field.nonNull) base = new GraphQLNonNull(base);
    return base;
  };
  const inputBase = (field: FieldDef): GraphQLInputType =>
    field.kind === "enum" ? enums.get(field.type)! : field.kind === "entity" ? GraphQLString : scalarType(field.scalar);

  const collectionArgs = (def: EntityDef): GraphQLFieldConfigArgumentMap => ({
    skip: { type: GraphQLInt, defaultValue: 0 },
    first: { type: GraphQLInt, defaultValue: 100 },
    orderBy: { type: orderTypes.get(def.name)! },
    orderDirection: { type: OrderDirection },
    where: { type: filterTypes.get(def.name)! },
  });

  for (const def of subgraph.entities.values()) {
    orderTypes.set(
      def.name,
      new GraphQLEnumType({
        name: `${def.name}_orderBy`,
        values: Object.fromEntries(
          def.fields.flatMap((f) => {
            if (f.list || f.derivedFrom) return [];
            const own: [string, { value: string }][] = [[f.name, { value: f.name }]];
            if (f.kind !== "entity") return own;
            const target = subgraph.entities.get(f.type)!;
            return [
              ...own,
              ...target.fields.filter((g) => !g.list && !g.derivedFrom).map((g): [string, { value: string }] => [`${f.name}__${g.name}`, { value: `${f.name}__${g.name}` }]),
            ];
          }),
        ),
      }),
    );
    filterTypes.set(
      def.name,
      new GraphQLInputObjectType({
        name: `${def.name}_filter`,
        fields: (): Record<string, GraphQLInputFieldConfig> => {
          const fields: Record<string, GraphQLInputFieldConfig> = {};
          for (const f of def.fields) {
            if (!f.derivedFrom) {
              for (const op of filterOps(f)) {
                const many = op === "_in" || op === "_not_in" || f.list;
                const base = inputBase(f);
                fields[`${f.name}${op}`] = { type: many ? new GraphQLList(new GraphQLNonNull(base)) : base };
              }
              if (f.kind === "entity" && !f.list) {
                for (const op of stringOps) fields[`${f.name}${op}`] = { type: GraphQLString };
              }
            }
            if (f.kind === "entity") fields[`${f.name}_`] = { type: filterTypes.get(f.type)! };
          }
          fields._change_block = { type: BlockChangedFilter, description: "Filter for the block changed event." };
          fields.and = { type: new GraphQLList(filterTypes.get(def.name)!) };
          fields.or = { type: new GraphQLList(filterTypes.get(def.name)!) };
          return fields;
        },
      }),
    );
  }

  for (const def of subgraph.entities.values()) {
    objectTypes.set(
      def.name,
      new GraphQLObjectType({
        name: def.name,
        fields: () =>
          Object.fromEntries(
            def.fields.map((f): [string, GraphQLFieldConfig<Row, QueryContext>] => {
              const type = fieldType(f);
              if (f.kind !== "entity") return [f.name, { type }];
              const target = subgraph.entities.get(f.type)!;
              if (f.derivedFrom) {
                const back = target.field.get(f.derivedFrom);
                if (!back) throw new Error(`${def.name}.${f.name}: @derivedFrom field ${f.derivedFrom} is not a field of ${target.name}`);
                return [
                  f.name,
                  {
                    type,
                    args: f.list ? collectionArgs(target) : {},
                    // One statement for the lists of every parent of this level (see Loaders.children).
                    resolve: (parent, args: CollectionArgs, ctx, info) => {
                      const rows = loaders.children(def, f, target, back, f.list ? args : { first: 1 }, String(parent.id), parent.__block, ctx, info);
                      if (f.list) return loaders.withReferences(target, rows, parent.__block, info, ctx);
                      return rows.then((r) => r[0] ?? null);
                    },
                  },
                ];
              }
              if (f.list) {
                return [
                  f.name,
                  {
                    type,
                    args: collectionArgs(target),
                    resolve: (parent, args: CollectionArgs, ctx, info) => {
                      const ids = (parent[f.name] as string[] | null) ?? [];
                      if (ids.length === 0) return [];
                      // Still one statement per parent (no stored list of entities in the DAO's schema).
                      try {
                        const rows = loaders.collection(target, args, parent.__block, ctx, info, { sql: `t."id" IN (${ids.map(() => "?").join(", ")})`, params: ids.map(String) });
                        return loaders.withReferences(target, rows, parent.__block, info, ctx);
                      } catch (error) {
                        // A list item never throws at once (see Scheduler.run).
                        return Promise.reject(error);
                      }
                    },
                  },
                ];
              }
              return [
                f.name,
                {
                  type,
                  resolve: (parent, _args, ctx) => {
                    const id = parent[f.name];
                    return id === null || id === undefined ? null : loaders.reference(target, String(id), parent.__block, ctx);
                  },
                },
              ];
            }),
          ),
      }),
    );
  }

  /** The block number a root field is answered at. */
  const resolveBlock = (block: BlockArgument | undefined): number => {
    const cursor = store.cursor();
    const latest = cursor?.number ?? -1;
    if (!block) return latest;
    if (block.hash) {
      const ptr = store.blockByHash(block.hash);
      if (!ptr) throw new GraphQLError(`no block with hash ${block.hash} is known to the indexer`);
      return ptr.number;
    }
    if (block.number !== undefined && block.number !== null) {
      if (block.number < 0) throw new GraphQLError("`block.number` must not be negative");
      if (block.number > latest) {
        throw new GraphQLError(
          `subgraph has only indexed up to block number ${latest} and data for block number ${block.number} is therefore not yet available`,
        );
      }
      return block.number;
    }
    if (block.number_gte !== undefined && block.number_gte !== null) {
      if (block.number_gte > latest) {
        throw new GraphQLError(
          `subgraph has only indexed up to block number ${latest} and data for block number ${block.number_gte} is therefore not yet available`,
        );
      }
      return latest;
    }
    return latest;
  };

  /**
   * graph-node's `subgraphError: deny` (the default): a failed subgraph answers no data, and one that
   * skipped handlers after errors (nonFatalErrors) answers none at or after the first such block.
   */
  const checkErrors = (policy: string | undefined, block: number) => {
    if (policy === "allow") return;
    if (store.indexingError()) {
      throw new GraphQLError("indexing_error: the subgraph failed to index a block; query with `subgraphError: allow` for the data up to the failure");
    }
    const first = store.firstSkippedErrorBlock();
    if (first !== undefined && first <= block) {
      throw new GraphQLError(
        `indexing_error: the subgraph skipped handlers that failed at block ${first} and later; query with \`subgraphError: allow\` for the data, or at a block before ${first}`,
      );
    }
  };

  const rootArgs = {
    block: { type: BlockHeight, description: "The block at which the query should be executed. Can either be a `{ hash: Bytes }` value containing a block hash, a `{ number: Int }` containing the block number, or a `{ number_gte: Int }` containing the minimum block number. In the case of `number_gte`, the query will be executed on the latest block only if the subgraph has progressed to or past the minimum block number. Defaults to the latest block when omitted." },
    subgraphError: { type: new GraphQLNonNull(ErrorPolicy), defaultValue: "deny", description: "Set to `allow` to receive data even if the subgraph has skipped over errors while syncing." },
  };

  const queryFields: Record<string, GraphQLFieldConfig<unknown, QueryContext>> = {};
  for (const def of subgraph.entities.values()) {
    queryFields[def.singular] = {
      type: objectTypes.get(def.name)!,
      args: { id: { type: new GraphQLNonNull(GraphQLID) }, ...rootArgs },
      resolve: (_root, args: { id: string; block?: never; subgraphError?: string }, ctx) => {
        const block = resolveBlock(args.block);
        checkErrors(args.subgraphError, block);
        const id = def.field.get("id")!.scalar === "Bytes" ? args.id.toLowerCase() : args.id;
        return loaders.byId(def, id, block, ctx);
      },
    };
    queryFields[def.plural] = {
      type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(objectTypes.get(def.name)!))),
      args: { ...collectionArgs(def), ...rootArgs },
      resolve: (_root, args: CollectionArgs & { block?: never; subgraphError?: string }, ctx, info) => {
        const block = resolveBlock(args.block);
        checkErrors(args.subgraphError, block);
        return loaders.withReferences(def, loaders.collection(def, args, block, ctx, info), block, info, ctx);
      },
    };
  }
  queryFields._meta = metaField(store, options.deployment, BlockHeight, resolveBlock);

  return new GraphQLSchema({ query: new GraphQLObjectType({ name: "Query", fields: queryFields }) });
}