import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, DeploymentConfigInput, parseDeploymentConfig } from '../src';

// Editor feedback equals synth feedback: deployments/schema.json (what editors check) refuses every config below that
// the loader refuses. The loader's own messages are asserted in config.test.ts.
const ROOT = path.join(__dirname, '../../..');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'deployments/schema.json'), 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const example = (): DeploymentConfigInput =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'deployments/example.json'), 'utf8'));

const BAD: Array<[string, (c: DeploymentConfigInput) => void]> = [
  ['a CIDR of the wrong shape', (c) => (c.clusters[0].vpcCidr = '10.10.0/16')],
  ['a VPC larger than /16', (c) => (c.clusters[0].vpcCidr = '10.0.0.0/8')],
  ['a VPC smaller than /23', (c) => (c.clusters[0].vpcCidr = '10.10.0.0/26')],
  ['one availability zone', (c) => (c.clusters[1].availabilityZones = ['us-east-1a'])],
  [
    'four availability zones',
    (c) => (c.clusters[1].availabilityZones = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d']),
  ],
  ['a zone twice', (c) => (c.clusters[1].availabilityZones = ['us-east-1a', 'us-east-1a'])],
  ['an unknown component', (c) => (c.tts.components = { 'gateway-server': { enabled: true } } as never)],
  ['CPU units Fargate does not offer', (c) => (c.tts.components = { gs: { cpu: 300 } } as never)],
  ['too little memory', (c) => (c.tts.components = { gs: { memory: 100 } })],
  ['a negative task count', (c) => (c.tts.components = { gs: { desiredCount: -1 } })],
  ['an unknown edition', (c) => ((c.tts as { edition: string }).edition = 'community')],
  ['a floating version', (c) => (c.tts.version = 'latest')],
  ['a tag key AWS reserves', (c) => (c.tags = { 'aws:team': 'x' })],
  ['a missing required field', (c) => delete (c as Partial<DeploymentConfigInput>).hostedZoneId],
  ['an account id that is not 12 digits', (c) => (c.clusters[0].accountId = '1234')],
  ['an unknown field', (c) => ((c as Record<string, unknown>).prefx = 'acme')],
  ['an unknown generated secret', (c) => (c.secretVersions = { 'db-password': 2 } as never)],
  ['a secret version below 1', (c) => (c.secretVersions = { 'metrics-password': 0 })],
  ['a backup copy region that is no region', (c) => (c.data = { backup: { copyToRegion: 'Frankfurt' } })],
];

describe('deployments/schema.json and the loader agree', () => {
  it.each(['example', 'all-features'])('both accept deployments/%s.json', (name) => {
    const input = JSON.parse(fs.readFileSync(path.join(ROOT, 'deployments', `${name}.json`), 'utf8'));
    expect(validate(input)).toBe(true);
    expect(() => parseDeploymentConfig(input, name)).not.toThrow();
  });

  it.each(BAD)('both refuse %s', (_, mutate) => {
    const input = example();
    mutate(input);
    expect(() => parseDeploymentConfig(input, 'bad.json')).toThrow(ConfigError);
    expect(validate(input)).toBe(false);
  });
});
