/**
 * Pure renderers for the Prometheus task: the scrape configuration, the start script that writes it (and the metrics
 * password) to files at container start, and the Thanos object store configuration. Kept free of constructs so tests
 * can assert on them as data.
 */

/** One set of tasks to scrape, found through DNS (e.g. a Cloud Map name with one A record per task). */
export interface ScrapeTarget {
  /** Prometheus job name (letters, digits, `_`, `-`), unique among the targets. */
  readonly jobName: string;
  /** DNS name resolving to the tasks' IPs, e.g. `api.app.internal`. Every A record is scraped. */
  readonly dnsName: string;
  /** Port the metrics endpoint listens on. */
  readonly port: number;
  /** @default '/metrics' */
  readonly metricsPath?: string;
  /**
   * Scheme of the metrics endpoint.
   * @default 'http' (inside the VPC; the password still travels in basic auth, so prefer 'https' where targets support it)
   */
  readonly scheme?: 'http' | 'https';
}

/** Basic-auth user Prometheus scrapes with. */
export const METRICS_USER = 'metrics';
/** User Prometheus runs as (`nobody`, as in the official image); it owns the runtime directory. */
export const PROMETHEUS_USER = '65534:65534';
/** Where the TSDB lives (the EFS volume); Prometheus also keeps its lock file and `queries.active` there. */
export const PROMETHEUS_DATA_DIR = '/prometheus';
/**
 * Task-local scratch directory (an ECS volume on the task's ephemeral storage, gone when the task stops) that the start
 * script writes the configuration and the password to. With the data directory it is the only writable path: the root
 * file system is read-only.
 */
export const PROMETHEUS_RUNTIME_DIR = '/etc/prometheus-runtime';
export const PROMETHEUS_CONFIG_FILE = `${PROMETHEUS_RUNTIME_DIR}/prometheus.yml`;
export const METRICS_PASSWORD_FILE = `${PROMETHEUS_RUNTIME_DIR}/metrics-password`;
/** Environment variables the start script reads. */
export const CONFIG_ENV = 'PROMETHEUS_CONFIG';
export const PASSWORD_ENV = 'METRICS_PASSWORD';

export interface PrometheusConfigInput {
  readonly scrapeTargets: readonly ScrapeTarget[];
  /** @default 30 */
  readonly scrapeIntervalSeconds?: number;
  /** Alertmanager base URL, e.g. `https://alertmanager.example.com:9093/am`. @default no alerting section */
  readonly alertmanagerUrl?: string;
  /** Labels identifying this Prometheus (required by Thanos). @default none */
  readonly externalLabels?: Record<string, string>;
}

/** The Prometheus configuration document (JSON is valid YAML, so it is written as JSON). */
export interface PrometheusConfig {
  global: { scrape_interval: string; evaluation_interval: string; external_labels?: Record<string, string> };
  alerting?: {
    alertmanagers: Array<{ scheme: string; path_prefix?: string; static_configs: Array<{ targets: string[] }> }>;
  };
  scrape_configs: Array<{
    job_name: string;
    scheme: string;
    metrics_path: string;
    basic_auth: { username: string; password_file: string };
    dns_sd_configs: Array<{ names: string[]; type: 'A'; port: number; refresh_interval: string }>;
  }>;
}

