// The store as the mappings see it while one block is processed: reads fall through the block's
// own changes to the persisted current versions; writes stay in memory until the block is
// committed, all at once, together with the cursor.
import type { Hex } from "viem";

import type { Entity, EntityDataStore, StoreValue } from "./host.ts";
import type { EntityDef, FieldDef } from "../schema.ts";
import type { EntityChanges, EntityStore } from "../store/store.ts";
import type { EntityData, Plain } from "./values.ts";

function fromStoreValue(entity: EntityDef, field: FieldDef, value: StoreValue): Plain {
  switch (value.kind) {
    case "null":
      return null;
    case "array":
      if (!field.list) throw new Error(`${entity.name}.${field.name}: a list was set on a non-list field`);
      return value.value.map((v) => fromStoreValue(entity, { ...field, list: false }, v));
    case "int":
      return value.value;
    case "bool":
      return value.value;
    case "bytes":
      return value.value.toLowerCase();
    case "bigint":
    case "int8":
    case "timestamp":
      return value.value;
    case "bigdecimal":
    case "string":
      return value.value;
  }
}

function toStoreValue(field: FieldDef, value: Plain): StoreValue {
  if (value === null) return { kind: "null" };
  if (Array.isArray(value)) return { kind: "array", value: value.map((v) => toStoreValue({ ...field, list: false }, v)) };
  switch (field.scalar) {
    case "Bytes":
      return { kind: "bytes", value: value as Hex };
    case "Int":
      return { kind: "int", value: Number(value) };
    case "Int8":
      return { kind: "int8", value: BigInt(value as bigint) };
    case "Timestamp":
      return { kind: "timestamp", value: BigInt(value as bigint) };
    case "BigInt":
      return { kind: "bigint", value: BigInt(value as bigint) };
    case "BigDecimal":
      return { kind: "bigdecimal", value: String(value) };
    case "Boolean":
      return { kind: "bool", value: Boolean(value) };
    default:
      return { kind: "string", value: String(value) };
  }
}

export function entityToData(def: EntityDef, id: string, entity: Entity): EntityData {
  const data: EntityData = {};
  for (const [key, value] of entity) {
    const field = def.field.get(key);
    if (!field) throw new Error(`entity ${def.name}[${id}]: unknown field \`${key}\`; it is not part of the schema`);
    if (field.derivedFrom) throw new Error(`entity ${def.name}[${id}]: field \`${key}\` is derived and cannot be set`);
    data[key] = fromStoreValue(def, field, value);
  }
  return completeEntityData(def, id, data);
}

/** Checks an entity's fields as graph-node does (the id field, non-null fields) and sets its id. */
function completeEntityData(def: EntityDef, id: string, data: EntityData): EntityData {
  if (data.id !== undefined && String(data.id) !== id) {
    throw new Error(`entity ${def.name}[${id}]: the id field holds ${String(data.id)}`);
  }
  data.id = def.field.get("id")!.scalar === "Bytes" ? id.toLowerCase() : id;
  for (const field of def.stored) {
    if (field.nonNull && (data[field.name] === undefined || data[field.name] === null)) {
      throw new Error(`entity ${def.name}[${id}]: missing value for non-nullable field \`${field.name}\``);
    }
  }
  return data;
}

export function dataToEntity(def: EntityDef, data: EntityData): Entity {
  const entity: Entity = new Map();
  for (const field of def.stored) {
    const value = data[field.name];
    if (value === undefined || value === null) continue;
    entity.set(field.name, toStoreValue(field, value));
  }
  return entity;
}

export class BlockState implements EntityDataStore {
  readonly changes: EntityChanges = new Map();

  private readonly store: EntityStore;
  /** The previous state of every key the running handler changed (see {@link enterHandler}). */
  private journal: { type: string; id: string; had: boolean; previous: EntityData | null | undefined }[] | undefined;
  private journaled = new Set<string>();

  /** Starts recording a handler's changes so that {@link discardHandler} can undo them. */
  enterHandler(): void {
    this.journal = [];
    this.journaled.clear();
  }

  /** Keeps the running handler's changes. */
  exitHandler(): void {
    this.journal = undefined;
    this.journaled.clear();
  }

  /** Undoes every change of the running handler (graph-node's nonFatalErrors: the failed handler's changes are dropped). */
  discardHandler(): void {
    for (const entry of (this.journal ?? []).reverse()) {
      const table = this.changes.get(entry.type)!;
      if (entry.had) table.set(entry.id, entry.previous!);
      else table.delete(entry.id);
    }
    this.exitHandler();
  }

  private record(type: string, id: string, table: Map<string, EntityData | null>): void {
    if (!this.journal) return;
    const key = `${type}\u0000${id}`;
    if (this.journaled.has(key)) return;
    this.journaled.add(key);
    this.journal.push({ type, id, had: table.has(id), previous: table.get(id) });
  }

  constructor(store: EntityStore) {
    this.store = store;
  }

  private def(type: string): EntityDef {
    const def = this.store.schema.entities.get(type);
    if (!def) throw new Error(`unknown entity type ${type}`);
    return def;
  }

  entityDef(type: string): EntityDef {
    return this.def(type);
  }

  private pending(type: string, id: string): EntityData | null | undefined {
    return this.changes.get(type)?.get(id);
  }

  getData(type: string, id: string, inBlock: boolean): EntityData | undefined {
    const pending = this.pending(type, id);
    if (inBlock) return pending ?? undefined;
    this.def(type);
    if (pending === null) return undefined;
    return pending ?? this.store.current(type, id);
  }

  get(type: string, id: string): Entity | undefined {
    const data = this.getData(type, id, false);
    return data ? dataToEntity(this.def(type), data) : undefined;
  }

  getInBlock(type: string, id: string): Entity | undefined {
    const pending = this.getData(type, id, true);
    return pending ? dataToEntity(this.def(type), pending) : undefined;
  }

  set(type: string, id: string, entity: Entity): void {
    this.put(type, entityToData(this.def(type), id, entity));
  }

  setData(type: string, id: string, fields: EntityData): void {
    this.put(type, completeEntityData(this.def(type), id, fields));
  }

  private put(type: string, data: EntityData): void {
    let table = this.changes.get(type);
    if (!table) this.changes.set(type, (table = new Map()));
    this.record(type, String(data.id), table);
    table.set(String(data.id), data);
  }

  remove(type: string, id: string): void {
    this.def(type);
    let table = this.changes.get(type);
    if (!table) this.changes.set(type, (table = new Map()));
    this.record(type, id, table);
    table.set(id, null);
  }
}
