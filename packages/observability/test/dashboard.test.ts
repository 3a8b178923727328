import { Dashboard, renderDashboardBody } from '../src';
import { all, env, inNamedTest, synthStack as synth } from '@tts-ecs/testing';

type Widget = {
  type: string;
  properties: { markdown?: string; metrics?: string[][]; title?: string; region?: string };
};

describe('Dashboard with services and a database', () => {
  let dashboard!: Dashboard;
  const s = synth((stack) => {
    dashboard = new Dashboard(stack, 'Dash', {
      environment: env,
      dashboardName: 'acme-prod-eu1',
      services: [{ clusterName: 'eu1', serviceName: 'gs' }],
      database: { clusterIdentifier: 'db', instanceIdentifiers: ['db-1'] },
    });
    dashboard.addConsoleUrlOutput();
  });
  const resource = inNamedTest('finds the aws_cloudwatch_dashboard', () => all(s, 'aws_cloudwatch_dashboard')[0]);
  const widgets = (): Widget[] => JSON.parse(resource.dashboard_body as string).widgets;
  const headers = () =>
    widgets()
      .filter((w) => w.type === 'text')
      .map((w) => w.properties.markdown);

  it('has sections only for the resources given', () => {
    expect(headers()).toEqual(['## ECS services', '## Aurora db']);
    const namespaces = new Set(widgets().flatMap((w) => (w.properties.metrics ?? []).map((m) => m[0])));
    expect([...namespaces].sort()).toEqual(['AWS/ECS', 'AWS/RDS', 'ECS/ContainerInsights']);
  });

  it('graphs the given identifiers in the stack region', () => {
    const cpu = widgets().find((w) => w.properties.title === 'gs: CPU and memory (%)')!;
    expect(cpu.properties.metrics![0]).toEqual([
      'AWS/ECS',
      'CPUUtilization',
      'ClusterName',
      'eu1',
      'ServiceName',
      'gs',
    ]);
    expect(cpu.properties.region).toBe('eu-west-1');
    expect(widgets().some((w) => w.properties.title === 'Aurora replica lag (ms)')).toBe(false);
  });

  it('names the dashboard and outputs its console URL', () => {
    expect(resource.dashboard_name).toBe('acme-prod-eu1');
    expect(Object.values(s.output)[0].value).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=acme-prod-eu1',
    );
  });
});

it('renders cache and load balancer sections without overlapping widgets', () => {
  const { widgets } = renderDashboardBody(
    {
      caches: [{ replicationGroupId: 'general', memberClusterIds: ['general-001'] }],
      loadBalancer: { loadBalancerArnSuffix: 'net/a/1', targetGroups: [{ name: 'gs', arnSuffix: 'targetgroup/gs/1' }] },
      services: [],
    },
    'eu-west-1',
  );
  expect(widgets.filter((w) => w.type === 'text').map((w) => w.properties.markdown)).toEqual([
    '## ElastiCache general',
    '## Network Load Balancer',
  ]);
  const cells = new Set<string>();
  for (const w of widgets) {
    for (let x = w.x; x < w.x + w.width; x++) {
      for (let y = w.y; y < w.y + w.height; y++) {
        const cell = `${x},${y}`;
        expect(cells.has(cell)).toBe(false);
        cells.add(cell);
      }
    }
  }
});

it('rejects an empty dashboard and a bad name', () => {
  expect(() => synth((stack) => new Dashboard(stack, 'D', { environment: env, dashboardName: 'x' }))).toThrow(
    'test/D: invalid services/database/caches/loadBalancer undefined. Give at least one resource to show',
  );
  expect(() =>
    synth(
      (stack) =>
        new Dashboard(stack, 'D', {
          environment: env,
          dashboardName: 'a b',
          services: [{ clusterName: 'c', serviceName: 's' }],
        }),
    ),
  ).toThrow('test/D: invalid dashboardName "a b". Use 1-255 letters, digits, "-" and "_".');
});
