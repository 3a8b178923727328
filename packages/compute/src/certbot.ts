import { Construct } from 'constructs';
import { Fn, TerraformOutput } from 'cdktf';
import { IEcsCluster } from './service-options';
import { ScheduledTask } from './scheduled-task';
import { TaskDefinition } from './task-definition';
import { AwsEnvironment, partitionOf, requireEnvironment, requireProp } from '@tts-ecs/core';

/** Certbot with the Route 53 DNS plugin (which brings boto3, used to import the certificate into ACM). */
export const CERTBOT_IMAGE = 'certbot/dns-route53:v2.11.0';

export interface CertbotProps {
  /** Account and region of the task, the certificate and the listeners. */
  readonly environment: AwsEnvironment;
  /** Names the task family and schedule (`<resourcePrefix>-certbot`) and the SSM parameter path. */
  readonly resourcePrefix: string;
  /** Domain of the certificate, e.g. `lns.example.com`. */
  readonly domain: string;
  /** Also request `*.domain`. @default false */
  readonly includeWildcard?: boolean;
  /** Hosted zone of the domain: the only zone the task may change, and only `_acme-challenge` TXT records. */
  readonly hostedZoneId: string;
  /** Cluster the task runs in. */
  readonly ecsCluster: IEcsCluster;
  /** VPC of the subnets. */
  readonly vpcId: string;
  /** Private subnets with a route to the internet (Let's Encrypt, Route 53, ACM). */
  readonly subnetIds: string[];
  /** KMS key of the task's log group. */
  readonly logKmsKeyArn: string;
  /**
   * TLS listeners each run puts the imported certificate on. Give those listeners
   * `lifecycle.ignoreChanges: ['certificate_arn']`, or Terraform switches them back.
   * @default none: the certificate is only imported
   */
  readonly tlsListenerArns?: readonly string[];
}

/**
 * Certbot for any domain behind an NLB: a task that obtains a Let's Encrypt certificate through the Route 53 DNS
 * challenge and imports it into ACM, re-importing into the same certificate on later runs (its ARN is kept in the SSM
 * parameter {@link parameterName}), then puts that certificate on the NLB's TLS listeners. Guides that use certbot this way switch
 * the listeners by hand after the first run; here the task does it, and the listeners ignore `certificate_arn` so
 * Terraform does not switch them back. Renewals re-import into the same ARN, which the listeners already use: no
 * manual step. An EventBridge Scheduler schedule runs it every 14 days (Let's Encrypt certificates last 90); the
 * `certbot_run_command` output starts the first run at once.
 */
export class Certbot extends Construct {
  readonly taskDefinition: TaskDefinition;
  readonly schedule: ScheduledTask;
  /** SSM parameter holding the ARN of the imported ACM certificate. */
  readonly parameterName: string;

