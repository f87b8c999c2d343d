// How resolvers reach the store within one request: every statement through the scheduler (so
// large answers share the event loop and a query stops at its time limit), the entities loaded
// counted against the request's limit, and nested fields loaded per level of the answer rather
// than per parent, as DataLoader does: single references (`vote.voter`) by one lookup of the
// distinct ids per entity type and block, and `@derivedFrom` lists (`proposal.votes`) by one
// statement for the lists of all parents asking with the same arguments at the same block.
import { GraphQLError, type GraphQLResolveInfo, Kind, type SelectionNode } from "graphql";

import type { EntityDef, FieldDef, SubgraphSchema } from "../schema.ts";
import { BATCH_IDS, type CollectionArgs, type EntityReader, type Row, type Sql, childBatchSize } from "../store/query.ts";
import { type QueryContext, type QueryLimits, checkFilter, checkPaging } from "./arguments.ts";
import { BatchLoader } from "./batch.ts";
import type { Scheduler } from "./limits.ts";

export class Loaders {
  private readonly subgraph: SubgraphSchema;
  private readonly reader: EntityReader;
  private readonly scheduler: Scheduler;
  private readonly limits: QueryLimits;
  /** Per request: one loader per entity type and block, so each level of references is one lookup. */
  private readonly references = new WeakMap<QueryContext, Map<EntityDef, Map<number, BatchLoader<string, Row | null>>>>();
  /** Per request: one loader per list field, block and arguments, so each level of lists is one statement. */
  private readonly lists = new WeakMap<QueryContext, Map<string, BatchLoader<string, Row[]>>>();

  constructor(subgraph: SubgraphSchema, reader: EntityReader, scheduler: Scheduler, limits: QueryLimits) {
    this.subgraph = subgraph;
    this.reader = reader;
    this.scheduler = scheduler;
    this.limits = limits;
  }

  /** A batch of the request waits for its turn behind the request's statements already waiting. */
  private turn(ctx: QueryContext): (dispatch: () => void) => unknown {
    return (dispatch) => this.scheduler.run(ctx, dispatch);
  }

  /** Counts `count` more entities loaded by the request; refuses it past its limit. */
  private count(ctx: QueryContext, count: number): void {
    ctx.loaded += count;
    if (ctx.loaded > this.limits.maxEntities) {
      throw new GraphQLError(`The query loads more than ${this.limits.maxEntities} entities; ask for fewer with \`first\` or split it`);
    }
  }

  /**
   * Rows of `def` at `block` matching `args`, plus an extra condition (stored list fields), with
   * the columns the list's selection (`info`) asks for.
   */
  collection(def: EntityDef, args: CollectionArgs, block: number, ctx: QueryContext, info: GraphQLResolveInfo, extra?: Sql): Row[] | Promise<Row[]> {
    checkPaging(this.limits, args.first ?? 100, args.skip ?? 0);
    checkFilter(this.limits, args.where);
    const query = this.reader.collection(def, args, block, extra, selectedColumns(def, info));
    return this.scheduler.run(ctx, () => {
      const rows = query();
      this.count(ctx, rows.length);
      return rows;
    });
  }

  byId(def: EntityDef, id: string, block: number, ctx: QueryContext): Row | null | Promise<Row | null> {
    return this.scheduler.run(ctx, () => {
      const row = this.reader.byId(def, id, block);
      if (row) ctx.loaded += 1;
      return row;
    });
  }

  /** The versions of many entities at `block`, in the order of `ids`, in statements of at most {@link BATCH_IDS} ids. */
  private async manyById(def: EntityDef, ids: string[], block: number, ctx: QueryContext): Promise<(Row | null)[]> {
    const found: (Row | null)[] = [];
    for (let start = 0; start < ids.length; start += BATCH_IDS) {
      const slice = ids.slice(start, start + BATCH_IDS);
      found.push(...(await this.scheduler.run(ctx, () => this.reader.manyById(def, slice, block))));
    }
    return found;
  }

  private loader(def: EntityDef, block: number, ctx: QueryContext): BatchLoader<string, Row | null> {
    let byType = this.references.get(ctx);
    if (!byType) this.references.set(ctx, (byType = new Map()));
    let byBlock = byType.get(def);
    if (!byBlock) byType.set(def, (byBlock = new Map()));
    let found = byBlock.get(block);
    if (!found) byBlock.set(block, (found = new BatchLoader((ids) => this.manyById(def, ids, block, ctx), this.turn(ctx))));
    return found;
  }

  /**
   * A single reference: from the request's loader, at once when it is already in. A batch answers
   * many resolvers at the same moment; each goes on through the scheduler, so completing thousands
   * of them still yields the event loop to other queries every slice.
   */
  reference(def: EntityDef, id: string, block: number, ctx: QueryContext): Row | null | Promise<Row | null> {
    const entities = this.loader(def, block, ctx);
    if (entities.has(id)) {
      const row = entities.get(id);
      if (row) ctx.loaded += 1;
      return row;
    }
    return entities.load(id).then((row) =>
      this.scheduler.run(ctx, () => {
        if (row) ctx.loaded += 1;
        return row;
      }),
    );
  }

