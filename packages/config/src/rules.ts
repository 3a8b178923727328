import { FARGATE_TASK_SIZES, cidrsOverlap, isValidFargateSize, parseCidr, planSubnets } from '@tts-ecs/core';
import { ConfigProblem } from './problems';
import { DeploymentConfig } from './schema';

/**
 * Rules that span fields, checked after the schema has parsed the file. Each problem names the path,
 * the value and the fix; all problems are reported at once.
 */
export function checkRules(config: DeploymentConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: string, value: unknown, message: string) => problems.push({ path, value, message });

  // A size given whole must be one Fargate runs (a half given size is checked against the catalog default later).
  for (const [id, o] of Object.entries(config.tts.components)) {
    if (o?.cpu !== undefined && o.memory !== undefined && !isValidFargateSize(o.cpu, o.memory)) {
      add(
        `tts.components.${id}.memory`,
        o.memory,
        `is not a Fargate size with cpu ${o.cpu}. With cpu ${o.cpu} use memory (MiB) ${FARGATE_TASK_SIZES[o.cpu].join(', ')}.`,
      );
    }
  }

  const primaries = config.clusters.filter((c) => c.role === 'primary');
  if (primaries.length !== 1) {
    add(
      'clusters',
      config.clusters.map((c) => `${c.id}:${c.role}`),
      `must contain exactly one cluster with role "primary" (found ${primaries.length}). ` +
        'The primary runs the Identity Server and database; mark one cluster "primary" and the others "secondary".',
    );
  }

  const seenIds = new Map<string, number>();
  config.clusters.forEach((cluster, i) => {
    const at = `clusters[${i}]`;
    const first = seenIds.get(cluster.id);
    if (first !== undefined) {
      add(
        `${at}.id`,
        cluster.id,
        `duplicates clusters[${first}].id. Cluster ids name stacks and state keys; make each unique.`,
      );
    } else seenIds.set(cluster.id, i);

    checkAvailabilityZones(cluster.availabilityZones, cluster.region, `${at}.availabilityZones`, add);
    checkVpcCidr(cluster.vpcCidr, cluster.availabilityZones.length, `${at}.vpcCidr`, add);
  });

  // Overlapping VPCs cannot be peered or routed between clusters.
  config.clusters.forEach((a, i) => {
    config.clusters.slice(0, i).forEach((b, j) => {
      if (!cidrProblem(a.vpcCidr) && !cidrProblem(b.vpcCidr) && cidrsOverlap(a.vpcCidr, b.vpcCidr)) {
        add(
          `clusters[${i}].vpcCidr`,
          a.vpcCidr,
          `overlaps clusters[${j}].vpcCidr "${b.vpcCidr}" (cluster "${b.id}"). Give every cluster a disjoint range, e.g. 10.${10 + i}.0.0/16.`,
        );
      }
    });
  });

  const domains = new Map<string, string>();
  config.clusters.forEach((cluster, i) => {
    const served = clusterDomain(config, cluster);
    const other = domains.get(served);
    if (other !== undefined) {
      add(`clusters[${i}].domain`, served, `is also served by cluster "${other}". Each cluster needs its own domain.`);
    } else domains.set(served, cluster.id);
  });

  // Cluster keys reach secondaries by Secrets Manager replication, which stays in one account.
  const primary = primaries[0];
  config.clusters.forEach((cluster, i) => {
    if (primary && cluster.role === 'secondary' && cluster.accountId !== primary.accountId) {
      add(
        `clusters[${i}].accountId`,
        cluster.accountId,
        `differs from the primary's account ${primary.accountId}. The cluster keys shared by all clusters ` +
          "reach secondaries by Secrets Manager replication, which works only within one account. Deploy the secondary in the primary's account.",
      );
    }
  });

  const monitoring = config.monitoring;
  if (monitoring && !config.features.monitoring && (monitoring.alertmanagerUrl || monitoring.longTermStorage)) {
    add(
      monitoring.alertmanagerUrl ? 'monitoring.alertmanagerUrl' : 'monitoring.longTermStorage',
      monitoring.alertmanagerUrl ?? true,
      'needs Prometheus: set features.monitoring to true, or remove this setting.',
    );
  }

  const copyRegion = config.data.backup?.copyToRegion;
  if (primary && copyRegion !== undefined && copyRegion === primary.region) {
    add(
      'data.backup.copyToRegion',
      copyRegion,
      `is the primary's own region: a copy there does not survive a regional outage. Use another region, or leave it out.`,
    );
  }

  const purposes = config.data.redis.purposes;
  if (!purposes.includes('general')) {
    add(
      'data.redis.purposes',
      purposes,
      'must include "general": every TTS component uses the general Redis. Add "general".',
    );
  }
  purposes.forEach((purpose, i) => {
    if (purposes.indexOf(purpose) !== i) {
      add(
        `data.redis.purposes[${i}]`,
        purpose,
        'is listed twice. Each purpose gets one replication group; list it once.',
      );
    }
  });

  if (config.features.tbs && config.tts.edition !== 'enterprise') {
    add(
      'features.tbs',
      true,
      'the Tenant Billing Server exists only in the enterprise edition. Set tts.edition to "enterprise" or features.tbs to false.',
    );
  }
  if (config.ingress.interop && config.ingress.interopCidrs.length === 0) {
    add(
      'ingress.interopCidrs',
      [],
      "must list your roaming partners' CIDRs when ingress.interop is true (port 8886 is not opened to the whole internet by default).",
    );
  }
  const email = config.email;
  if (email?.provider === 'smtp' && !email.smtp) {
    add(
      'email.smtp',
      undefined,
      'is required when email.provider is "smtp". Add {"address": "host:port"}, e.g. "email-smtp.eu-west-1.amazonaws.com:587".',
    );
  }
  if (email?.provider === 'sendgrid' && email.smtp) {
    add(
      'email.smtp',
      email.smtp,
      'is used only with email.provider "smtp" (SendGrid is reached through its API). Remove it, or set email.provider to "smtp".',
    );
  }
  return problems;
}

