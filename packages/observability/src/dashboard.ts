import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { AwsEnvironment, requireProp, requireEnvironment } from '@tts-ecs/core';
import { AuroraClusterRef, CacheRef, EcsServiceRef, NetworkLoadBalancerRef } from './refs';

/** What the dashboard shows; the same shapes the alarm sets take. Absent or empty inputs omit their section. */
export interface DashboardContent {
  /** ECS services: CPU and memory utilisation, running vs desired tasks. @default no services section */
  readonly services?: readonly EcsServiceRef[];
  /** Aurora cluster: CPU, freeable memory, connections, replica lag. @default no database section */
  readonly database?: AuroraClusterRef;
  /** ElastiCache replication groups: engine CPU, memory, evictions, replication lag. @default no cache section */
  readonly caches?: readonly CacheRef[];
  /** Network Load Balancer: healthy and unhealthy targets per target group. @default no load balancer section */
  readonly loadBalancer?: NetworkLoadBalancerRef;
}

export interface DashboardProps extends DashboardContent {
  /** Account and region of the metrics. */
  readonly environment: AwsEnvironment;
  /** Dashboard name: 1-255 letters, digits, `-` and `_`. */
  readonly dashboardName: string;
  /**
   * Period of every graph, in seconds (a multiple of 60).
   * @default 300
   */
  readonly periodSeconds?: number;
}

