import { z } from 'zod';
import { FARGATE_TASK_SIZES } from '@tts-ecs/core';

/**
 * The deployment config: one JSON file per deployment. Every field is documented here (the descriptions are
 * copied into deployments/schema.json for editor completion). It never holds a secret value.
 */

const prefix = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,11}$/, {
    error: 'must be 2-12 lowercase letters or digits, starting with a letter (it begins every AWS resource name)',
  })
  .describe('Short name of the deployment, the first part of every stack and resource name, e.g. "acme".');

const environment = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,9}$/, { error: 'must be 2-10 lowercase letters or digits, starting with a letter' })
  .describe('Environment name, e.g. "prod" or "staging". Part of every name and of the state key.');

const domainLabel = '(?!-)[a-z0-9-]{1,63}(?<!-)';
export const DOMAIN_PATTERN = new RegExp(`^(?=.{4,253}$)(${domainLabel}\\.)+[a-z]{2,63}$`);
const domain = z.string().regex(DOMAIN_PATTERN, {
  error: 'must be a lowercase DNS name such as "lns.example.com" (no scheme, no trailing dot, no wildcard)',
});

const accountId = z
  .string()
  .regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id, written as a string with leading zeros kept' });

export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const region = z.string().regex(REGION_PATTERN, { error: 'must be an AWS region code such as "eu-west-1"' });

const clusterId = z
  .string()
  .regex(/^[a-z][a-z0-9]{1,7}$/, {
    error: 'must be 2-8 lowercase letters or digits, starting with a letter, e.g. "eu1"',
  })
  .describe('Cluster id, unique in the deployment, e.g. "eu1". Part of names and of the state key.');

const cluster = z
  .strictObject({
    id: clusterId,
    role: z
      .enum(['primary', 'secondary'])
      .describe(
        '"primary" runs the Identity Server, Aurora and the picture buckets; "secondary" proxies to the primary.',
      ),
    accountId: accountId.describe('AWS account the cluster deploys to; every provider refuses other credentials.'),
    region: region.describe('AWS region of the cluster, e.g. "eu-west-1".'),
    availabilityZones: z
      .array(z.string())
      .describe(
        '2 or 3 availability zones of the region, e.g. ["eu-west-1a", "eu-west-1b"]. Named here, never looked up.',
      ),
    vpcCidr: z
      .string()
      .describe('IPv4 CIDR of the cluster VPC, e.g. "10.10.0.0/16". Must not overlap any other cluster.'),
    natMode: z
      .enum(['per-az', 'single'])
      .default('per-az')
      .describe('"per-az" (default): one NAT gateway per zone, survives a zone outage. "single": cheaper, one zone.'),
    domain: domain
      .optional()
      .describe(
        'Domain this cluster serves. Default: the deployment domain for the primary, "<id>.<domain>" for secondaries.',
      ),
    hostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/, { error: 'must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"' })
      .optional()
      .describe('Route 53 hosted zone of this cluster\'s domain. Default: the deployment "hostedZoneId".'),
  })
  .describe('One TTS cluster: a VPC, an ECS cluster and its stacks in one account and region.');

