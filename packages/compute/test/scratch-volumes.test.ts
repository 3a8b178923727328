import { TerraformStack, Testing } from 'cdktf';
import { ContainerProps, TaskDefinition, TaskDefinitionProps } from '../src';

const env = { accountId: '111111111111', region: 'eu-west-1' };
const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/k';
const app: ContainerProps = { name: 'app', image: 'nginx:1.27' };
const base: TaskDefinitionProps = { environment: env, family: 'f', logKmsKeyArn: KEY, containers: [app] };

type Volume = { name: string; efs_volume_configuration?: unknown };
type Container = { name: string; mountPoints: { sourceVolume: string; containerPath: string; readOnly: boolean }[] };

function synthTd(props: Partial<TaskDefinitionProps>): { volume?: Volume[]; containers: Container[] } {
  const stack = new TerraformStack(Testing.app(), 'test');
  new TaskDefinition(stack, 'Td', { ...base, ...props });
  const td = Object.values(JSON.parse(Testing.synth(stack)).resource.aws_ecs_task_definition)[0] as {
    volume?: Volume[];
    container_definitions: string;
  };
  return { volume: td.volume, containers: JSON.parse(td.container_definitions) };
}

describe('TaskDefinition scratchVolumes', () => {
  it('declares no scratch volume by default', () => {
    expect(synthTd({}).volume).toBeUndefined();
    expect(synthTd({ containers: [{ ...app, writablePaths: ['/tmp'] }] }).volume).toEqual([{ name: 'app-scratch-0' }]);
  });

  it('declares each named scratch volume once, as a host-less bind mount two containers can share', () => {
    const { volume, containers } = synthTd({
      containers: [
        { ...app, mountPoints: [{ sourceVolume: 'shared', containerPath: '/run/shared' }] },
        {
          name: 'prep',
          image: 'busybox:1.37',
          essential: false,
          mountPoints: [{ sourceVolume: 'shared', containerPath: '/x' }],
        },
      ],
      efsVolumes: [{ name: 'data', fileSystemId: 'fs-1' }],
      scratchVolumes: ['shared'],
    });
    // Scratch volumes come after the EFS ones, so adding one leaves the existing volumes' order alone.
    expect(volume!.map((v) => v.name)).toEqual(['data', 'shared']);
    expect(volume![1]).toEqual({ name: 'shared' });
    expect(containers.map((c) => c.mountPoints)).toEqual([
      [{ sourceVolume: 'shared', containerPath: '/run/shared', readOnly: false }],
      [{ sourceVolume: 'shared', containerPath: '/x', readOnly: false }],
    ]);
  });

  it('rejects malformed and clashing names, naming the construct, field, value and fix', () => {
    const make = (props: Partial<TaskDefinitionProps>) => () => synthTd(props);
    expect(make({ scratchVolumes: ['run/x'] })).toThrow(
      'test/Td: invalid scratchVolumes[0] "run/x". Use 1-255 letters, digits, "-" and "_".',
    );
    expect(make({ scratchVolumes: ['a', 'a'] })).toThrow(
      'test/Td: invalid scratchVolumes[1] "a". Give each volume a unique name: efsVolumes, scratchVolumes and the "<container>-scratch-<n>" volumes behind writablePaths share one set of names.',
    );
    expect(make({ efsVolumes: [{ name: 'data', fileSystemId: 'fs-1' }], scratchVolumes: ['data'] })).toThrow(
      'test/Td: invalid scratchVolumes[0] "data". Give each volume a unique name',
    );
    expect(make({ containers: [{ ...app, writablePaths: ['/tmp'] }], scratchVolumes: ['app-scratch-0'] })).toThrow(
      'test/Td: invalid scratchVolumes[0] "app-scratch-0". Give each volume a unique name',
    );
    expect(make({ containers: [{ ...app, mountPoints: [{ sourceVolume: 'x', containerPath: '/x' }] }] })).toThrow(
      'test/Td: invalid containers[0].mountPoints[0].sourceVolume "x". Use a volume declared on the task definition: none are declared (add efsVolumes or scratchVolumes).',
    );
  });
});