/** The domain a cluster serves: its own `domain`, the deployment domain for the primary, else `<id>.<domain>`. */
export function clusterDomain(
  config: Pick<DeploymentConfig, 'domain'>,
  cluster: DeploymentConfig['clusters'][number],
): string {
  if (cluster.domain) return cluster.domain;
  return cluster.role === 'primary' ? config.domain : `${cluster.id}.${config.domain}`;
}

function checkAvailabilityZones(
  zones: readonly string[],
  region: string,
  path: string,
  add: (path: string, value: unknown, message: string) => void,
): void {
  if (zones.length < 2 || zones.length > 3) {
    add(
      path,
      zones,
      `must list 2 or 3 availability zones of ${region} (found ${zones.length}), e.g. ["${region}a", "${region}b"].`,
    );
  }
  const seen = new Set<string>();
  zones.forEach((zone, k) => {
    if (!new RegExp(`^${region}[a-z]$`).test(zone)) {
      add(
        `${path}[${k}]`,
        zone,
        `is not an availability zone of the cluster region ${region}. Use a zone such as "${region}a".`,
      );
    } else if (seen.has(zone)) {
      add(`${path}[${k}]`, zone, 'is listed twice. Each zone gets its own subnets; list distinct zones.');
    }
    seen.add(zone);
  });
}

function checkVpcCidr(
  cidr: string,
  azCount: number,
  path: string,
  add: (path: string, value: unknown, message: string) => void,
): void {
  const invalid = cidrProblem(cidr);
  if (invalid) {
    add(path, cidr, invalid);
    return;
  }
  const { prefixLength } = parseCidr(cidr);
  if (prefixLength < 16) {
    add(path, cidr, 'is larger than /16, the largest VPC AWS allows. Use a /16 to /20 block.');
    return;
  }
  try {
    planSubnets(cidr, Math.min(Math.max(azCount, 2), 3));
  } catch (error) {
    add(path, cidr, `cannot hold the cluster subnets. ${(error as Error).message}`);
  }
}

/** Why `cidr` is not an IPv4 CIDR block (e.g. host bits set, with the network address to use), or undefined. */
function cidrProblem(cidr: string): string | undefined {
  try {
    parseCidr(cidr);
    return undefined;
  } catch (error) {
    // parseCidr says what is wrong with the quoted text; the problem line already shows the value.
    return (error as Error).message.replace(/^"[^"]*" /, '');
  }
}