const stateBackend = z
  .strictObject({
    bucket: z
      .string()
      .regex(/^(?!xn--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, {
        error:
          'must be an S3 bucket name of 3-63 lowercase letters, digits and hyphens (no dots: they break TLS for the S3 backend)',
      })
      .describe("S3 bucket holding every stack's state (create it with the bootstrap stack)."),
    region: region.describe('Region of the state bucket.'),
    lockTable: z
      .string()
      .regex(/^[a-zA-Z0-9_.-]{3,255}$/, { error: 'must be a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)' })
      .optional()
      .describe(
        'DynamoDB lock table, only for Terraform < 1.10. Default: none; S3 native locking (use_lockfile) is used.',
      ),
  })
  .describe('Where Terraform state lives. Keys are "<environment>/<cluster>/<layer>.tfstate".');

/**
 * Ids of The Things Stack components tts-ecs can run (the catalog of @tts-ecs/tts-catalog; a test there keeps the two
 * equal). Listed here so the config file itself, and editors through its JSON Schema, refuse an unknown component.
 */
export const TTS_COMPONENT_IDS = [
  'is',
  'gs',
  'ns',
  'as',
  'js',
  'console',
  'gcs',
  'dcs',
  'pba',
  'dtc',
  'qrg',
  'dr',
  'noc',
  'tbs',
] as const;

const FARGATE_CPUS = Object.keys(FARGATE_TASK_SIZES).map(Number) as [number, ...number[]];
const FARGATE_MEMORIES = [...new Set(Object.values(FARGATE_TASK_SIZES).flat())];

const componentOverride = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .describe('Run this component. Default: the catalog default (optional components off).'),
    desiredCount: z
      .number()
      .int()
      .min(0)
      .max(100)
      .optional()
      .describe('Tasks to run. Default 2 (1 for singletons such as the Application Server, which may not run more).'),
    cpu: z
      .literal(FARGATE_CPUS, { error: `must be Fargate CPU units: one of ${FARGATE_CPUS.join(', ')}` })
      .optional()
      .describe(`Fargate CPU units (${FARGATE_CPUS.join(', ')}). Default: the catalog size.`),
    memory: z
      .number()
      .int()
      .min(Math.min(...FARGATE_MEMORIES), { error: `must be at least ${Math.min(...FARGATE_MEMORIES)} MiB` })
      .max(Math.max(...FARGATE_MEMORIES), { error: `must be at most ${Math.max(...FARGATE_MEMORIES)} MiB` })
      .multipleOf(512, { error: 'must be a multiple of 512 MiB (Fargate sizes)' })
      .optional()
      .describe('Fargate memory in MiB, valid for the CPU units. Default: the catalog size.'),
  })
  .describe('Overrides of one component; unset fields keep the catalog default.');

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const cidrList = (what: string, fallback: string[]) =>
  z
    .array(z.string().regex(IPV4_CIDR, { error: 'must be an IPv4 CIDR block such as "203.0.113.0/24"' }))
    .default(fallback)
    .describe(`IPv4 CIDRs allowed to reach ${what}. Default ${JSON.stringify(fallback)}.`);

export const DEFAULT_INGRESS = {
  plainListeners: false,
  interop: false,
  gatewayCidrs: ['0.0.0.0/0'],
  applicationCidrs: ['0.0.0.0/0'],
  apiCidrs: ['0.0.0.0/0'],
  interopCidrs: [] as string[],
};

const ingress = z
  .strictObject({
    plainListeners: z
      .boolean()
      .default(false)
      .describe(
        'Also open the non-TLS listeners (80, 1881, 1882, 1883, 1884, 1887). Default false: clients use the TLS ports. ' +
          'Semtech UDP (1700) has no TLS variant and is always open.',
      ),
    interop: z
      .boolean()
      .default(false)
      .describe(
        'Open the LoRaWAN Backend Interfaces listener (8886, primary only). Default false. Needs interopCidrs.',
      ),
    gatewayCidrs: cidrList('the gateway ports (1700/udp, MQTT 1881/8881 and 1882/8882, Basic Station 1887/8887)', [
      '0.0.0.0/0',
    ]),
    applicationCidrs: cidrList('the Application Server MQTT ports (1883/8883)', ['0.0.0.0/0']),
    apiCidrs: cidrList('the HTTP and gRPC APIs, Console and OAuth (80/443, 1884/8884)', ['0.0.0.0/0']),
    interopCidrs: cidrList('the interop port 8886 (your roaming partners)', []),
  })
  .describe('Which public listeners the NLB opens and who may connect to them.');