  constructor(scope: Construct, id: string, props: CertbotProps) {
    super(scope, id);
    requireEnvironment(this, props.environment);
    requireProp(
      this,
      /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(props.domain),
      'domain',
      props.domain,
      'Give a lower-case DNS name such as "lns.example.com" (no wildcard: set includeWildcard).',
    );
    requireProp(
      this,
      /^Z[A-Z0-9]{1,31}$/.test(props.hostedZoneId),
      'hostedZoneId',
      props.hostedZoneId,
      'Give a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ".',
    );
    const listenerArns = [...(props.tlsListenerArns ?? [])];
    const { accountId, region } = props.environment;
    const partition = partitionOf(region);
    this.parameterName = `/${props.resourcePrefix}/certbot/certificate-arn`;
    const domains = [props.domain, ...((props.includeWildcard ?? false) ? [`*.${props.domain}`] : [])];

    this.taskDefinition = new TaskDefinition(this, 'Task', {
      environment: props.environment,
      family: `${props.resourcePrefix}-certbot`,
      cpu: 256,
      memory: 512,
      logKmsKeyArn: props.logKmsKeyArn,
      containers: [
        {
          name: 'certbot',
          image: CERTBOT_IMAGE,
          entryPoint: ['/bin/sh', '-c'],
          command: [renderCertbotScript(domains)],
          environment: {
            DOMAIN: props.domain,
            ARN_PARAMETER: this.parameterName,
            AWS_DEFAULT_REGION: region,
            // One variable per listener: a join() would put a quoted Terraform expression inside the JSON.
            ...Object.fromEntries(listenerArns.map((arn, i) => [`LISTENER_ARN_${i}`, arn])),
          },
          writablePaths: ['/tmp'],
        },
      ],
    });
    const zone = `arn:${partition}:route53:::hostedzone/${props.hostedZoneId}`;
    this.taskDefinition.grantTaskRole([
      // certbot-dns-route53 finds the zone with ListHostedZones, which has no resource-level permissions.
      { Sid: 'FindZone', Action: 'route53:ListHostedZones', Resource: '*' },
      { Sid: 'WaitForChange', Action: 'route53:GetChange', Resource: `arn:${partition}:route53:::change/*` },
      {
        Sid: 'ChallengeRecords',
        Action: 'route53:ChangeResourceRecordSets',
        Resource: zone,
        Condition: {
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': [`_acme-challenge.${props.domain}`],
            'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'],
          },
        },
      },
      { Sid: 'ReadZone', Action: 'route53:ListResourceRecordSets', Resource: zone },
      {
        Sid: 'ImportCertificate',
        Action: 'acm:ImportCertificate',
        Resource: `arn:${partition}:acm:${region}:${accountId}:certificate/*`,
      },
      ...(listenerArns.length > 0
        ? [{ Sid: 'UseOnListeners', Action: 'elasticloadbalancing:ModifyListener', Resource: listenerArns }]
        : []),
      {
        Sid: 'CertificateArn',
        Action: ['ssm:GetParameter', 'ssm:PutParameter'],
        Resource: `arn:${partition}:ssm:${region}:${accountId}:parameter${this.parameterName}`,
      },
    ]);

    this.schedule = new ScheduledTask(this, 'Schedule', {
      environment: props.environment,
      scheduleName: `${props.resourcePrefix}-certbot`,
      scheduleExpression: 'rate(14 days)',
      cluster: props.ecsCluster,
      taskDefinition: this.taskDefinition,
      vpcId: props.vpcId,
      subnetIds: props.subnetIds,
    });
    const network = `awsvpcConfiguration={subnets=[${Fn.join(',', props.subnetIds)}],securityGroups=[${this.schedule.securityGroupId}],assignPublicIp=DISABLED}`;
    new TerraformOutput(this, 'run_command', {
      value:
        `aws ecs run-task --region ${region} --cluster ${props.ecsCluster.clusterName} ` +
        `--task-definition ${this.taskDefinition.family} --launch-type FARGATE --network-configuration "${network}"`,
      description: 'Runs certbot now (first certificate, or a renewal outside the 14-day schedule)',
    }).overrideLogicalId('certbot_run_command');
  }
}

/** The certbot run: DNS challenge, then import (or re-import) into ACM and remember the ARN. */
export function renderCertbotScript(domains: readonly string[]): string {
  const flags = domains.map((d) => `-d '${d}'`).join(' ');
  return [
    'set -eu',
    `certbot certonly --dns-route53 --non-interactive --agree-tos --register-unsafely-without-email ${flags} ` +
      '--config-dir /tmp/le --work-dir /tmp/le/work --logs-dir /tmp/le/logs',
    "exec python3 - <<'PY'",
    'import os, boto3',
    "live = '/tmp/le/live/' + os.environ['DOMAIN']",
    "ssm, acm, name = boto3.client('ssm'), boto3.client('acm'), os.environ['ARN_PARAMETER']",
    'try:',
    "    arn = ssm.get_parameter(Name=name)['Parameter']['Value']",
    'except ssm.exceptions.ParameterNotFound:',
    '    arn = None',
    "read = lambda f: open(live + '/' + f, 'rb').read()",
    "args = dict(Certificate=read('cert.pem'), PrivateKey=read('privkey.pem'), CertificateChain=read('chain.pem'))",
    'if arn:',
    "    args['CertificateArn'] = arn",
    "arn = acm.import_certificate(**args)['CertificateArn']",
    "ssm.put_parameter(Name=name, Value=arn, Type='String', Overwrite=True)",
    "print('imported', arn)",
    "elb = boto3.client('elbv2')",
    "for listener in [v for k, v in sorted(os.environ.items()) if k.startswith('LISTENER_ARN_')]:",
    "    elb.modify_listener(ListenerArn=listener, Certificates=[{'CertificateArn': arn}])",
    "    print('listener', listener, 'uses', arn)",
    'PY',
  ].join('\n');
}
