import { Construct } from 'constructs';
import { KmsReplicaKey } from '@cdktf/provider-aws/lib/kms-replica-key';
import { partitionOf } from '@tts-ecs/core';
import { LayerStack, createAwsProvider } from '@tts-ecs/stacks';

export interface ReplicaKeysProps {
  /** Stack of the primary key (its config, cluster and layer name the aliased providers). */
  readonly stack: LayerStack;
  /** ARN of a multi-Region primary key. */
  readonly primaryKeyArn: string;
  /** Regions that get a replica (not the primary key's region). */
  readonly regions: readonly string[];
}

/**
 * Replicas of a multi-Region KMS key, one per region, each created through an aliased AWS provider pinned to the
 * cluster's account. Replicated secrets are encrypted with them instead of the `aws/secretsmanager` key, so access
 * stays governed by a customer key policy. Replicas keep the primary's key id; only the region in the ARN differs.
 */
export class ReplicaKeys extends Construct {
  private readonly arns = new Map<string, string>();

  constructor(scope: Construct, id: string, props: ReplicaKeysProps) {
    super(scope, id);
    const { stack } = props;
    for (const region of props.regions) {
      const provider = createAwsProvider(this, `Provider-${region}`, stack.config, stack.cluster, stack.layer, {
        alias: region.replace(/-/g, '_'),
        region,
      });
      const root = `arn:${partitionOf(region)}:iam::${stack.cluster.accountId}:root`;
      const replica = new KmsReplicaKey(this, `Replica-${region}`, {
        provider,
        primaryKeyArn: props.primaryKeyArn,
        description: `Replica in ${region} of the secrets key of ${stack.resourcePrefix}`,
        deletionWindowInDays: 30,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AccountRootAdministers',
              Effect: 'Allow',
              Principal: { AWS: root },
              Action: 'kms:*',
              Resource: '*',
            },
          ],
        }),
        lifecycle: { preventDestroy: true },
      });
      this.arns.set(region, replica.arn);
    }
  }

  /** ARN of the replica in `region`. */
  arnIn(region: string): string {
    const arn = this.arns.get(region);
    if (arn === undefined)
      throw new Error(`No replica key in ${region}; regions: ${[...this.arns.keys()].join(', ')}.`);
    return arn;
  }
}