const tts = z
  .strictObject({
    edition: z
      .enum(['enterprise', 'open-source'])
      .describe(
        '"enterprise": thethingsindustries/lorawan-stack (tti-lw-stack). "open-source": thethingsnetwork/lorawan-stack.',
      ),
    version: z
      .string()
      .regex(/^3\.\d+\.\d+$/, {
        error: 'must be an exact version "3.x.y" (no "v" prefix, no floating tag like "latest" or "3.33")',
      })
      .describe(
        'Exact TTS version, e.g. "3.33.1". Floating tags are rejected: every cluster must run what was planned.',
      ),
    defaultTenantId: z
      .string()
      .regex(/^[a-z0-9](?:-?[a-z0-9]){2,35}$/, {
        error: 'must be a tenant id: 3-36 lowercase letters, digits and single dashes, e.g. "default"',
      })
      .default('default')
      .describe(
        'Enterprise: tenancy.default-id, the tenant the ops task creates (is-db create-tenant) and single-tenant ' +
          'deployments serve. Default "default" (the Enterprise Docker reference configuration).',
      ),
    components: z
      .partialRecord(
        z.enum(TTS_COMPONENT_IDS, {
          error: `is not a component of The Things Stack; use one of ${TTS_COMPONENT_IDS.join(', ')}`,
        }),
        componentOverride,
      )
      .default({})
      .describe(
        'Per-component overrides keyed by component id (is, gs, ns, as, js, console, gcs, dcs, pba, dtc, qrg, dr, noc, tbs). ' +
          'Default: the catalog defaults (optional components pba and noc off; tbs follows features.tbs).',
      ),
  })
  .describe('The Things Stack edition, version and components.');

const features = z
  .strictObject({
    bastion: z.boolean().default(false).describe('Bastion host reachable through SSM Session Manager. Default false.'),
    opsgenie: z
      .boolean()
      .default(false)
      .describe('Opsgenie subscription on the alarm topic (URL from a sensitive variable). Default false.'),
    timescale: z.boolean().default(false).describe('TimescaleDB host for Storage Integration and NOC. Default false.'),
    tbs: z.boolean().default(false).describe('Tenant Billing Server (enterprise only). Default false.'),
    monitoring: z.boolean().default(true).describe('Prometheus with data on EFS. Default true.'),
    certbot: z
      .boolean()
      .default(false)
      .describe('Certbot task renewing a certificate into ACM every 14 days. Default false (ACM issues and renews).'),
    mtls: z.boolean().default(false).describe('CA certificate bucket for gateway mutual TLS. Default false.'),
  })
  .describe('Optional parts of the deployment; each defaults to the safe, simple choice.');

const monitoring = z
  .strictObject({
    alertmanagerUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as "https://alertmanager.example.com:9093"' })
      .refine((url) => !/^https?:\/\/[^/]*@/.test(url), { error: 'must not contain credentials (user:password@)' })
      .optional()
      .describe('External Alertmanager Prometheus sends alerts to (features.monitoring). Default: none.'),
    longTermStorage: z
      .boolean()
      .default(false)
      .describe('Ship Prometheus blocks to an S3 bucket per cluster through a Thanos sidecar. Default false.'),
    longTermRetentionDays: z
      .number()
      .int()
      .min(30, { error: 'must be at least 30 days' })
      .max(3650, { error: 'must be at most 3650 days' })
      .default(395)
      .describe('Days metric blocks stay in the long-term bucket. Default 395 (13 months).'),
  })
  .describe('Alerting and long-term storage of Prometheus (features.monitoring).');

// Deliberately simple: one "@", a DNS domain after it, no spaces or quotes (the value lands in a mail header).
const EMAIL_PATTERN = new RegExp(`^[A-Za-z0-9._%+-]{1,64}@(${domainLabel}\\.)+[a-z]{2,63}$`);
const HOST_PORT_PATTERN = new RegExp(
  `^(${domainLabel}\\.)*${domainLabel}:(6553[0-5]|655[0-2]\\d|65[0-4]\\d{2}|6[0-4]\\d{3}|[1-5]\\d{4}|[1-9]\\d{0,3})$`,
);

