import { DeploymentConfig } from '@tts-ecs/config';
import { COMPONENTS, CONFIG_KEYS, ComponentId, envVarOf, isKnownConfigKey } from '@tts-ecs/tts-catalog';
import { ContractContext, runtimeContractOf } from '@tts-ecs/tts-catalog';
import { inNamedTest } from '@tts-ecs/testing';
import { planComponents } from '../../src/compose/compute/plan';
import { Json, resources } from './helpers';

/** One TTS container of a synthesized compute stack, with the settings it will really run with. */
export interface SynthesizedComponent {
  readonly id: ComponentId;
  readonly container: Json;
  readonly service: Json;
  /** Plain settings by key: environment variables, overridden by `--key=value` flags after `start <id>`. */
  readonly settings: ReadonlyMap<string, string>;
  /** Environment names passed through ECS secrets. */
  readonly secrets: ReadonlySet<string>;
}

/** Catalog key of an environment name (the composition sets catalog keys only). */
const KEY_OF_ENV = new Map(CONFIG_KEYS.map((k) => [k.env, k.key]));
const keyOfEnv = (name: string): string | undefined => KEY_OF_ENV.get(name);

/** The TTS containers of one compute stack, keyed by component id. */
export function synthesizedComponents(compute: Json): Map<ComponentId, SynthesizedComponent> {
  const ids = new Set<string>(COMPONENTS.map((c) => c.id));
  const byTaskRef = new Map<string, Json>();
  for (const [name, td] of Object.entries(compute.resource.aws_ecs_task_definition as Record<string, Json>))
    byTaskRef.set(`\${aws_ecs_task_definition.${name}.arn}`, td);
  const found = new Map<ComponentId, SynthesizedComponent>();
  for (const service of resources(compute, 'aws_ecs_service')) {
    const td = byTaskRef.get(service.task_definition);
    if (!td) throw new Error(`service ${service.name} has no task definition in this stack`);
    const container = JSON.parse(td.container_definitions)[0] as Json;
    if (!ids.has(container.name)) continue; // router, IS proxy, Prometheus
    const settings = new Map<string, string>();
    for (const { name, value } of container.environment ?? []) {
      const key = keyOfEnv(name);
      if (key) settings.set(key, value);
    }
    const [, , ...flags] = container.command as string[];
    for (const flag of flags) {
      const m = /^--([a-z0-9.-]+)=(.*)$/.exec(flag);
      if (!m) throw new Error(`${container.name}: argument ${flag} is not a --key=value setting`);
      settings.set(m[1], m[2]);
    }
    const secrets = new Set<string>((container.secrets ?? []).map((s: Json) => s.name));
    found.set(container.name, { id: container.name, container, service, settings, secrets });
  }
  return found;
}

/** The contract context of a cluster of `config`, from the config alone. */
export function contractContext(config: DeploymentConfig, clusterId: string): ContractContext {
  const cluster = config.clusters.find((c) => c.id === clusterId)!;
  return {
    edition: config.tts.edition,
    role: cluster.role,
    interop: config.ingress.interop,
    timescale: config.features.timescale,
    // Planned components and those their processes start as well (DCS: DTC, QRG).
    served: new Set(planComponents(config, cluster).flatMap((p) => [p.spec.id, ...(p.spec.alsoStarts ?? [])])),
    defaultTenantId: config.tts.defaultTenantId,
  };
}

/** `aws_s3_bucket.<name>` of a reference such as `${aws_s3_bucket.X.bucket}`. */
function bucketAddress(ref: string): string {
  const m = /\$\{(aws_s3_bucket\.[^.}]+)\./.exec(ref);
  if (!m) throw new Error(`not a bucket reference: ${ref}`);
  return m[1];
}

/**
 * Asserts every row of every component's runtime contract on `stacks`, the synthesized stacks of `config`: listeners
 * (each TLS listener off, as a flag ECS keeps), blob folders that hold the file TTS reads, required settings, health
 * checks (container and load balancer) and task counts.
 */
