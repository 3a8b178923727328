import { ClusterConfig, ConfigError, ConfigProblem, DeploymentConfig } from '@tts-ecs/config';
import {
  COMPONENTS,
  ComponentId,
  ComponentSpec,
  Edition,
  FARGATE_MEMORY_BY_CPU,
  defaultDesiredCountOf,
  isValidFargateSize,
  singletonReasonOf,
} from '@tts-ecs/tts-catalog';

/** One component as it will run in a cluster: its catalog entry and its resolved size and count. */
export interface PlannedComponent {
  readonly spec: ComponentSpec;
  readonly desiredCount: number;
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** Components that are opt-in through a feature flag rather than `tts.components.<id>.enabled`. */
const FEATURE_GATED: Partial<Record<ComponentId, (config: DeploymentConfig) => boolean>> = {
  tbs: (config) => config.features.tbs,
};

/**
 * The components a cluster runs, in catalog order: available in the edition, primary-only ones only in the primary,
 * optional ones only when enabled, each with `tts.components.<id>` overrides applied. A component that another
 * included component's process starts as well (DTC and QRG with the DCS) gets no service of its own unless its
 * override enables it. Every problem of the overrides (unknown ids, components of the other edition, counts above
 * the runtime contract's task limit, invalid Fargate sizes) is reported at once as a {@link ConfigError}.
 */
export function planComponents(config: DeploymentConfig, cluster: ClusterConfig): PlannedComponent[] {
  const problems = checkComponentOverrides(config);
  if (problems.length > 0) throw new ConfigError('deployment config', problems);
  const edition: Edition = config.tts.edition;
  const overrides = config.tts.components;
  const wanted = COMPONENTS.filter((spec) => {
    if (!spec.editions.includes(edition)) return false;
    if (spec.primaryOnly && cluster.role !== 'primary') return false;
    const gate = FEATURE_GATED[spec.id];
    return overrides[spec.id]?.enabled ?? (gate ? gate(config) : spec.defaultIncluded);
  });
  const startedByOthers = new Set(wanted.flatMap((s) => s.alsoStarts ?? []));
  return wanted
    .filter((spec) => overrides[spec.id]?.enabled === true || !startedByOthers.has(spec.id))
    .map((spec) => {
      const o = overrides[spec.id] ?? {};
      return {
        spec,
        desiredCount: o.desiredCount ?? defaultDesiredCountOf(spec.id, edition),
        cpu: o.cpu ?? spec.defaultSize.cpu,
        memoryMiB: o.memory ?? spec.defaultSize.memoryMiB,
      };
    });
}

/** Components whose services run in a cluster: the planned ones and those their processes start as well. */
export function servedComponents(planned: readonly PlannedComponent[]): Set<ComponentId> {
  return new Set(planned.flatMap((p) => [p.spec.id, ...(p.spec.alsoStarts ?? [])]));
}

/** Which planned component serves `id` in a cluster (itself, or the component whose process starts it). */
export function servingComponentOf(planned: readonly PlannedComponent[], id: ComponentId): ComponentId | undefined {
  return (
    planned.find((p) => p.spec.id === id)?.spec.id ?? planned.find((p) => p.spec.alsoStarts?.includes(id))?.spec.id
  );
}

/**
 * Problems of `tts.components` that need the catalog (editions, task limits, default sizes), each with its config path.
 * The config loader already refused unknown ids, CPU units Fargate lacks and whole sizes it does not run.
 */
export function checkComponentOverrides(config: DeploymentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [id, o] of Object.entries(config.tts.components)) {
    const at = `tts.components.${id}`;
    const spec = COMPONENTS.find((c) => c.id === id);
    if (!spec || !o) continue; // the loader admits catalog ids only (a test keeps the lists equal)
    if (o.enabled && !spec.editions.includes(config.tts.edition)) {
      problems.push({
        path: `${at}.enabled`,
        value: true,
        message: `the ${spec.name} is not part of The Things Stack ${config.tts.edition}. Remove the override or use the enterprise edition.`,
      });
    }
    if (id === 'tbs' && o.enabled && !config.features.tbs) {
      problems.push({
        path: `${at}.enabled`,
        value: true,
        message: 'the Tenant Billing Server is switched on with features.tbs; set that instead.',
      });
    }
    const singleton = singletonReasonOf(spec.id, config.tts.edition);
    if (singleton && o.desiredCount !== undefined && o.desiredCount > 1) {
      problems.push({
        path: `${at}.desiredCount`,
        value: o.desiredCount,
        message: `the ${spec.name} must not run more than one task in The Things Stack ${config.tts.edition} (${singleton.why}). Use 0 or 1.`,
      });
    }
    const cpu = o.cpu ?? spec.defaultSize.cpu;
    const memory = o.memory ?? spec.defaultSize.memoryMiB;
    if (!isValidFargateSize(cpu, memory)) {
      problems.push({
        path: `${at}.memory`,
        value: memory,
        message: `is not a Fargate size with cpu ${cpu}. With cpu ${cpu} use memory (MiB) ${FARGATE_MEMORY_BY_CPU[cpu].join(', ')}.`,
      });
    }
  }
  return problems;
}

/**
 * Whether this cluster's compute stack owns the ECS account settings of its account and region. They exist once per
 * account and region, so the first cluster (in config order) of each account + region owns them; the others leave
 * them alone (two owners would fight, and destroying either would reset them).
 */
export function ownsAccountSettings(config: DeploymentConfig, cluster: ClusterConfig): boolean {
  const owner = config.clusters.find((c) => c.accountId === cluster.accountId && c.region === cluster.region);
  return owner?.id === cluster.id;
}

/**
 * Container image of the edition pinned to the exact configured version. Enterprise on ECS uses the `-aws` variant
 * the official ECS guide names for every service and the ops task (`thethingsindustries/lorawan-stack:3.x.y-aws`,
 * SOURCES.ecsDeployment); the open-source image has no such variant.
 */
export function ttsImageOf(config: DeploymentConfig): string {
  return config.tts.edition === 'enterprise'
    ? `thethingsindustries/lorawan-stack:${config.tts.version}-aws`
    : `thethingsnetwork/lorawan-stack:${config.tts.version}`;
}