/** A CloudWatch dashboard widget, as the dashboard body JSON describes it. */
export interface DashboardWidget {
  readonly type: 'text' | 'metric';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

type MetricRow = (string | Record<string, string>)[];

/** Renders the dashboard body (widgets with their layout) from the inputs. Pure: tests assert on it as data. */
export function renderDashboardBody(
  content: DashboardContent,
  region: string,
  periodSeconds = 300,
): { widgets: DashboardWidget[] } {
  const widgets: DashboardWidget[] = [];
  let y = 0;
  let column = 0;
  const section = (title: string) => {
    if (column !== 0) y += 6;
    column = 0;
    widgets.push({ type: 'text', x: 0, y, width: 24, height: 1, properties: { markdown: `## ${title}` } });
    y += 1;
  };
  const graph = (title: string, metrics: MetricRow[], stat: string, extra: Record<string, unknown> = {}) => {
    widgets.push({
      type: 'metric',
      x: column * 12,
      y,
      width: 12,
      height: 6,
      properties: { title, region, view: 'timeSeries', stacked: false, stat, period: periodSeconds, metrics, ...extra },
    });
    column = (column + 1) % 2;
    if (column === 0) y += 6;
  };
  const percentAxis = { yAxis: { left: { min: 0, max: 100 } } };

  if (content.services && content.services.length > 0) {
    section('ECS services');
    for (const s of content.services) {
      const dims = ['ClusterName', s.clusterName, 'ServiceName', s.serviceName];
      graph(
        `${s.serviceName}: CPU and memory (%)`,
        [
          ['AWS/ECS', 'CPUUtilization', ...dims],
          ['AWS/ECS', 'MemoryUtilization', ...dims],
        ],
        'Average',
        percentAxis,
      );
      graph(
        `${s.serviceName}: tasks`,
        [
          ['ECS/ContainerInsights', 'RunningTaskCount', ...dims],
          ['ECS/ContainerInsights', 'DesiredTaskCount', ...dims],
        ],
        'Minimum',
      );
    }
  }
  const db = content.database;
  if (db && db.instanceIdentifiers.length > 0) {
    section(`Aurora ${db.clusterIdentifier}`);
    const perInstance = (metric: string, ids: readonly string[]) =>
      ids.map((id) => ['AWS/RDS', metric, 'DBInstanceIdentifier', id]);
    graph('Database CPU (%)', perInstance('CPUUtilization', db.instanceIdentifiers), 'Average', percentAxis);
    graph('Database freeable memory (bytes)', perInstance('FreeableMemory', db.instanceIdentifiers), 'Minimum');
    graph('Database connections', perInstance('DatabaseConnections', db.instanceIdentifiers), 'Maximum');
    if (db.readerInstanceIdentifiers && db.readerInstanceIdentifiers.length > 0) {
      graph('Aurora replica lag (ms)', perInstance('AuroraReplicaLag', db.readerInstanceIdentifiers), 'Maximum');
    }
  }
  for (const cache of content.caches ?? []) {
    if (cache.memberClusterIds.length === 0) continue;
    section(`ElastiCache ${cache.replicationGroupId}`);
    const perMember = (metric: string) =>
      cache.memberClusterIds.map((id) => ['AWS/ElastiCache', metric, 'CacheClusterId', id]);
    graph(`${cache.replicationGroupId}: engine CPU (%)`, perMember('EngineCPUUtilization'), 'Average', percentAxis);
    graph(
      `${cache.replicationGroupId}: memory used (%)`,
      perMember('DatabaseMemoryUsagePercentage'),
      'Maximum',
      percentAxis,
    );
    graph(`${cache.replicationGroupId}: evictions`, perMember('Evictions'), 'Sum');
    graph(`${cache.replicationGroupId}: replication lag (s)`, perMember('ReplicationLag'), 'Maximum');
  }
  const lb = content.loadBalancer;
  if (lb && lb.targetGroups.length > 0) {
    section('Network Load Balancer');
    for (const tg of lb.targetGroups) {
      const dims = ['LoadBalancer', lb.loadBalancerArnSuffix, 'TargetGroup', tg.arnSuffix];
      graph(
        `${tg.name}: targets`,
        [
          ['AWS/NetworkELB', 'HealthyHostCount', ...dims],
          ['AWS/NetworkELB', 'UnHealthyHostCount', ...dims],
        ],
        'Maximum',
      );
    }
  }
  return { widgets };
}

/** URL of a CloudWatch dashboard in the AWS console. */
export function dashboardConsoleUrl(region: string, dashboardName: string): string {
  const host = region.startsWith('cn-') ? `${region}.console.amazonaws.cn` : `${region}.console.aws.amazon.com`;
  return `https://${host}/cloudwatch/home?region=${region}#dashboards:name=${dashboardName}`;
}

/**
 * One CloudWatch dashboard with a section per kind of resource given (ECS services, Aurora, ElastiCache, NLB),
 * built from the same inputs as the alarm sets. The body JSON is generated in code.
 */
export class Dashboard extends Construct {
  /** Dashboard name. */
  readonly dashboardName: string;
  /** Console URL of the dashboard. */
  readonly consoleUrl: string;
  /** The rendered body (widgets), for inspection. */
  readonly body: { widgets: DashboardWidget[] };
  /** The underlying resource, for escape hatches. */
  readonly resource: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    requireProp(
      this,
      /^[A-Za-z0-9_-]{1,255}$/.test(props.dashboardName ?? ''),
      'dashboardName',
      props.dashboardName,
      'Use 1-255 letters, digits, "-" and "_".',
    );
    const period = props.periodSeconds ?? 300;
    requireProp(
      this,
      Number.isInteger(period) && period >= 60 && period % 60 === 0,
      'periodSeconds',
      period,
      'Use a multiple of 60 seconds.',
    );
    this.body = renderDashboardBody(props, props.environment.region, period);
    requireProp(
      this,
      this.body.widgets.length > 0,
      'services/database/caches/loadBalancer',
      undefined,
      'Give at least one resource to show; an empty dashboard is a mistake.',
    );
    this.resource = new CloudwatchDashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify(this.body),
    });
    this.dashboardName = this.resource.dashboardName;
    this.consoleUrl = dashboardConsoleUrl(props.environment.region, props.dashboardName);
  }

  /** Adds a Terraform output with the dashboard's console URL (e.g. for `terraform output`). */
  addConsoleUrlOutput(id = 'DashboardUrl', description = 'CloudWatch dashboard in the AWS console'): TerraformOutput {
    return new TerraformOutput(this, id, { value: this.consoleUrl, description });
  }
}
