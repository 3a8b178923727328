import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeApplyOrder } from '@tts-ecs/terraform';

/**
 * A small synth output written by hand, shaped like `tts-ecs synth`'s (`<out>/<app>/manifest.json`,
 * `<out>/<app>/stacks/<stack>/cdk.tf.json`, `<out>/apply-order.json` from the real writer): a bootstrap stack, a
 * primary `p1` (eu-west-1) and a secondary `s1` (us-east-1) reading the primary's contract outputs.
 */
type Json = Record<string, unknown>;

const STATE = 'acme-state';
const s3Backend = (cluster: string, layer: string) => ({
  backend: { s3: { bucket: STATE, key: `dev/${cluster}/${layer}.tfstate`, region: 'eu-west-1' } },
});
const aws = (region: string) => ({ aws: [{ region }] });
const remote = (cluster: string, layer: string) => ({
  backend: 's3',
  config: { bucket: STATE, key: `dev/${cluster}/${layer}.tfstate`, region: 'eu-west-1' },
});
const crossStack = (cluster: string, layer: string) => ({
  [`cross-stack-reference-input-acme-dev-${cluster}-${layer}`]: remote(cluster, layer),
});
const listener = (cluster: string, port: number, protocol: string) => ({
  port,
  protocol,
  load_balancer_arn: `\${data.terraform_remote_state.cross-stack-reference-input-acme-dev-${cluster}-network.outputs.cross-stack-output-aws_lbNetwork_Nlb_ABC123arn}`,
});

function network(cluster: string, region: string, cidr: string, outputs: Json = {}): Json {
  return {
    terraform: s3Backend(cluster, 'network'),
    provider: aws(region),
    resource: {
      aws_vpc: { Network_Vpc: { cidr_block: cidr } },
      aws_lb: { Network_Nlb_ABC123: { name: `acme-dev-${cluster}`, load_balancer_type: 'network', internal: false } },
      aws_s3_bucket: { Network_Logs: { bucket: `acme-dev-${cluster}-nlb-logs-111111111111` } },
    },
    ...(Object.keys(outputs).length ? { output: outputs } : {}),
  };
}