  /**
   * The `@derivedFrom` list `field` of the parent `parentId` (of type `owner`), entities of `def`
   * whose `back` reference holds the parent. The lists every parent of a level asks for with the
   * same arguments at the same block are answered together, by statements of
   * {@link childBatchSize} parents. Never throws: a refused argument is a rejected promise (see
   * `Scheduler.run`: a throw in the middle of a list leaves the items before it unwatched).
   */
  children(
    owner: EntityDef,
    field: FieldDef,
    def: EntityDef,
    back: FieldDef,
    args: CollectionArgs,
    parentId: string,
    block: number,
    ctx: QueryContext,
    info: GraphQLResolveInfo,
  ): Promise<Row[]> {
    try {
      let byField = this.lists.get(ctx);
      if (!byField) this.lists.set(ctx, (byField = new Map()));
      const columns = selectedColumns(def, info);
      const key = `${owner.name}.${field.name}@${block}:${JSON.stringify(args)}:${[...columns].join(",")}`;
      let lists = byField.get(key);
      if (!lists) {
        const first = args.first ?? 100;
        checkPaging(this.limits, first, args.skip ?? 0);
        checkFilter(this.limits, args.where);
        const query = this.reader.children(def, back, args, block, columns);
        const size = childBatchSize(first);
        byField.set(
          key,
          (lists = new BatchLoader(async (parents) => {
            const answer: Row[][] = [];
            for (let start = 0; start < parents.length; start += size) {
              const slice = parents.slice(start, start + size);
              answer.push(
                ...(await this.scheduler.run(ctx, () => {
                  const found = query(slice);
                  this.count(ctx, found.reduce((n, list) => n + list.length, 0));
                  return found;
                })),
              );
            }
            return answer;
          }, this.turn(ctx))),
        );
      }
      // The lists of a level wait for one batch; each is then answered in its turn.
      return lists.load(parentId).then((rows) => this.scheduler.run(ctx, () => rows));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Loads the single references a list's selection asks for (`votes { voter { id } }`) before the
   * list is answered, for all the lists of a level in one batch: the items' own resolvers then find
   * them in the loader and answer without a promise each.
   */
  withReferences(def: EntityDef, rows: Row[] | Promise<Row[]>, block: number, info: GraphQLResolveInfo, ctx: QueryContext): Row[] | Promise<Row[]> {
    const fields = new Set<FieldDef>();
    for (const node of info.fieldNodes) {
      for (const selection of node.selectionSet?.selections ?? []) {
        if (selection.kind !== Kind.FIELD) continue;
        const field = def.field.get(selection.name.value);
        if (field && field.kind === "entity" && !field.list && !field.derivedFrom) fields.add(field);
      }
    }
    if (fields.size === 0) return rows;
    const prefetch = (list: Row[]): Row[] | Promise<Row[]> => {
      // The batches to wait for (10,000 votes name 100 voters, asked in one or two batches).
      const batches: Promise<void>[] = [];
      for (const field of fields) {
        const entities = this.loader(this.subgraph.entities.get(field.type)!, block, ctx);
        const name = field.name;
        for (let i = 0; i < list.length; i++) {
          const id = list[i]![name];
          if (id === null || id === undefined) continue;
          const batch = entities.whenLoaded(String(id));
          if (batch && !batches.includes(batch)) batches.push(batch);
        }
      }
      // The lists of a level wait for one batch; each is then answered in its turn (see `reference`).
      if (batches.length === 0) return list;
      return (batches.length === 1 ? batches[0]! : Promise.all(batches)).then(() => this.scheduler.run(ctx, () => list));
    };
    return rows instanceof Promise ? rows.then(prefetch) : prefetch(rows);
  }
}

/**
 * The stored fields of `def` that the selection of a list (`info`'s field nodes) asks for, through
 * fragments: the columns its statement reads. Fields under `@skip`/`@include` are read either way.
 * The id is read when the selection asks for it or for a `@derivedFrom` list, which is looked up by
 * the item's id; `votes { voter { id } support }` leaves out the votes' ids, which are the longest
 * cells of their rows.
 */
export function selectedColumns(def: EntityDef, info: GraphQLResolveInfo): Set<string> {
  const columns = new Set<string>();
  const seen = new Set<string>();
  const visit = (selections: readonly SelectionNode[]) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        const field = def.field.get(selection.name.value);
        if (field) columns.add(field.derivedFrom ? "id" : field.name);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet.selections);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = info.fragments[selection.name.value];
        if (fragment) visit(fragment.selectionSet.selections);
      }
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet?.selections ?? []);
  return columns;
}
