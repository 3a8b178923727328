import { AwsEnvironment, partitionOf, PolicyStatement } from '@tts-ecs/core';

/**
 * The Elastic Load Balancing account that writes Application Load Balancer access logs in each region opened before
 * August 2022 (AWS, "Enable access logs for your Application Load Balancer", section "Step 2: Attach a policy to your
 * S3 bucket"; the same table as the AWS provider's `aws_elb_service_account`). Regions opened since then deliver as
 * the service principal `logdelivery.elasticloadbalancing.amazonaws.com` instead.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-southeast-3': '589379963580',
  'ap-south-1': '718504428378',
  'ap-northeast-3': '383597477331',
  'ap-northeast-2': '600734575887',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-northeast-1': '582318560864',
  'ca-central-1': '985666609251',
  'eu-central-1': '054676820928',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-south-1': '635631232127',
  'eu-west-3': '009996457667',
  'eu-north-1': '897822967062',
  'me-south-1': '076674570225',
  'sa-east-1': '507241528517',
  'us-gov-west-1': '048591011584',
  'us-gov-east-1': '190560391635',
  'cn-north-1': '638102146993',
  'cn-northwest-1': '037604701340',
};

/**
 * The bucket policy statement that lets the Application Load Balancers of `account` in the bucket's region write
 * access logs under `<prefix>/AWSLogs/<account>/`: the region's ELB account where the table has one, else the log
 * delivery service principal.
 */
export function albLogDeliveryStatement(
  bucketArn: string,
  env: AwsEnvironment,
  account: string,
  prefix: string,
): PolicyStatement {
  const elbAccount = ELB_LOG_ACCOUNTS[env.region];
  const keyPrefix = prefix === '' ? '' : `${prefix}/`;
  return {
    Sid: `AlbLogDelivery${account}${keyPrefix.replace(/[^a-zA-Z0-9]/g, '')}`,
    Effect: 'Allow',
    Principal: elbAccount
      ? { AWS: `arn:${partitionOf(env.region)}:iam::${elbAccount}:root` }
      : { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `${bucketArn}/${keyPrefix}AWSLogs/${account}/*`,
  };
}
