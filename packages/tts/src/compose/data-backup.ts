import { Construct } from 'constructs';
import { BackupPlan } from '@tts-ecs/data';
import { LayerStack, createAwsProvider } from '@tts-ecs/stacks';

/**
 * AWS Backup of a cluster's stateful data (Aurora, the Prometheus EFS, the TimescaleDB data volume): daily into the
 * data layer's KMS-encrypted vault `<resourcePrefix>`, kept `data.backup.retentionDays`; the primary's recovery points
 * are also copied to `data.backup.copyToRegion` when set. Undefined when there is nothing to back up.
 */
export function createBackupPlan(
  scope: Construct,
  stack: LayerStack,
  kmsKeyArn: string,
  resourceArns: readonly string[],
): BackupPlan | undefined {
  if (resourceArns.length === 0) return undefined;
  const { config, cluster, environment, resourcePrefix } = stack;
  const { retentionDays, copyToRegion } = config.data.backup;
  const copyRegion = cluster.role === 'primary' ? copyToRegion : undefined;
  const copy = copyRegion && {
    provider: createAwsProvider(scope, 'BackupCopyProvider', config, cluster, stack.layer, {
      alias: `backup_${copyRegion.replace(/-/g, '_')}`,
      region: copyRegion,
    }),
  };
  return new BackupPlan(scope, 'Backup', {
    environment,
    name: resourcePrefix,
    kmsKeyArn,
    resourceArns,
    retentionDays,
    ...(copy ? { copy } : {}),
  });
}
