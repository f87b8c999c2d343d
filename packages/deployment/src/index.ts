export { ConfigError } from "./errors.ts";
export {
  TREASURY,
  profileNames,
  profiles,
  resolveDeployConfig,
  type DeployConfig,
  type DeployConfigInput,
  type ProfileName,
} from "./config.ts";
export {
  DEPLOYMENT_SCHEMA_VERSION,
  deploymentPath,
  deploymentSchema,
  parseDeployment,
  readDeployment,
  writeDeployment,
  type Deployment,
} from "./deployment-file.ts";
