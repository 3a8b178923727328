import Ajv from 'ajv';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ConfigError,
  MAX_EXTENDS_CHAIN,
  loadDeploymentConfig,
  mergeConfigLayers,
  parseDeploymentConfig,
  renderJsonSchema,
} from '../src';

const ROOT = path.join(__dirname, '../../..');
const FAMILY = path.join(ROOT, 'deployments/family');
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

/** A complete config (the example) split into a partial base and what an environment adds to it. */
function baseAndChild(): { base: Record<string, unknown>; child: Record<string, unknown> } {
  const { $schema, environment, domain, hostedZoneId, stateBackend, ...base } = readJson(
    path.join(ROOT, 'deployments/example.json'),
  );
  void $schema;
  return {
    base: { ...base, stateBackend: { region: stateBackend.region } },
    child: {
      extends: './base.json',
      environment,
      domain,
      hostedZoneId,
      stateBackend: { bucket: stateBackend.bucket },
    },
  };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-extends-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes files into the test folder (objects as JSON, strings as they are); returns the absolute path of the first. */
function write(files: Record<string, unknown>): string {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return path.join(dir, Object.keys(files)[0]);
}

function errorOf(file: string): ConfigError {
  try {
    loadDeploymentConfig(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected ${file} to be rejected`);
}

describe('the example family (deployments/family)', () => {
  const load = (name: string) => loadDeploymentConfig(path.join(FAMILY, `${name}.json`));

  it('differs only in accounts, domains, sizes, environment and state bucket', () => {
    const [staging, production] = [load('staging'), load('production')];
    expect([staging.environment, production.environment]).toEqual(['staging', 'prod']);
    expect([staging.domain, production.domain]).toEqual(['lns.staging.example.com', 'lns.example.com']);
    expect(staging.hostedZoneId).not.toBe(production.hostedZoneId);
    expect([staging.stateBackend.bucket, production.stateBackend.bucket]).toEqual([
      'acme-tts-ecs-state-staging',
      'acme-tts-ecs-state-prod',
    ]);
    expect(staging.clusters.map((c) => c.accountId)).toEqual(['222222222222', '222222222222']);
    expect(production.clusters.map((c) => c.accountId)).toEqual(['111111111111', '111111111111']);
    expect(staging.tts.components.gs).toEqual({ desiredCount: 1, cpu: 256, memory: 512 });
    expect(production.tts.components.gs).toEqual({ desiredCount: 3, cpu: 1024, memory: 2048 });
    expect(staging.data.aurora.instanceClass).not.toBe(production.data.aurora.instanceClass);
    expect(staging.data.redis.nodeType).not.toBe(production.data.redis.nodeType);

    // Everything else is the base's: equal once the differences are set aside.
    const shared = (c: ReturnType<typeof load>) => ({
      ...c,
      environment: undefined,
      domain: undefined,
      hostedZoneId: undefined,
      stateBackend: { ...c.stateBackend, bucket: undefined },
      clusters: c.clusters.map((cluster) => ({ ...cluster, accountId: undefined })),
      tts: { ...c.tts, components: undefined },
      data: { ...c.data, aurora: { ...c.data.aurora, instanceClass: undefined, readers: undefined }, redis: undefined },
    });
    expect(shared(staging)).toEqual(shared(production));
    expect(staging.clusters.map((c) => [c.id, c.role, c.region, c.vpcCidr])).toEqual([
      ['eu1', 'primary', 'eu-west-1', '10.10.0.0/16'],
      ['us1', 'secondary', 'us-east-1', '10.20.0.0/16'],
    ]);
    expect(staging.tags).toEqual({ Team: 'lorawan-platform' });
    expect(staging.stateBackend.region).toBe('eu-west-1');
  });

  it('keeps $schema and extends out of the merged config; the base alone is no deployment', () => {
    expect(Object.keys(load('staging'))).not.toContain('extends');
    expect(Object.keys(load('production'))).not.toContain('$schema');
    // Only a merge is validated: the partial base is not a config of its own.
    expect(() => load('base')).toThrow(/environment missing: is required/);
  });
});

describe('merge rules', () => {
  it('merges objects key by key, replaces arrays and scalars, merges clusters by id', () => {
    const merged = mergeConfigLayers([
      {
        extends: './base.json',
        features: { bastion: false },
        tags: { Env: 'staging' },
        data: { devAddrPrefixes: ['26000000/7'], redis: { replicas: 1 } },
        clusters: [
          { id: 'us1', accountId: '2', availabilityZones: ['us-east-1c', 'us-east-1d'] },
          { id: 'ap1', role: 'secondary' },
        ],
      },
      {
        $schema: '../schema.json',
        features: { bastion: true, monitoring: true },
        tags: { Team: 'platform' },
        data: { devAddrPrefixes: ['00000000/7', '02000000/7'], redis: { replicas: 2, nodeType: 'cache.t4g.medium' } },
        clusters: [
          { id: 'eu1', role: 'primary', accountId: '1' },
          { id: 'us1', role: 'secondary', accountId: '1', availabilityZones: ['us-east-1a', 'us-east-1b'] },
        ],
      },
    ]);
    expect(merged.value).toEqual({
      features: { bastion: false, monitoring: true },
      tags: { Team: 'platform', Env: 'staging' },
      data: { devAddrPrefixes: ['26000000/7'], redis: { replicas: 1, nodeType: 'cache.t4g.medium' } },
      clusters: [
        { id: 'eu1', role: 'primary', accountId: '1' },
        // merged into the base's us1, its zones replaced whole
        { id: 'us1', role: 'secondary', accountId: '2', availabilityZones: ['us-east-1c', 'us-east-1d'] },
        // a new id is appended
        { id: 'ap1', role: 'secondary' },
      ],
    });
  });

  it('follows a chain (the nearest file wins) with paths relative to each file, not the working directory', () => {
    const { base, child } = baseAndChild();
    const file = write({
      'envs/staging.json': { ...child, extends: '../shared/region.json', environment: 'staging' },
      'shared/region.json': { extends: './base.json', environment: 'region', features: { bastion: false } },
      'shared/base.json': base,
    });
    const config = loadDeploymentConfig(file);
    expect(config.environment).toBe('staging');
    expect(config.features.bastion).toBe(false);
    expect(config.features.monitoring).toBe(true);
    expect(config.clusters).toHaveLength(3);
  });
});

describe('problems say which file set the value', () => {
  it('names the extending file and its chain in the header, and the file of each bad value', () => {
    const { base, child } = baseAndChild();
    (base.clusters as Array<Record<string, unknown>>)[1].region = 'us-east';
    const file = write({
      'staging.json': { ...child, clusters: [{ id: 'eu1', accountId: '12345' }] },
      'base.json': base,
    });
    const error = errorOf(file);
    expect(error.message).toMatch(/^Invalid deployment config .*staging\.json \(extends base\.json\) \(2 problems\):/);
    expect(error.message).toContain(
      '- clusters[0].accountId = "12345": must be a 12-digit AWS account id, written as a string with leading zeros ' +
        'kept. Set in staging.json (the cluster with id "eu1").',
    );
    expect(error.message).toContain(
      '- clusters[1].region = "us-east": must be an AWS region code such as "eu-west-1". Set in base.json ' +
        '(the cluster with id "us1").',
    );
  });

  it('leaves a missing field unattributed (no file set it)', () => {
    const { base, child } = baseAndChild();
    delete child.hostedZoneId;
    const error = errorOf(write({ 'staging.json': child, 'base.json': base }));
    expect(error.problems.map((p) => p.message)).toEqual(['is required (string).']);
  });

  it('rejects an unknown field in the base, naming the base', () => {
    const { base, child } = baseAndChild();
    base.features = { bastian: true };
    const error = errorOf(write({ 'staging.json': child, 'base.json': base }));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(
      /features\.bastian = true: is not a known field; did you mean "bastion"\?.* Set in base\.json\.$/,
    );
  });

  it('rejects an unknown field in the extending file, naming it', () => {
    const { base, child } = baseAndChild();
    child.clusters = [{ id: 'eu1', regoin: 'eu-west-2' }];
    const error = errorOf(write({ 'staging.json': child, 'base.json': base }));
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(
      /clusters\[0\]\.regoin = "eu-west-2": is not a known field; did you mean "region"\?.* Set in staging\.json\.$/,
    );
  });

  it('rejects an unknown field in a base value that the extending file replaces', () => {
    const { base, child } = baseAndChild();
    base.data = { rateLimiting: [{ name: 'HTTP', maxPerMin: 600, associations: ['http'], burst: 10 }] };
    child.data = { rateLimiting: [{ name: 'HTTP', maxPerMin: 60, associations: ['http'] }] };
    const error = errorOf(write({ 'staging.json': child, 'base.json': base }));
    expect(error.problems.map((p) => [p.path, p.message.replace(/^.* (Set in .*)$/, '$1')])).toEqual([
      ['data.rateLimiting[0].burst', 'Set in base.json.'],
    ]);
  });

  it('suggests "extends" for a misspelt key of a file', () => {
    const { child } = baseAndChild();
    const { extends: base, ...rest } = child;
    const error = errorOf(write({ 'staging.json': { ...rest, extend: base } }));
    expect(error.message).toMatch(/extend = "\.\/base\.json": is not a known field; did you mean "extends"\?/);
  });

  it('explains that a parsed object cannot extend a file', () => {
    const { base } = baseAndChild();
    expect(() => parseDeploymentConfig({ ...base, extends: './base.json' }, 'x.json')).toThrow(
      /extends = "\.\/base\.json": is followed only when the config is loaded from a file/,
    );
  });
});

describe('the chain itself', () => {
  it('rejects a cycle through another file, printing the chain', () => {
    const file = write({ 'a.json': { extends: './b.json' }, 'b.json': { extends: './a.json' } });
    expect(errorOf(file).message).toContain(
      '- extends = "./a.json": makes a cycle: a.json → b.json → a.json. A config may not extend itself, directly or ' +
        'through its bases: remove this "extends" or point it at a file outside the cycle. Set in b.json.',
    );
  });

  it('rejects a file that extends itself', () => {
    const file = write({ 'a.json': { extends: 'a.json' } });
    expect(errorOf(file).message).toMatch(/extends = "a\.json": makes a cycle: a\.json → a\.json\./);
  });

  it('names both files when the base is missing', () => {
    const file = write({ 'staging.json': { extends: './bsae.json', environment: 'staging' } });
    const error = errorOf(file);
    expect(error.source).toBe(file);
    expect(error.message).toContain(
      `- extends = "./bsae.json": names ${path.join(dir, 'bsae.json')}, which does not exist (ENOENT). The path is ` +
        'relative to the folder of staging.json, the file that holds this "extends", not to the working directory.',
    );
  });

  it('gives the line and column of a JSON syntax error in the base, naming the base', () => {
    const file = write({
      'staging.json': { extends: './base.json' },
      'base.json': '{\n  "prefix": "acme"\n  "tts": {}\n}\n',
    });
    expect(errorOf(file).message).toMatch(
      /- the file base\.json, which staging\.json extends, is not valid JSON at line 3, column 3: Expected ',' or '}' after property value\./,
    );
  });

  it('rejects a base that is not an object, and an extends that is not a path', () => {
    expect(errorOf(write({ 'a.json': { extends: './list.json' }, 'list.json': [] })).message).toContain(
      'the file list.json, which a.json extends, must hold a JSON object ({ ... }), not [].',
    );
    expect(errorOf(write({ 'b.json': { extends: ['./x.json'] } })).message).toMatch(
      /extends = \["\.\/x\.json"\]: must be the path of a base config, relative to this file/,
    );
  });

  it(`limits a chain to ${MAX_EXTENDS_CHAIN} files`, () => {
    const { base, child } = baseAndChild();
    const files: Record<string, unknown> = { 'f1.json': child };
    for (let i = 2; i <= MAX_EXTENDS_CHAIN; i++) files[`f${i}.json`] = { extends: `./f${i + 1}.json` };
    files[`f${MAX_EXTENDS_CHAIN + 1}.json`] = base;
    (files['f1.json'] as Record<string, unknown>).extends = './f2.json';
    const first = write(files);
    expect(errorOf(first).message).toContain(
      '- extends = "./f6.json": would make a chain of more than 5 files (f1.json → f2.json → f3.json → f4.json → ' +
        'f5.json → f6.json). At most 5 are allowed, the loaded file included: merge some of the bases into one. ' +
        'Set in f5.json.',
    );
    // Five files are fine.
    fs.writeFileSync(path.join(dir, 'f5.json'), JSON.stringify(base));
    expect(loadDeploymentConfig(first).prefix).toBe('acme');
  });
});

describe('deployments/schema.json and files that extend a base', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(renderJsonSchema()));

  it('accepts a file that extends a base without the fields the base sets, and only such a file', () => {
    for (const name of ['staging', 'production']) {
      expect(validate(readJson(path.join(FAMILY, `${name}.json`)))).toBe(true);
    }
    const { child } = baseAndChild();
    expect(validate(child)).toBe(true);
    const { extends: _base, ...alone } = child;
    void _base;
    expect(validate(alone)).toBe(false); // without extends, every required field is asked for
    expect(validate({ ...child, clusters: [{ id: 'eu1', accountId: '1' }] })).toBe(false); // values are still checked
  });

  it('refuses in an extending file what the loader refuses', () => {
    const { child } = baseAndChild();
    expect(validate({ ...child, clusters: [{ id: 'eu1', accountId: '111111111111' }] })).toBe(true);
    for (const bad of [
      { ...child, prefx: 'acme' }, // unknown field
      { ...child, extends: 3 }, // not a path
      { ...child, clusters: [{ accountId: '111111111111' }] }, // a cluster entry needs the id it merges into
      { ...child, features: { bastian: true } },
    ]) {
      expect(validate(bad)).toBe(false);
    }
  });
});
