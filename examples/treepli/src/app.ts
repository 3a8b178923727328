import { App, S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { buildAlarms } from './alarms';
import { config } from './config';
import { buildData } from './data';
import { buildEdge, buildLoadBalancers } from './edge';
import { buildNetwork } from './network';
import { buildServices } from './services';

/** Name of the one stack (its folder under cdktf.out/stacks/). */
export const STACK_NAME = 'treepli';

/**
 * The treepli example: a Next.js frontend behind CloudFront and a Go backend behind API Gateway, both on one ECS
 * cluster of EC2 instances, with PostgreSQL and a media bucket. One stack, so nothing crosses stacks.
 */
export function buildApp(outdir: string): App {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, STACK_NAME);
  const { accountId, region } = config.environment;
  const tags = { Project: config.name, ManagedBy: 'cdktf' };
  new AwsProvider(stack, 'aws', { region, allowedAccountIds: [accountId], defaultTags: [{ tags }] });
  // CloudFront reads its certificate from us-east-1 only.
  const usEast1 = new AwsProvider(stack, 'aws-us-east-1', {
    alias: 'us_east_1',
    region: 'us-east-1',
    allowedAccountIds: [accountId],
    defaultTags: [{ tags }],
  });
  new S3Backend(stack, {
    bucket: `${config.name}-terraform-state-${accountId}`,
    key: `${STACK_NAME}/terraform.tfstate`,
    region,
    encrypt: true,
  });

  const net = buildNetwork(stack, usEast1);
  const data = buildData(stack, net.network);
  const lbs = buildLoadBalancers(stack, net, data.albLogs);
  const services = buildServices(stack, {
    network: net.network,
    database: data.database,
    media: data.media,
    frontendTargetGroupArn: lbs.webTargets.arn,
    backendTargetGroupArn: lbs.apiTargets.arn,
  });
  const edge = buildEdge(stack, {
    net,
    lbs,
    frontend: services.frontend,
    backend: services.backend,
    media: data.media,
  });
  buildAlarms(stack, { lbs, httpApi: edge.httpApi, database: data.database });
  return app;
}