const email = z
  .strictObject({
    provider: z
      .enum(['sendgrid', 'smtp'])
      .describe(
        '"sendgrid": the SendGrid API (is.email.sendgrid.api-key). "smtp": an SMTP server (email.smtp.address). ' +
          'Credentials are never in the config: fill the primary\'s "email-credentials" secret.',
      ),
    senderAddress: z
      .string()
      .regex(EMAIL_PATTERN, { error: 'must be an e-mail address such as "noreply@lns.example.com"' })
      .describe('From address of every e-mail (is.email.sender-address), e.g. "noreply@lns.example.com".'),
    senderName: z
      .string()
      .regex(/^[^"<>\r\n]{1,100}$/, { error: 'must be 1-100 characters without quotes, "<", ">" or line breaks' })
      .optional()
      .describe(
        "Sender and network name in e-mails (is.email.sender-name, is.email.network.name). Default: TTS's own.",
      ),
    smtp: z
      .strictObject({
        address: z
          .string()
          .regex(HOST_PORT_PATTERN, {
            error: 'must be "host:port" such as "email-smtp.eu-west-1.amazonaws.com:587" (no scheme)',
          })
          .describe('SMTP server as "host:port" (is.email.smtp.address).'),
      })
      .optional()
      .describe('The SMTP server; required with provider "smtp", not allowed with "sendgrid".'),
  })
  .describe(
    'E-mail of the Identity Server (account confirmation, password reset, notifications). ' +
      'Default: none: the Identity Server sends no e-mail and synth warns.',
  );

const int = (min: number, max: number, what: string) =>
  z
    .number()
    .int({ error: `must be a whole number (${what})` })
    .min(min, { error: `must be at least ${min} (${what})` })
    .max(max, { error: `must be at most ${max} (${what})` });

export const REDIS_PURPOSES = ['general', 'cache', 'events'] as const;

const rateLimitingProfile = z
  .strictObject({
    name: z.string().min(1).describe('Profile name, shown in errors.'),
    maxPerMin: int(1, 1_000_000, 'requests per minute').describe('Allowed requests per minute and key.'),
    maxBurst: int(1, 1_000_000, 'burst size').optional().describe('Burst size. Default: maxPerMin.'),
    associations: z
      .array(
        z.string().regex(/^[a-z][\w:./-]*$/, {
          error: 'must be a rate limiting class such as "http:account" or "gs:accept:mqtt"',
        }),
      )
      .min(1, { error: 'must list at least one rate limiting class' })
      .describe('Rate limiting classes the profile applies to (TTS rate limiting reference).'),
  })
  .describe('One rate limiting profile (rate-limiting.yml).');

/**
 * Rate limiting the official guide calls mandatory. Classes from the TTS rate limiting reference example; the HTTP and
 * downlink rates are raised from the example's 30 and 10 per minute, which a busy Console user would hit.
 */
export const DEFAULT_RATE_LIMITING_PROFILES = [
  { name: 'HTTP servers', maxPerMin: 600, associations: ['http'] },
  { name: 'User login', maxPerMin: 10, associations: ['http:account'] },
  { name: 'Create new users', maxPerMin: 10, associations: ['grpc:method:/ttn.lorawan.v3.UserRegistry/Create'] },
  { name: 'Application downlink traffic', maxPerMin: 60, associations: ['as:down:web', 'as:down:mqtt'] },
  { name: 'Gateway connections', maxPerMin: 10, associations: ['gs:accept:mqtt', 'gs:accept:semtechws/lbslns'] },
];

const data = z
  .strictObject({
    aurora: z
      .strictObject({
        instanceClass: z
          .string()
          .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'must be an RDS instance class such as "db.t4g.medium"' })
          .default('db.t4g.medium')
          .describe('Instance class of the writer and readers. Default "db.t4g.medium".'),
        readers: int(0, 15, 'reader instances next to the writer')
          .default(1)
          .describe('Reader instances (failover targets). Default 1.'),
        backupRetentionDays: int(1, 35, 'days of automated backups; 0 would disable point-in-time recovery')
          .default(7)
          .describe('Days of automated backups, 1-35. Default 7.'),
        engineVersion: z
          .string()
          .regex(/^16\.\d+$/, { error: 'must be an Aurora PostgreSQL 16.x version such as "16.6"' })
          .default('16.6')
          .describe('Aurora PostgreSQL engine version. Default "16.6".'),
        autoMinorVersionUpgrade: z
          .boolean()
          .default(true)
          .describe('Let RDS apply minor versions in the maintenance window. Default true.'),
        snapshotIdentifier: z
          .string()
          .min(1)
          .optional()
          .describe('Create the cluster from this snapshot (identifier or ARN). Only read at creation.'),
      })
      .default({
        instanceClass: 'db.t4g.medium',
        readers: 1,
        backupRetentionDays: 7,
        engineVersion: '16.6',
        autoMinorVersionUpgrade: true,
      })
      .describe('Aurora PostgreSQL of the primary cluster (secondaries have none).'),
    redis: z
      .strictObject({
        purposes: z
          .array(z.enum(REDIS_PURPOSES))
          .default(['general'])
          .describe(
            'Redis replication groups per cluster: "general" (always), optional "cache" and "events". Default ["general"].',
          ),
        nodeType: z
          .string()
          .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, {
            error: 'must be an ElastiCache node type such as "cache.t4g.medium"',
          })
          .default('cache.t4g.medium')
          .describe('Node type. Default "cache.t4g.medium".'),
        replicas: int(1, 5, 'Multi-AZ failover needs at least one replica')
          .default(2)
          .describe('Replicas next to the primary node, 1-5 (Multi-AZ failover needs one). Default 2.'),
        snapshotRetentionDays: int(1, 35, 'days of daily snapshots')
          .default(7)
          .describe('Days of daily snapshots, 1-35. Default 7.'),
      })
      .default({ purposes: ['general'], nodeType: 'cache.t4g.medium', replicas: 2, snapshotRetentionDays: 7 })
      .describe('ElastiCache Redis of every cluster.'),
    netId: z
      .string()
      .regex(/^[0-9A-Fa-f]{6}$/, { error: 'must be a NetID of 6 hex digits such as "000013"' })
      .default('000000')
      .describe('LoRa Alliance NetID (ns.net-id). Default "000000" (private network).'),
    devAddrPrefixes: z
      .array(
        z.string().regex(/^[0-9A-Fa-f]{8}\/([0-9]|[12][0-9]|3[0-2])$/, {
          error: 'must be a DevAddr prefix such as "26000000/7"',
        }),
      )
      .min(1, { error: 'must list at least one DevAddr prefix' })
      .default(['00000000/7'])
      .describe(
        'DevAddr prefixes of the Network Server (ns.dev-addr-prefixes). Default ["00000000/7"], the block of NetID 000000.',
      ),
    rateLimiting: z
      .array(rateLimitingProfile)
      .min(1, { error: 'must list at least one profile: the official guide makes rate limiting mandatory' })
      .default(DEFAULT_RATE_LIMITING_PROFILES)
      .describe('Rate limiting profiles written to rate-limiting.yml. Default: the TTS documentation example.'),
    timescale: z
      .strictObject({
        instanceType: z.string().default('m7g.large').describe('EC2 instance type (Graviton). Default "m7g.large".'),
        volumeSizeGiB: int(10, 16384, 'GiB of the data volume')
          .default(100)
          .describe('Size of a new data volume. Default 100.'),
        snapshotId: z
          .string()
          .regex(/^snap-[0-9a-f]{8,17}$/, { error: 'must be an EBS snapshot id such as "snap-0123456789abcdef0"' })
          .optional()
          .describe('Create the data volume from this snapshot instead.'),
      })
      .default({ instanceType: 'm7g.large', volumeSizeGiB: 100 })
      .describe('TimescaleDB host (features.timescale).'),
    backup: z
      .strictObject({
        retentionDays: int(1, 36500, 'days each AWS Backup recovery point is kept')
          .default(35)
          .describe('Days each daily AWS Backup recovery point (Aurora, EFS) is kept. Default 35.'),
        copyToRegion: z
          .string()
          .regex(REGION_PATTERN, { error: 'must be an AWS region such as "eu-central-1"' })
          .optional()
          .describe(
            "Also copy the primary's recovery points to a vault in this region (disaster recovery). Default: no copy.",
          ),
      })
      .default({ retentionDays: 35 })
      .describe('AWS Backup of the stateful data of every cluster, into a KMS-encrypted vault.'),
  })
  .describe('Options of the data layer; every field has a safe default.');

