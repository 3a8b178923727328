import { Certbot, CertbotProps, EcsCluster } from '../src';
import { all, env, synth } from '@tts-ecs/testing';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/logs';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function build(props: Partial<CertbotProps> = {}) {
  return synth((stack) => {
    const ecsCluster = new EcsCluster(stack, 'Cluster', { environment: env, clusterName: 'acme', kmsKeyArn: KEY });
    new Certbot(stack, 'Certbot', {
      environment: env,
      resourcePrefix: 'acme-prod',
      domain: 'lns.example.com',
      hostedZoneId: 'Z0123456789EXAMPLE',
      ecsCluster,
      vpcId: 'vpc-1',
      subnetIds: ['subnet-a'],
      logKmsKeyArn: KEY,
      ...props,
    });
  });
}

const statements = (resources: Json) =>
  all(resources, 'aws_iam_role_policy').flatMap((p) => JSON.parse(p.policy as string).Statement as Json[]);

describe('Certbot defaults', () => {
  const resources = build();

  it('requests the domain only (includeWildcard @default false) and only imports (tlsListenerArns @default none)', () => {
    const [task] = all(resources, 'aws_ecs_task_definition');
    const [container] = JSON.parse(task.container_definitions as string);
    expect(container.command[0]).toContain("-d 'lns.example.com' --config-dir");
    expect(container.command[0]).not.toContain('*.lns.example.com');
    expect(container.environment.filter((e: Json) => /^LISTENER_ARN/.test(e.name))).toEqual([]);
    expect(statements(resources).some((s) => s.Sid === 'UseOnListeners')).toBe(false);
  });

  it('runs every 14 days', () => {
    expect(all(resources, 'aws_scheduler_schedule')[0]).toMatchObject({ schedule_expression: 'rate(14 days)' });
  });
});

describe('Certbot with a wildcard and listeners', () => {
  const resources = build({
    includeWildcard: true,
    tlsListenerArns: ['arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/net/a/b/c'],
  });

  it('requests *.domain too and may modify the given listeners only', () => {
    const [task] = all(resources, 'aws_ecs_task_definition');
    const [container] = JSON.parse(task.container_definitions as string);
    expect(container.command[0]).toContain("-d '*.lns.example.com'");
    expect(container.environment).toContainEqual({
      name: 'LISTENER_ARN_0',
      value: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/net/a/b/c',
    });
    expect(statements(resources).find((s) => s.Sid === 'UseOnListeners')).toMatchObject({
      Action: 'elasticloadbalancing:ModifyListener',
      Resource: ['arn:aws:elasticloadbalancing:eu-west-1:111111111111:listener/net/a/b/c'],
    });
  });
});

describe('Certbot validation', () => {
  it('names the field, the value and the fix', () => {
    expect(() => build({ domain: '*.example.com' })).toThrow(
      'test/Certbot: invalid domain "*.example.com". Give a lower-case DNS name such as "lns.example.com"',
    );
    expect(() => build({ hostedZoneId: 'example.com' })).toThrow(
      'test/Certbot: invalid hostedZoneId "example.com". Give a Route 53 hosted zone id',
    );
  });
});
