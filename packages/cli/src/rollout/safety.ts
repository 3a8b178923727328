import { PlannedRemoval, PlanSummary } from '@tts-ecs/terraform';

/**
 * Resource types whose deletion loses data or breaks what depends on them (a replaced KMS key makes everything
 * encrypted with it unreadable). A plan that deletes or replaces one stops until `--allow-destroy` names it.
 */
export const STATEFUL_TYPES: readonly string[] = [
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_rds_cluster_instance',
  'aws_rds_global_cluster',
  'aws_elasticache_replication_group',
  'aws_elasticache_cluster',
  'aws_elasticache_serverless_cache',
  'aws_s3_bucket',
  'aws_efs_file_system',
  'aws_ebs_volume',
  'aws_secretsmanager_secret',
  'aws_secretsmanager_secret_version',
  'aws_kms_key',
  'aws_ssm_parameter',
  'aws_dynamodb_table',
  'aws_backup_vault',
  'aws_cloudwatch_log_group',
  'aws_ecr_repository',
  'aws_route53_zone',
  'random_password',
  'random_bytes',
];

/** A deletion or replacement of a stateful resource that nobody allowed. */
export interface BlockedRemoval extends PlannedRemoval {
  readonly stack: string;
  readonly action: 'delete' | 'replace';
}

/**
 * The stateful removals of `summary` not named in `allow`. An entry names a resource as `<stack>:<address>`
 * (that stack only) or `<address>` (in every selected stack: cluster stacks share addresses).
 */
export function blockedRemovals(stack: string, summary: PlanSummary, allow: readonly string[]): BlockedRemoval[] {
  const allowed = (address: string): boolean => allow.includes(address) || allow.includes(`${stack}:${address}`);
  const pick = (list: readonly PlannedRemoval[], action: BlockedRemoval['action']): BlockedRemoval[] =>
    list.filter((r) => STATEFUL_TYPES.includes(r.type) && !allowed(r.address)).map((r) => ({ ...r, stack, action }));
  return [...pick(summary.replaced, 'replace'), ...pick(summary.deleted, 'delete')];
}

/** The message for blocked removals: what, why it matters, and the exact flag that allows it. */
export function formatBlocked(blocked: readonly BlockedRemoval[]): string {
  const lines = blocked.map((b) => `  ${b.action === 'replace' ? 'replaces' : 'destroys'} ${b.address} (${b.type})`);
  const flag = blocked.map((b) => `${b.stack}:${b.address}`).join(',');
  return (
    `the plan ${blocked.length === 1 ? 'destroys a stateful resource' : 'destroys stateful resources'}; its data would be lost:\n` +
    `${lines.join('\n')}\n` +
    `If that is intended (check the plan, take a backup), allow it with --allow-destroy ${flag}`
  );
}
