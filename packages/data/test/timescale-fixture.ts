import { TimescaleHostProps } from '../src';
import { env } from '@tts-ecs/testing';

/** Props of a TimescaleHost with only what every test needs. */
export const timescaleBase: TimescaleHostProps = {
  environment: env,
  name: 'acme-prod-eu1',
  vpcId: 'vpc-0123456789abcdef0',
  subnetId: 'subnet-a',
  availabilityZone: 'eu-west-1a',
  allowedSecurityGroupIds: ['sg-0123456789abcdef0'],
  dataVolumeSizeGiB: 100,
};
