// The subgraph's schema.graphql as the indexer sees it: entity types, their fields and how each
// field is stored. Shared by the store (columns), the WASM host (value kinds) and the GraphQL layer.
import { Kind, parse, type FieldDefinitionNode, type TypeNode } from "graphql";

/** graph-node's scalar types. */
export type Scalar = "ID" | "String" | "Bytes" | "Int" | "Int8" | "BigInt" | "BigDecimal" | "Boolean" | "Timestamp";
const scalars = new Set<string>(["ID", "String", "Bytes", "Int", "Int8", "BigInt", "BigDecimal", "Boolean", "Timestamp"]);

export interface FieldDef {
  name: string;
  /** The named type (a scalar, an enum or an entity). */
  type: string;
  kind: "scalar" | "enum" | "entity";
  /** How the value is stored: the scalar itself, String for enums, the target's id type for references. */
  scalar: Scalar;
  list: boolean;
  nonNull: boolean;
  /** For `@derivedFrom(field: "x")`: the field of `type` that points back here. */
  derivedFrom?: string;
}

export interface EntityDef {
  name: string;
  immutable: boolean;
  fields: FieldDef[];
  field: Map<string, FieldDef>;
  /** Stored (non-derived) fields, `id` first. */
  stored: FieldDef[];
  /** Root query field names, graph-node style. */
  singular: string;
  plural: string;
}

export interface SubgraphSchema {
  sdl: string;
  entities: Map<string, EntityDef>;
  enums: Map<string, string[]>;
}

/** graph-node's pluralisation of a root field name (English rules, `_collection` when unchanged). */
export function pluralize(name: string): string {
  let plural: string;
  if (/[^aeiou]y$/i.test(name)) plural = `${name.slice(0, -1)}ies`;
  else if (/(s|x|z|ch|sh)$/i.test(name)) plural = `${name}es`;
  else plural = `${name}s`;
  return plural === name ? `${name}_collection` : plural;
}

function unwrap(type: TypeNode): { name: string; list: boolean; nonNull: boolean } {
  let nonNull = false;
  let list = false;
  let t = type;
  if (t.kind === Kind.NON_NULL_TYPE) {
    nonNull = true;
    t = t.type;
  }
  if (t.kind === Kind.LIST_TYPE) {
    list = true;
    t = t.type;
    if (t.kind === Kind.NON_NULL_TYPE) t = t.type;
  }
  if (t.kind !== Kind.NAMED_TYPE) throw new Error("nested lists are not supported");
  return { name: t.name.value, list, nonNull };
}

function directiveArg(node: FieldDefinitionNode, directive: string, arg: string): string | undefined {
  const d = node.directives?.find((x) => x.name.value === directive);
  const a = d?.arguments?.find((x) => x.name.value === arg);
  return a && a.value.kind === Kind.STRING ? a.value.value : undefined;
}

export function parseSubgraphSchema(sdl: string): SubgraphSchema {
  const doc = parse(sdl);
  const enums = new Map<string, string[]>();
  const objects = [];
  for (const def of doc.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION) enums.set(def.name.value, (def.values ?? []).map((v) => v.name.value));
    else if (def.kind === Kind.OBJECT_TYPE_DEFINITION && def.directives?.some((d) => d.name.value === "entity")) objects.push(def);
    else if (def.kind === Kind.INTERFACE_TYPE_DEFINITION) throw new Error(`interface ${def.name.value}: interfaces are not supported by the embedded indexer`);
  }
  const entityNames = new Set(objects.map((o) => o.name.value));
  const idTypes = new Map<string, Scalar>();
  for (const o of objects) {
    const id = o.fields?.find((f) => f.name.value === "id");
    if (!id) throw new Error(`entity ${o.name.value} has no id field`);
    idTypes.set(o.name.value, unwrap(id.type).name === "Bytes" ? "Bytes" : unwrap(id.type).name === "Int8" ? "Int8" : "ID");
  }
  const entities = new Map<string, EntityDef>();
  for (const o of objects) {
    const fields: FieldDef[] = (o.fields ?? []).map((f) => {
      const { name, list, nonNull } = unwrap(f.type);
      const derivedFrom = directiveArg(f, "derivedFrom", "field");
      let kind: FieldDef["kind"];
      let scalar: Scalar;
      if (scalars.has(name)) {
        kind = "scalar";
        scalar = name as Scalar;
      } else if (enums.has(name)) {
        kind = "enum";
        scalar = "String";
      } else if (entityNames.has(name)) {
        kind = "entity";
        scalar = idTypes.get(name)!;
      } else throw new Error(`${o.name.value}.${f.name.value}: unknown type ${name}`);
      return { name: f.name.value, type: name, kind, scalar, list, nonNull, ...(derivedFrom ? { derivedFrom } : {}) };
    });
    const entityDirective = o.directives!.find((d) => d.name.value === "entity")!;
    const immutableArg = entityDirective.arguments?.find((a) => a.name.value === "immutable");
    const immutable = immutableArg?.value.kind === Kind.BOOLEAN ? immutableArg.value.value : false;
    const singular = o.name.value.charAt(0).toLowerCase() + o.name.value.slice(1);
    const stored = fields.filter((f) => !f.derivedFrom).sort((a, b) => (a.name === "id" ? -1 : b.name === "id" ? 1 : 0));
    entities.set(o.name.value, {
      name: o.name.value,
      immutable,
      fields,
      field: new Map(fields.map((f) => [f.name, f])),
      stored,
      singular,
      plural: pluralize(singular),
    });
  }
  return { sdl, entities, enums };
}
