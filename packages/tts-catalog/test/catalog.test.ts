import { TTS_COMPONENT_IDS } from '@tts-ecs/config';
import {
  COMMON_CONFIG_KEYS,
  COMPONENTS,
  CONFIG_KEYS,
  FARGATE_MEMORY_BY_CPU,
  SOURCES,
  assertKnownEnv,
  componentOf,
  componentsOf,
  configKeysOf,
  defaultDesiredCountOf,
  maxTasksOf,
  singletonReasonOf,
  envVarOf,
  isKnownConfigKey,
  isValidFargateSize,
  startCommandOf,
} from '../src';

describe('configuration keys', () => {
  it('maps keys to TTN_LW_ environment variables the way the server does', () => {
    expect(envVarOf('http.cookie.block-key')).toBe('TTN_LW_HTTP_COOKIE_BLOCK_KEY');
    expect(envVarOf('redis.tls.require')).toBe('TTN_LW_REDIS_TLS_REQUIRE');
    expect(envVarOf('is.profile-picture.bucket-url')).toBe('TTN_LW_IS_PROFILE_PICTURE_BUCKET_URL');
    expect(envVarOf('gs.mqtt-v2.public-tls-address')).toBe('TTN_LW_GS_MQTT_V2_PUBLIC_TLS_ADDRESS');
  });

  it('lists each key once, with its derived variable, a description and a known source', () => {
    const keys = CONFIG_KEYS.map((k) => k.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of CONFIG_KEYS) {
      expect(k.env).toBe(envVarOf(k.key));
      expect(k.key).toMatch(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/);
      expect(k.description.length).toBeGreaterThan(5);
      expect(SOURCES[k.source]).toMatch(/^https:\/\//);
    }
  });

  it('keeps two different keys from mapping to the same variable', () => {
    const envs = CONFIG_KEYS.map((k) => k.env);
    expect(new Set(envs).size).toBe(envs.length);
  });

  it('marks credentials as secrets', () => {
    for (const key of [
      'cluster.keys',
      'http.cookie.block-key',
      'http.cookie.hash-key',
      'is.database-uri',
      'redis.password',
      'console.oauth.client-secret',
      'license.key',
    ]) {
      expect(CONFIG_KEYS.find((k) => k.key === key)?.kind).toBe('secret');
    }
    expect(CONFIG_KEYS.find((k) => k.key === 'redis.address')?.kind).toBe('plain');
  });

  it('knows the keys of the reference and rejects misspellings', () => {
    expect(isKnownConfigKey('is.end-device-picture.bucket')).toBe(true);
    expect(isKnownConfigKey('dcs.edcs.blob.bucket')).toBe(true);
    expect(isKnownConfigKey('is.profile_picture.bucket')).toBe(false);
    expect(isKnownConfigKey('cluster.gateway-contiguration-server')).toBe(false);
  });

  it('accepts known plain variables and ignores non-TTS ones', () => {
    expect(() =>
      assertKnownEnv({ TTN_LW_REDIS_ADDRESS: 'r:6379', TTN_LW_EVENTS_BACKEND: 'redis', GOGC: '100' }),
    ).not.toThrow();
  });

  it('names an unknown TTN_LW_ variable', () => {
    expect(() => assertKnownEnv({ TTN_LW_REDIS_ADRESS: 'r:6379' })).toThrow(
      /Unknown The Things Stack environment variable TTN_LW_REDIS_ADRESS/,
    );
  });

  it('refuses a secret in plain environment unless told otherwise', () => {
    expect(() => assertKnownEnv({ TTN_LW_CLUSTER_KEYS: 'abc' })).toThrow(
      /TTN_LW_CLUSTER_KEYS \(cluster.keys\) is a secret: pass it through ECS secrets/,
    );
    expect(() => assertKnownEnv({ TTN_LW_CLUSTER_KEYS: 'abc' }, { allowSecrets: true })).not.toThrow();
  });
});

describe('component catalog', () => {
  it('has one entry per id, each started by its own arguments', () => {
    const ids = COMPONENTS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(startCommandOf('gs', 'open-source')).toEqual(['ttn-lw-stack', 'start', 'gs']);
    expect(startCommandOf('dcs', 'enterprise')).toEqual(['tti-lw-stack', 'start', 'dcs']);
  });

  it('only uses configuration keys that are in CONFIG_KEYS', () => {
    for (const key of COMMON_CONFIG_KEYS) expect(isKnownConfigKey(key)).toBe(true);
    for (const c of COMPONENTS) {
      const unknown = c.configKeys.filter((k) => !isKnownConfigKey(k));
      expect({ component: c.id, unknown }).toEqual({ component: c.id, unknown: [] });
    }
  });

  it('gives each component the common keys plus its own', () => {
    const keys = configKeysOf('is');
    expect(keys).toEqual(expect.arrayContaining(['cluster.keys', 'is.database-uri', 'is.oauth.ui.canonical-url']));
    expect(new Set(keys).size).toBe(keys.length);
    expect(configKeysOf('gs')).not.toContain('is.database-uri');
  });

  it('hands every caller the same key list, which none of them can change', () => {
    const keys = configKeysOf('gs');
    expect(configKeysOf('gs')).toBe(keys); // built once: composition asks for it per peer of every container
    expect(() => (keys as string[]).push('is.database-uri')).toThrow(TypeError);
    expect(configKeysOf('gs')).not.toContain('is.database-uri');
  });

  it('runs the Application Server as a single task and others highly available', () => {
    for (const edition of ['enterprise', 'open-source'] as const) {
      expect(maxTasksOf('as', edition)).toBe(1);
      expect(defaultDesiredCountOf('as', edition)).toBe(1);
      expect(defaultDesiredCountOf('is', edition)).toBe(2);
    }
    expect(defaultDesiredCountOf('tbs', 'enterprise')).toBe(1);
    for (const c of COMPONENTS.filter((x) => !['as', 'tbs'].includes(x.id)))
      expect([c.id, defaultDesiredCountOf(c.id, 'enterprise')]).toEqual([c.id, 2]);
  });

  it('runs one Gateway Server and one Network Server in the open-source edition (reference cluster)', () => {
    for (const id of ['gs', 'ns'] as const) {
      expect(defaultDesiredCountOf(id, 'open-source')).toBe(1);
      expect(singletonReasonOf(id, 'open-source')?.source).toBe('referenceClusterCode');
      expect(defaultDesiredCountOf(id, 'enterprise')).toBe(2);
    }
  });

  it('keeps the Identity Server in the primary cluster only', () => {
    expect(componentOf('is').primaryOnly).toBe(true);
    expect(componentOf('gs').primaryOnly).toBe(false);
  });

  it('defaults to task sizes Fargate accepts', () => {
    for (const c of COMPONENTS)
      expect({ id: c.id, valid: isValidFargateSize(c.defaultSize.cpu, c.defaultSize.memoryMiB) }).toEqual({
        id: c.id,
        valid: true,
      });
  });

  it('checks the Fargate table itself', () => {
    expect(isValidFargateSize(256, 512)).toBe(true);
    expect(isValidFargateSize(256, 4096)).toBe(false);
    expect(isValidFargateSize(1024, 1024)).toBe(false);
    expect(isValidFargateSize(4096, 30720)).toBe(true);
    expect(isValidFargateSize(8192, 20480)).toBe(true);
    expect(isValidFargateSize(8192, 18432)).toBe(false);
    expect(FARGATE_MEMORY_BY_CPU[16384]).toContain(122880);
    expect(isValidFargateSize(300, 512)).toBe(false);
  });

  it('leaves Enterprise-only components out of the open-source edition', () => {
    const oss = componentsOf('open-source').map((c) => c.id);
    expect(oss).not.toContain('noc');
    expect(oss).not.toContain('tbs');
    expect(oss).toEqual(
      expect.arrayContaining(['is', 'gs', 'ns', 'as', 'js', 'console', 'gcs', 'dcs', 'pba', 'dtc', 'qrg']),
    );
    expect(componentsOf('enterprise')).toHaveLength(COMPONENTS.length);
    expect(() => startCommandOf('tbs', 'open-source')).toThrow(
      /Tenant Billing Server \(tbs\) is not part of The Things Stack open-source/,
    );
  });

  it('exposes the documented public ports on the components that serve them', () => {
    const gs = componentOf('gs').publicPorts;
    // No 8889: the TTI gateway protocol needs a proxy that terminates mutual TLS (runtime contract, gs.ttigw.listen).
    // No plain 1887: Basic Station gateways are told wss:// (gs.basic-station.use-traffic-tls-address).
    expect(gs.map((p) => p.port).sort((a, b) => a - b)).toEqual([1700, 1881, 1882, 8881, 8882, 8887]);
    expect(gs.find((p) => p.port === 1700)).toMatchObject({ protocol: 'udp', tls: false });
    expect(gs.find((p) => p.port === 8887)).toMatchObject({ tls: true, containerPort: 1887 });
    expect(componentOf('as').publicPorts.map((p) => p.port)).toEqual([1883, 8883]);
    const all = COMPONENTS.flatMap((c) => c.publicPorts.map((p) => `${p.protocol}/${p.port}`));
    expect(new Set(all).size).toBe(all.length);
  });

  it('names the valid ids for an unknown component', () => {
    expect(() => componentOf('xs')).toThrow(/Unknown The Things Stack component "xs". Use one of: is, gs/);
  });
});

describe('component ids of the deployment config', () => {
  it('are the catalog ids (the config file refuses any other)', () => {
    expect([...TTS_COMPONENT_IDS].sort()).toEqual(COMPONENTS.map((c) => c.id).sort());
  });
});
