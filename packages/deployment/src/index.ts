export { ConfigError } from "./errors.ts";
export {
  MAX_RISK_DELAY,
  MAX_RISK_TIERS,
  TREASURY,
  profileNames,
  profiles,
  resolveDeployConfig,
  resolveTreasuryAssets,
  type DeployConfig,
  type DeployConfigInput,
  type ProfileName,
  type TreasuryAsset,
} from "./config.ts";
export {
  DEPLOYMENT_SCHEMA_VERSION,
  deploymentPath,
  deploymentSchema,
  parseDeployment,
  readDeployment,
  treasuryAssetSources,
  treasuryAssetsOf,
  writeDeployment,
  type Deployment,
} from "./deployment-file.ts";
