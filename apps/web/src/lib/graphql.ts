import { fetchService } from "./errors.ts";

/** A GraphQL error answered by the indexer (graph-node shape: `{errors: [{message}]}`). */
export class GraphQLError extends Error {
  override name = "GraphQLError";
}

export type GraphQLClient = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/** A minimal graph-node client: one POST per query, errors surfaced with the indexer's message. */
export function createGraphQLClient(url: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): GraphQLClient {
  return async <T>(query: string, variables: Record<string, unknown> = {}) => {
    // No answer it may read: a ServiceRequestError saying whether the indexer is down or refuses this page's origin.
    const response = await fetchService(
      "the indexer",
      url,
      { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify({ query, variables }) },
      fetchImpl,
    );
    const body = (await response.json().catch(() => null)) as { data?: T; errors?: { message: string }[] } | null;
    if (body?.errors?.length) throw new GraphQLError(body.errors.map((e) => e.message).join("; "));
    if (!response.ok || body?.data === undefined) throw new GraphQLError(`the indexer answered HTTP ${response.status}`);
    return body.data;
  };
}
