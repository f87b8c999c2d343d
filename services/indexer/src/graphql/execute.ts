// A direct executor for the shape most queries have: fields with arguments and nested selections,
// nothing else. It calls the schema's own resolvers with the request's context (so loaders, the
// scheduler, counts and limits apply as before) but completes their values without graphql-js's
// per-field machinery (a resolve info, a response path, type checks and argument coercion for
// every field of every item, results as dictionary objects): graphql-js alone took 25 to 30 ms to
// complete the 10,100 objects of `proposals(first: 100) { votes(first: 1000) }`. Fragments,
// directives, introspection, a response key given twice and abstract types are left to graphql-js,
// and so is any error: the operation is then executed again by graphql-js from the start, with a
// fresh count of entities, so errors, partial data and null bubbling are graphql-js's own.
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
  type SelectionSetNode,
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLID,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLString,
  Kind,
  getArgumentValues,
  getVariableValues,
} from "graphql";

import type { QueryContext } from "./arguments.ts";
import { BigDecimalScalar, BigIntScalar, BytesScalar, Int8Scalar, TimestampScalar } from "./scalars.ts";

/** Something this executor leaves to graphql-js. */
class Unsupported extends Error {}

type Execute = (args: ExecutionArgs) => unknown;

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as { then?: unknown } | null)?.then === "function";

/** The operation to run when the document is of the supported shape, else undefined. */
function supportedOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations: OperationDefinitionNode[] = [];
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) return undefined;
    operations.push(def);
  }
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation || operation.operation !== "query" || operation.directives?.length) return undefined;
  const plain = (set: SelectionSetNode): boolean => {
    const keys = new Set<string>();
    for (const selection of set.selections) {
      if (selection.kind !== Kind.FIELD || selection.directives?.length || selection.name.value.startsWith("__")) return false;
      const key = selection.alias?.value ?? selection.name.value;
      // An alias such as `__proto__` would not be an own key of a plain object.
      if (keys.has(key) || key.startsWith("__")) return false;
      keys.add(key);
      if (selection.selectionSet && !plain(selection.selectionSet)) return false;
    }
    return true;
  };
  return plain(operation.selectionSet) ? operation : undefined;
}

/** A field's completion: its value (never a promise) answered as its type and selection say. */
type Complete = (value: unknown) => unknown;

/** What a field node needs, the same for every parent it is resolved on. */
interface FieldPlan {
  key: string;
  field: GraphQLField<unknown, unknown>;
  args: Record<string, unknown>;
  info: GraphQLResolveInfo;
  /**
   * For a stored scalar or enum (no resolver: the parent's own value), its serializer, so the
   * value is answered without a completion step; `nonNull` when the type forbids null.
   */
  leaf?: (value: unknown) => unknown;
  nonNull: boolean;
  /** Otherwise the completion of the field's type, made once per field node. */
  complete?: Complete;
}

/**
 * A leaf type's serializer, with the values it answers unchanged passed through without a call:
 * strings for the string-valued scalars (ID, String and graph-node's, which serialize a string as
 * itself), 32-bit integers for Int, booleans for Boolean. Anything else goes to the type's own.
 */
function serializer(type: GraphQLScalarType | GraphQLEnumType): (value: unknown) => unknown {
  const own = (value: unknown) => type.serialize(value);
  if (type === GraphQLString || type === GraphQLID || stringScalars.has(type)) return (value) => (typeof value === "string" ? value : own(value));
  if (type === GraphQLInt) return (value) => (typeof value === "number" && Number.isInteger(value) && value <= 2147483647 && value >= -2147483648 ? value : own(value));
  if (type === GraphQLBoolean) return (value) => (typeof value === "boolean" ? value : own(value));
  return own;
}

const stringScalars = new Set<unknown>([BigIntScalar, BigDecimalScalar, BytesScalar, Int8Scalar, TimestampScalar]);

class Run {
  private readonly plans = new Map<FieldNode, FieldPlan>();
  private readonly sets = new Map<SelectionSetNode, FieldPlan[] & { type: GraphQLObjectType }>();
  private readonly args: ExecutionArgs;
  private readonly operation: OperationDefinitionNode;
  private readonly variables: Record<string, unknown>;

  constructor(args: ExecutionArgs, operation: OperationDefinitionNode, variables: Record<string, unknown>) {
    this.args = args;
    this.operation = operation;
    this.variables = variables;
  }

  /** The plans of a selection set on `type`, made once per request. */
  private planSet(type: GraphQLObjectType, set: SelectionSetNode): FieldPlan[] {
    let plans = this.sets.get(set);
    if (!plans || plans.type !== type) {
      plans = Object.assign(
        set.selections.map((selection) => this.plan(type, selection as FieldNode)),
        { type },
      );
      this.sets.set(set, plans);
    }
    return plans;
  }

  private plan(type: GraphQLObjectType, node: FieldNode): FieldPlan {
    let plan = this.plans.get(node);
    if (!plan) {
      const field = type.getFields()[node.name.value];
      if (!field) throw new Unsupported();
      // The parts of a resolve info the schema's resolvers read (the field's nodes, fragments).
      const info = {
        fieldName: field.name,
        fieldNodes: [node],
        returnType: field.type,
        parentType: type,
        path: { prev: undefined, key: node.alias?.value ?? node.name.value, typename: type.name },
        schema: this.args.schema,
        fragments: {},
        rootValue: this.args.rootValue,
        operation: this.operation,
        variableValues: this.variables,
      } as GraphQLResolveInfo;
      const nonNull = field.type instanceof GraphQLNonNull;
      const named = nonNull ? (field.type as GraphQLNonNull<GraphQLOutputType>).ofType : field.type;
      const leaf = !field.resolve && (named instanceof GraphQLScalarType || named instanceof GraphQLEnumType) ? serializer(named) : undefined;
      plan = {
        key: node.alias?.value ?? node.name.value,
        field,
        args: getArgumentValues(field, node, this.variables),
        info,
        nonNull,
        ...(leaf ? { leaf } : { complete: this.completion(field.type, node) }),
      };
      this.plans.set(node, plan);
    }
    return plan;
  }