const APPS: Record<string, Record<string, { json: Json; dependencies?: string[] }>> = {
  bootstrap: {
    'acme-dev-bootstrap': {
      json: {
        terraform: { backend: { local: { path: 'bootstrap.tfstate' } } },
        provider: aws('eu-west-1'),
        resource: { aws_s3_bucket: { State_Bucket: { bucket: STATE } } },
      },
    },
  },
  primary: {
    'acme-dev-p1-network': {
      json: network('p1', 'eu-west-1', '10.10.0.0/16', {
        identity_server_host: { value: 'lns.example.com' },
        identity_server_https_port: { value: 443 },
        identity_server_grpc_port: { value: 8884 },
      }),
    },
    'acme-dev-p1-secrets': {
      json: {
        terraform: s3Backend('p1', 'secrets'),
        provider: { aws: [{ region: 'eu-west-1' }, { alias: 'us_east_1', region: 'us-east-1' }] },
        resource: { aws_secretsmanager_secret: { Keys: {}, Other: {} } },
        output: { cluster_keys_secret_arn: { value: '${aws_secretsmanager_secret.Keys.arn}' } },
      },
    },
    'acme-dev-p1-data': {
      dependencies: ['acme-dev-p1-network', 'acme-dev-p1-secrets'],
      json: {
        terraform: s3Backend('p1', 'data'),
        provider: aws('eu-west-1'),
        data: { terraform_remote_state: { ...crossStack('p1', 'network'), ...crossStack('p1', 'secrets') } },
        resource: {
          aws_rds_cluster: {
            Db: { cluster_identifier: 'acme-dev-p1', engine: 'aurora-postgresql', engine_version: '16.6' },
          },
          aws_rds_cluster_instance: {
            Db1: { cluster_identifier: '${aws_rds_cluster.Db.id}' },
            Db2: { cluster_identifier: '${aws_rds_cluster.Db.id}' },
          },
          aws_elasticache_replication_group: {
            Redis: { replication_group_id: 'acme-dev-p1-general', engine: 'redis', engine_version: '7.1' },
          },
          aws_s3_bucket: {
            Pictures: { bucket: 'acme-dev-p1-pictures-111111111111' },
            Config: { bucket: 'acme-dev-p1-config-111111111111' },
          },
          aws_efs_file_system: { Prometheus: { creation_token: 'acme-dev-p1-prometheus' } },
          aws_instance: { Timescale: { instance_type: 'm7g.large', tags: { Name: 'acme-dev-p1-timescale' } } },
        },
      },
    },
    'acme-dev-p1-compute': {
      dependencies: ['acme-dev-p1-network', 'acme-dev-p1-secrets', 'acme-dev-p1-data'],
      json: {
        terraform: s3Backend('p1', 'compute'),
        provider: aws('eu-west-1'),
        data: {
          terraform_remote_state: {
            ...crossStack('p1', 'network'),
            ...crossStack('p1', 'secrets'),
            ...crossStack('p1', 'data'),
          },
        },
        resource: {
          aws_ecs_service: { Is: {}, Gs: {} },
          aws_lb_listener: {
            Https: listener('p1', 443, 'TLS'),
            Udp: listener('p1', 1700, 'UDP'),
            Mqtt: listener('p1', 1883, 'TCP'),
          },
        },
      },
    },
  },
  secondary: {
    'acme-dev-s1-network': { json: network('s1', 'us-east-1', '10.20.0.0/16') },
    'acme-dev-s1-secrets': {
      json: {
        terraform: s3Backend('s1', 'secrets'),
        provider: aws('us-east-1'),
        data: { terraform_remote_state: { primary_secrets: remote('p1', 'secrets') } },
      },
    },
    'acme-dev-s1-compute': {
      dependencies: ['acme-dev-s1-network', 'acme-dev-s1-secrets'],
      json: {
        terraform: s3Backend('s1', 'compute'),
        provider: aws('us-east-1'),
        data: {
          terraform_remote_state: {
            ...crossStack('s1', 'network'),
            primary_network: remote('p1', 'network'),
            primary_secrets: remote('p1', 'secrets'),
          },
        },
        resource: {
          aws_ecs_task_definition: {
            IsProxy: {
              container_definitions:
                '[{"environment":[{"name":"HOST","value":"${data.terraform_remote_state.primary_network.outputs.identity_server_host}:${data.terraform_remote_state.primary_network.outputs.identity_server_grpc_port}"},' +
                '{"name":"HTTPS","value":"${data.terraform_remote_state.primary_network.outputs.identity_server_https_port}"},' +
                '{"name":"KEYS","value":"${data.terraform_remote_state.primary_secrets.outputs.cluster_keys_secret_arn}"}]}]',
            },
          },
          aws_lb_listener: { Https: listener('s1', 443, 'TLS') },
        },
      },
    },
  },
};

/** Writes the fixture synth output into `dir` (created) and returns it. */
export function writeFixtureSynth(dir: string = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-diagram-'))): string {
  for (const [app, stacks] of Object.entries(APPS)) {
    const manifest: Record<string, Json> = {};
    for (const [name, { json, dependencies }] of Object.entries(stacks)) {
      const stackDir = path.join(dir, app, 'stacks', name);
      fs.mkdirSync(stackDir, { recursive: true });
      fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify(json, null, 2));
      manifest[name] = {
        name,
        dependencies: dependencies ?? [],
        workingDirectory: `stacks/${name}`,
        synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
      };
    }
    fs.writeFileSync(path.join(dir, app, 'manifest.json'), JSON.stringify({ stacks: manifest }, null, 2));
  }
  writeApplyOrder(dir, {
    layers: ['network', 'secrets', 'data', 'compute', 'observability'],
    apps: ['primary', 'secondary'],
    clusterOrder: ['p1', 's1'],
  });
  return dir;
}