/** Renders the configuration: one scrape job per target, each with basic auth reading the password from a file. */
export function renderPrometheusConfig(input: PrometheusConfigInput): PrometheusConfig {
  const interval = `${input.scrapeIntervalSeconds ?? 30}s`;
  const labels = input.externalLabels ?? {};
  const config: PrometheusConfig = {
    global: {
      scrape_interval: interval,
      evaluation_interval: interval,
      ...(Object.keys(labels).length > 0 && { external_labels: { ...labels } }),
    },
    scrape_configs: input.scrapeTargets.map((t) => ({
      job_name: t.jobName,
      scheme: t.scheme ?? 'http',
      metrics_path: t.metricsPath ?? '/metrics',
      // The password is never in this document: Prometheus reads it from the file the start script writes.
      basic_auth: { username: METRICS_USER, password_file: METRICS_PASSWORD_FILE },
      dns_sd_configs: [{ names: [t.dnsName], type: 'A', port: t.port, refresh_interval: '30s' }],
    })),
  };
  if (input.alertmanagerUrl) {
    const url = new URL(input.alertmanagerUrl);
    const scheme = url.protocol.replace(':', '');
    const port = url.port || (scheme === 'https' ? '443' : '80');
    const path = url.pathname.replace(/\/$/, '');
    config.alerting = {
      alertmanagers: [
        { scheme, ...(path && { path_prefix: path }), static_configs: [{ targets: [`${url.hostname}:${port}`] }] },
      ],
    };
  }
  return config;
}

/** Maps a rendered configuration back to scrape targets (what tests and reviewers compare with the inputs). */
export function scrapeTargetsOf(config: PrometheusConfig): ScrapeTarget[] {
  return config.scrape_configs.map((c) => ({
    jobName: c.job_name,
    dnsName: c.dns_sd_configs[0].names[0],
    port: c.dns_sd_configs[0].port,
    metricsPath: c.metrics_path,
    scheme: c.scheme as 'http' | 'https',
  }));
}

export interface StartScriptOptions {
  /** @default 15 */
  readonly retentionDays?: number;
  /** Fix TSDB blocks at 2 h so a Thanos sidecar can upload them. @default false */
  readonly forThanos?: boolean;
}

/**
 * The shell command the Prometheus container runs (`sh -c`): writes the password (from the ECS secret in
 * `$METRICS_PASSWORD`) and the configuration (from `$PROMETHEUS_CONFIG`) to owner-only files in
 * {@link PROMETHEUS_RUNTIME_DIR}, drops the password from the environment and execs Prometheus, which writes only to
 * {@link PROMETHEUS_DATA_DIR}. No `${` appears, so Terraform leaves the text alone.
 */
export function renderStartScript(options: StartScriptOptions = {}): string {
  const flags = [
    `--config.file=${PROMETHEUS_CONFIG_FILE}`,
    `--storage.tsdb.path=${PROMETHEUS_DATA_DIR}`,
    `--storage.tsdb.retention.time=${options.retentionDays ?? 15}d`,
    '--web.listen-address=:9090',
    ...(options.forThanos ? ['--storage.tsdb.min-block-duration=2h', '--storage.tsdb.max-block-duration=2h'] : []),
  ];
  return [
    'set -eu',
    'umask 077',
    `printf '%s' "$${PASSWORD_ENV}" > ${METRICS_PASSWORD_FILE}`,
    `printf '%s' "$${CONFIG_ENV}" > ${PROMETHEUS_CONFIG_FILE}`,
    `unset ${PASSWORD_ENV}`,
    `exec /bin/prometheus ${flags.join(' ')}`,
  ].join('\n');
}

/**
 * The shell command of the init container that prepares {@link PROMETHEUS_RUNTIME_DIR}: ECS creates a task-local volume
 * owned by root with mode 0755, which `nobody` cannot write, so a root container hands it to the Prometheus user
 * (owner-only) and exits before Prometheus starts.
 */
export function renderRuntimeDirSetup(): string {
  const dir = PROMETHEUS_RUNTIME_DIR;
  return ['set -eu', `chown ${PROMETHEUS_USER} ${dir}`, `chmod 0700 ${dir}`].join('\n');
}

/** Thanos object store configuration for an S3 bucket with SSE-KMS (JSON, which Thanos reads as YAML). */
export function renderThanosObjstoreConfig(
  bucketName: string,
  region: string,
  kmsKeyArn: string,
  dnsSuffix = 'amazonaws.com',
): string {
  return JSON.stringify({
    type: 'S3',
    config: {
      bucket: bucketName,
      endpoint: `s3.${region}.${dnsSuffix}`,
      region,
      sse_config: { type: 'SSE-KMS', kms_key_id: kmsKeyArn },
    },
  });
}
