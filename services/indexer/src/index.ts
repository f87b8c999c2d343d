export { BlockState, dataToEntity, entityToData } from "./runtime/block-state.ts";
export { buildGraphQLSchema, defaultLimits, type QueryLimits } from "./graphql/schema.ts";
export {
  type BlockData,
  type DataSourceInfo,
  type Entity,
  type EventData,
  HandlerError,
  type HostStore,
  MappingModule,
  type StoreValue,
  type TransactionData,
  UnsupportedHostImportsError,
} from "./runtime/host.ts";
export { Indexer, type IndexerOptions, type IndexerStatus, chainIdentity } from "./chain/indexer.ts";
export { parseSubgraphSchema, pluralize, type EntityDef, type FieldDef, type SubgraphSchema } from "./schema.ts";
export { GRAPHQL_PATH, defaultServerLimits, serve, type RunningServer, type ServeOptions, type ServerLimits } from "./graphql/server.ts";
export { DATABASE_FILE, EntityStore, type BlockPtr, type StoreIdentity } from "./store/store.ts";
export { ManifestError, loadSubgraph, type DataSource, type Subgraph } from "./subgraph.ts";