/**
 * Secrets whose values Terraform generates (write-only, never in state). Their version is 1 until raised in
 * `secretVersions`; the next apply of the owning stack then writes a new random value (docs/layers-secrets-data.md).
 */
export const GENERATED_SECRETS = [
  'cookie-block-key',
  'cookie-hash-key',
  'metrics-password',
  'pprof-password',
  'cluster-keys',
  'tenant-admin-key',
  'database-password',
  ...REDIS_PURPOSES.map((purpose) => `redis-${purpose}-auth-token` as const),
] as const;

const secretVersions = z
  .partialRecord(
    z.enum(GENERATED_SECRETS, { error: `must be a generated secret: one of ${GENERATED_SECRETS.join(', ')}` }),
    z.number().int().min(1).max(1_000_000),
  )
  .default({})
  .describe(
    'Version of each generated secret, in every cluster (default 1). Raise one to rotate it: the next apply writes a ' +
      'new random value; restart the services that read it (docs/layers-secrets-data.md).',
  );

export const deploymentConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path of the JSON Schema, for editors.'),
    prefix,
    environment,
    domain: domain.describe(
      'Domain of the primary cluster, e.g. "lns.example.com". Secondaries default to "<id>.<domain>".',
    ),
    multiTenant: z
      .boolean()
      .default(false)
      .describe('Serve tenants on "<tenant>.<domain>": adds the wildcard certificate and DNS record. Default false.'),
    hostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,31}$/, { error: 'must be a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"' })
      .describe('Route 53 hosted zone that holds the domain (named here, never looked up).'),
    stateBackend,
    tts,
    clusters: z.array(cluster).describe('Exactly one primary and any number of secondaries.'),
    features: features.default({
      bastion: false,
      opsgenie: false,
      timescale: false,
      tbs: false,
      monitoring: true,
      certbot: false,
      mtls: false,
    }),
    data: data.default({
      aurora: {
        instanceClass: 'db.t4g.medium',
        readers: 1,
        backupRetentionDays: 7,
        engineVersion: '16.6',
        autoMinorVersionUpgrade: true,
      },
      redis: { purposes: ['general'], nodeType: 'cache.t4g.medium', replicas: 2, snapshotRetentionDays: 7 },
      netId: '000000',
      devAddrPrefixes: ['00000000/7'],
      rateLimiting: DEFAULT_RATE_LIMITING_PROFILES,
      timescale: { instanceType: 'm7g.large', volumeSizeGiB: 100 },
      backup: { retentionDays: 35 },
    }),
    ingress: ingress.default(DEFAULT_INGRESS),
    monitoring: monitoring.default({ longTermStorage: false, longTermRetentionDays: 395 }),
    email: email.optional(),
    secretVersions,
    tags: z
      .record(
        z.string().regex(/^(?![aA][wW][sS]:)[\w .:/=+@-]{1,128}$/, {
          error:
            'must be a tag key of 1-128 letters, digits, spaces and _ . : / = + - @, not starting with "aws:" (AWS reserves it)',
        }),
        z.string().regex(/^[\w .:/=+@-]{0,256}$/, {
          error: 'must be a tag value of at most 256 letters, digits, spaces and _ . : / = + - @',
        }),
      )
      .default({})
      .describe('Extra tags on every resource (on top of Deployment, Environment, Cluster, Layer, ManagedBy).'),
  })
  .describe('tts-ecs deployment config');

/** A validated deployment config with defaults applied. */
export type DeploymentConfig = z.output<typeof deploymentConfigSchema>;
/** One cluster of a validated config. */
export type ClusterConfig = DeploymentConfig['clusters'][number];
/** What a user writes (defaults optional). */
export type DeploymentConfigInput = z.input<typeof deploymentConfigSchema>;
