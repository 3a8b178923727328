import { TerraformStack } from 'cdktf';
import { env, only, synth } from '@tts-ecs/testing';
import { ContainerService, ContainerServiceProps } from '../src';

const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/k';
const NAMESPACE = 'arn:aws:servicediscovery:eu-west-1:111111111111:namespace/ns-0123456789abcdef';
const cluster = { clusterName: 'c', clusterArn: 'arn:aws:ecs:eu-west-1:111111111111:cluster/c' };

const props = (serviceConnect: ContainerServiceProps['serviceConnect']): ContainerServiceProps => ({
  environment: env,
  cluster,
  family: 'broker',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-a', 'subnet-b'],
  logKmsKeyArn: KEY,
  containers: [
    {
      name: 'broker',
      image: 'docker.io/library/busybox:1.37',
      portMappings: [
        { containerPort: 26500, name: 'grpc' },
        { containerPort: 26502, name: 'internal-api' },
        { containerPort: 9600 },
      ],
    },
  ],
  serviceConnect,
});

describe('ContainerService serviceConnect', () => {
  const r = synth((s: TerraformStack) => {
    new ContainerService(
      s,
      'Server',
      props({
        namespaceArn: NAMESPACE,
        services: [
          { portName: 'grpc', dnsName: 'broker-grpc' },
          { portName: 'internal-api', port: 36502 },
        ],
      }),
    );
  });

  it('publishes each named port under its client alias, in the namespace, with proxy logs in the task log group', () => {
    expect(only(r, 'aws_ecs_service').service_connect_configuration).toEqual({
      enabled: true,
      namespace: NAMESPACE,
      service: [
        { port_name: 'grpc', discovery_name: 'broker-grpc', client_alias: { dns_name: 'broker-grpc', port: 26500 } },
        {
          port_name: 'internal-api',
          discovery_name: 'internal-api',
          client_alias: { dns_name: 'internal-api', port: 36502 },
        },
      ],
      log_configuration: {
        log_driver: 'awslogs',
        options: {
          'awslogs-group': '/ecs/broker',
          'awslogs-region': 'eu-west-1',
          'awslogs-stream-prefix': 'service-connect',
        },
      },
    });
  });

  const client = synth((s: TerraformStack) => {
    new ContainerService(s, 'Client', props({ namespaceArn: NAMESPACE }));
  });

  it('joins as a client only when no services are given', () => {
    const sc = only(client, 'aws_ecs_service').service_connect_configuration as Record<string, unknown>;
    expect(sc.enabled).toBe(true);
    expect(sc.namespace).toBe(NAMESPACE);
    expect(sc.service).toBeUndefined();
  });

  const plain = synth((s: TerraformStack) => {
    new ContainerService(s, 'Plain', props(undefined));
  });

  it('does not join Service Connect unless asked', () => {
    expect(only(plain, 'aws_ecs_service').service_connect_configuration).toBeUndefined();
  });

  it('rejects a port name no port mapping has', () => {
    expect(
      () =>
        synth((s: TerraformStack) => {
          new ContainerService(s, 'Bad', props({ namespaceArn: NAMESPACE, services: [{ portName: 'management' }] }));
        }).aws_ecs_service,
    ).toThrow(/serviceConnect\.services\[0\]\.portName.*grpc, internal-api/s);
  });
});