  /**
   * The completion of values of `type` (the field `node`'s type or a part of it), decided once:
   * null checks, lists item by item, leaves serialized, objects by their selection's plans (made
   * when the first object is completed).
   */
  private completion(type: GraphQLOutputType, node: FieldNode): Complete {
    if (type instanceof GraphQLNonNull) {
      const inner = this.completion(type.ofType as GraphQLOutputType, node);
      return (value) => {
        if (value === null || value === undefined) throw new Unsupported();
        return inner(value);
      };
    }
    if (type instanceof GraphQLList) {
      const item = this.completion(type.ofType as GraphQLOutputType, node);
      const itemOf = (value: unknown) => (isPromise(value) ? value.then(item) : item(value));
      return (value) => {
        if (value === null || value === undefined) return null;
        if (!Array.isArray(value)) throw new Unsupported();
        const out: unknown[] = new Array(value.length);
        let pending: Promise<unknown>[] | undefined;
        try {
          for (let i = 0; i < value.length; i++) {
            const completed = itemOf(value[i]);
            if (isPromise(completed)) (pending ??= []).push(completed.then((x) => (out[i] = x)));
            else out[i] = completed;
          }
        } catch (error) {
          if (pending) abandon(pending);
          throw error;
        }
        return pending === undefined ? out : Promise.all(pending).then(() => out);
      };
    }
    if (type instanceof GraphQLScalarType || type instanceof GraphQLEnumType) {
      const serialize = serializer(type);
      return (value) => {
        if (value === null || value === undefined) return null;
        const serialized = serialize(value);
        if (serialized === null || serialized === undefined) throw new Unsupported();
        return serialized;
      };
    }
    const set = node.selectionSet;
    if (type instanceof GraphQLObjectType && set) {
      let plans: FieldPlan[] | undefined;
      return (value) => {
        if (value === null || value === undefined) return null;
        return this.object(plans ?? (plans = this.planSet(type, set)), value);
      };
    }
    return (value) => {
      if (value === null || value === undefined) return null;
      throw new Unsupported();
    };
  }

  /** The selection of `type` on `parent`: an object, or a promise of one once every field is in. */
  fields(type: GraphQLObjectType, set: SelectionSetNode, parent: unknown): unknown {
    return this.object(this.planSet(type, set), parent);
  }

  private object(plans: FieldPlan[], parent: unknown): unknown {
    const out: Record<string, unknown> = {};
    let pending: Promise<unknown>[] | undefined;
    try {
      for (let i = 0; i < plans.length; i++) {
        const plan = plans[i]!;
        const { key, field, leaf } = plan;
        if (leaf) {
          const value = (parent as Record<string, unknown>)[field.name];
          if (value === null || value === undefined) {
            if (plan.nonNull) throw new Unsupported();
            out[key] = null;
          } else {
            const serialized = leaf(value);
            if (serialized === null || serialized === undefined) throw new Unsupported();
            out[key] = serialized;
          }
          continue;
        }
        const complete = plan.complete!;
        const value = field.resolve ? field.resolve(parent, plan.args, this.args.contextValue, plan.info) : (parent as Record<string, unknown>)[field.name];
        const completed = isPromise(value) ? value.then(complete) : complete(value);
        if (isPromise(completed)) {
          out[key] = null; // keeps the key's place in the answer
          (pending ??= []).push(completed.then((v) => (out[key] = v)));
        } else out[key] = completed;
      }
    } catch (error) {
      if (pending) abandon(pending);
      throw error;
    }
    return pending === undefined ? out : Promise.all(pending).then(() => out);
  }
}

/** Promises no one will wait for any more: their failures are expected, not unhandled. */
function abandon(pending: Promise<unknown>[]): void {
  for (const p of pending) p.catch(() => undefined);
}

/**
 * An execute function answering supported operations directly and everything else, or any
 * operation that failed here, with `fallback` (the engine's own).
 */
export function directExecute(fallback: Execute): Execute {
  return (args) => {
    const operation = supportedOperation(args.document, args.operationName);
    const query = args.schema.getQueryType();
    if (!operation || !query) return fallback(args);
    const coerced = getVariableValues(args.schema, operation.variableDefinitions ?? [], (args.variableValues ?? {}) as Record<string, unknown>);
    if (coerced.errors) return fallback(args);
    const ctx = args.contextValue as QueryContext;
    // graphql-js starts again with a fresh count of the entities loaded (and fresh per-request
    // loaders, which are keyed by the context); the time limit and a stop already made carry over.
    const again = () => {
      const fresh: QueryContext = { ...ctx, loaded: 0 };
      const done = (result: unknown) => {
        if (fresh.timedOut) ctx.timedOut = true;
        return result;
      };
      const result = fallback({ ...args, contextValue: fresh });
      return isPromise(result) ? result.then(done) : done(result);
    };
    let data: unknown;
    try {
      data = new Run(args, operation, coerced.coerced).fields(query, operation.selectionSet, args.rootValue);
    } catch {
      return again();
    }
    return isPromise(data) ? data.then((d) => ({ data: d }) as ExecutionResult, again) : ({ data } as ExecutionResult);
  };
}
