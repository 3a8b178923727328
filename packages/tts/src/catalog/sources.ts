/**
 * Where a fact about The Things Stack comes from. Every configuration key and component fact in this catalog names
 * one of these, so a reviewer can check it, and so `assumed` facts stand out instead of hiding among verified ones.
 */
const DOCS = 'https://www.thethingsindustries.com/docs/enterprise/management/configuration';
const CODE = 'https://github.com/TheThingsNetwork/lorawan-stack/blob/v3.33';

export const SOURCES = {
  general: `${DOCS}/the-things-stack/`,
  identityServer: `${DOCS}/identity-server/`,
  networkServer: `${DOCS}/network-server/`,
  applicationServer: `${DOCS}/application-server/`,
  joinServer: `${DOCS}/join-server/`,
  gatewayServer: `${DOCS}/gateway-server/`,
  gatewayConfigurationServer: `${DOCS}/gateway-configuration-server/`,
  console: `${DOCS}/console/`,
  deviceClaimingServer: `${DOCS}/device-claiming-server/`,
  packetBrokerAgent: `${DOCS}/packet-broker-agent/`,
  networkOperationsCenter: `${DOCS}/network-operations-center/`,
  tenantBillingServer: `${DOCS}/tenant-billing-server/`,
  /** The Enterprise Docker example configuration (shows keys the reference pages omit, e.g. `console.ui.dcs.base-url`). */
  enterpriseDockerExample:
    'https://www.thethingsindustries.com/docs/enterprise/docker/configuration/ (ttn-lw-stack-docker-enterprise.yml)',
  /** `redis.Config` (address, password, namespace, tls.require) is the type of `redis`, `cache.redis` and `events.redis`. */
  redisConfigCode: `${CODE}/pkg/redis/redis.go`,
  /** `ttn-lw-stack start` arguments and the services each component registers. */
  startCommandCode: `${CODE}/cmd/ttn-lw-stack/commands/start.go`,
  /** Environment variable mapping: prefix `TTN_LW`, `.` and `-` replaced by `_`, upper case. */
  configManagerCode: `${CODE}/pkg/config/config.go`,
  ecsDeployment: 'https://www.thethingsindustries.com/docs/enterprise/aws/ecs/deployment/',
  ecsChangelog: 'https://www.thethingsindustries.com/docs/enterprise/aws/ecs/changelog/',
  fargateTaskSizes: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html',
} as const;

export type SourceId = keyof typeof SOURCES;