export function describeRuntimeContract(name: string, config: DeploymentConfig, stacks: Record<string, Json>): void {
  describe(`runtime contract of every component: ${name}`, () => {
    const stackOf = (cluster: string, layer: string): Json =>
      stacks[`${config.prefix}-${config.environment}-${cluster}-${layer}`];

    for (const cluster of config.clusters) {
      describe(`cluster ${cluster.id} (${cluster.role})`, () => {
        const components = inNamedTest(`reads the components of ${cluster.id}`, () =>
          synthesizedComponents(stackOf(cluster.id, 'compute')),
        );
        const ctx = contractContext(config, cluster.id);
        const planned = planComponents(config, cluster);

        it('runs every planned component and only those', () => {
          expect([...components.keys()].sort()).toEqual(planned.map((p) => p.spec.id).sort());
        });

        it('sets every listener of the contract, and no variable with an empty value (ECS would drop it)', () => {
          for (const c of components.values()) {
            for (const l of runtimeContractOf(c.id, ctx).listeners) {
              expect([c.id, l.key, c.settings.get(l.key)]).toEqual([c.id, l.key, l.value]);
            }
            const empty = (c.container.environment ?? []).filter((e: Json) => e.value === '');
            expect([c.id, empty]).toEqual([c.id, []]);
            for (const flag of c.container.command.slice(2))
              expect(isKnownConfigKey(flag.slice(2).split('=')[0])).toBe(true);
          }
        });

        it('reads each configuration file from a folder of the bucket that holds it', () => {
          const objects = resources(stackOf(cluster.id, 'data'), 'aws_s3_object').map(
            (o) => `${bucketAddress(o.bucket)}/${o.key}`,
          );
          for (const c of components.values()) {
            for (const f of runtimeContractOf(c.id, ctx).blobFiles) {
              expect([c.id, f.sourceKey, c.settings.get(f.sourceKey)]).toEqual([c.id, f.sourceKey, 'blob']);
              expect([c.id, f.folderKey, c.settings.get(f.folderKey)]).toEqual([c.id, f.folderKey, f.folder]);
              const bucket = bucketAddress(c.settings.get(f.bucketKey) ?? '');
              expect(objects).toContain(`${bucket}/${f.folder ? `${f.folder}/` : ''}${f.file}`);
            }
          }
        });

        it('has every setting the contract requires', () => {
          for (const c of components.values()) {
            for (const r of runtimeContractOf(c.id, ctx).required) {
              const present = c.settings.has(r.key) || c.secrets.has(envVarOf(r.key));
              expect([c.id, r.key, present]).toEqual([c.id, r.key, true]);
              if (r.value !== undefined) expect([c.id, r.key, c.settings.get(r.key)]).toEqual([c.id, r.key, r.value]);
            }
          }
        });

        it('health-checks each container and each of its target groups on /healthz', () => {
          const groups = stackOf(cluster.id, 'compute').resource.aws_lb_target_group as Record<string, Json>;
          for (const c of components.values()) {
            const contract = runtimeContractOf(c.id, ctx).healthCheck;
            expect([c.id, c.container.healthCheck?.command]).toEqual([c.id, contract.command]);
            for (const lb of c.service.load_balancer ?? []) {
              const group = groups[/aws_lb_target_group\.([^.]+)\.arn/.exec(lb.target_group_arn)![1]];
              expect([c.id, group.health_check]).toMatchObject([
                c.id,
                { protocol: 'HTTP', port: String(contract.port), path: contract.path },
              ]);
            }
          }
        });

        it('runs no more tasks than the contract allows', () => {
          for (const c of components.values()) {
            expect([c.id, c.service.desired_count <= runtimeContractOf(c.id, ctx).maxTasks]).toEqual([c.id, true]);
          }
        });
      });
    }
  });
}
