import { placeholderFor, producerHints, remoteStateReads, renderTestFile, requiredVariables, toHcl } from '../src';

const consumer = {
  data: {
    terraform_remote_state: {
      primary: { backend: 's3', config: { bucket: 'b', key: 'k' } },
      'cross-stack-reference-input-net': { backend: 's3', config: {} },
      unused: { backend: 's3', config: {} },
    },
  },
  resource: {
    aws_security_group: { sg: { vpc_id: '${data.terraform_remote_state.primary.outputs.vpc_id}' } },
    aws_lb: {
      nlb: {
        subnets: '${data.terraform_remote_state.primary.outputs.public}',
        name: '${data.terraform_remote_state.primary.outputs["lb_name"]}',
      },
    },
    aws_instance: { i: { subnet_id: '${data.terraform_remote_state.primary.outputs.private[0]}' } },
    aws_subnet: {
      s: {
        cidr_block:
          '${cidrsubnet(data.terraform_remote_state.cross-stack-reference-input-net.outputs.cross-stack-output-aws_vpcvpccidr_block, 8, 1)}',
      },
    },
  },
};
const producer = {
  output: {
    'cross-stack-output-aws_vpcvpccidr_block': { value: '${aws_vpc.vpc.cidr_block}' },
    'cross-stack-output-aws_vpcvpcid': { value: '${aws_vpc.vpc.id}' },
    private_subnet_ids: { value: ['${aws_subnet.a.id}', '${aws_subnet.b.id}'] },
    alarm_topic: { value: '${aws_sns_topic.alarms.arn}' },
  },
};

describe('remote state reads', () => {
  const reads = remoteStateReads(consumer);

  it('finds every declared remote state and the outputs read from it (dotted and quoted)', () => {
    expect([...reads.keys()]).toEqual(['primary', 'cross-stack-reference-input-net', 'unused']);
    expect([...(reads.get('primary')?.keys() ?? [])].sort()).toEqual(['lb_name', 'private', 'public', 'vpc_id']);
    expect(reads.get('unused')?.size).toBe(0);
  });

  it('marks as lists the outputs that are indexed or fed whole to a list argument', () => {
    expect(reads.get('primary')?.get('private')).toEqual({ list: true });
    expect(reads.get('primary')?.get('public')).toEqual({ list: true });
    expect(reads.get('primary')?.get('vpc_id')).toEqual({});
  });

  it('treats each element of a list argument as one item, not as a list', () => {
    const ref = (o: string) => `\${data.terraform_remote_state.net.outputs.${o}}`;
    const stack = {
      data: { terraform_remote_state: { net: { backend: 's3', config: {} } } },
      resource: { aws_db_subnet_group: { g: { subnet_ids: [ref('subnet_a_id'), ref('subnet_b_id')] } } },
    };
    const outputs = remoteStateReads(stack).get('net');
    expect(outputs?.get('subnet_a_id')).toEqual({});
    expect(outputs?.get('subnet_b_id')).toEqual({});
  });

  it('does not learn a shape from an output that re-exports remote state (its attribute is `outputs`, not a list)', () => {
    const relay = { output: { relayed: { value: '${data.terraform_remote_state.primary.outputs.domain}' } } };
    expect(producerHints([relay]).has('relayed')).toBe(false);
  });

  it('learns from the producing stacks what each output holds', () => {
    const hints = producerHints([producer]);
    expect(hints.get('cross-stack-output-aws_vpcvpcid')).toEqual({ attribute: 'id', resourceType: 'aws_vpc' });
    expect(hints.get('private_subnet_ids')).toEqual({ list: true });
    expect(hints.get('alarm_topic')).toEqual({ attribute: 'arn', resourceType: 'aws_sns_topic' });
  });
});

describe('placeholders', () => {
  it.each([
    ['vpc_id', {}, 'vpc-0123456789abcdef0'],
    ['private_subnet_ids', {}, ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']],
    ['alarm_topic_arn', {}, 'arn:aws:sns:eu-west-1:123456789012:mock-alarm-topic-arn'],
    ['task_role_arn', {}, 'arn:aws:iam::123456789012:role/mock-task-role-arn'],
    ['cluster_name', {}, 'mock-cluster-name'],
    ['vpc_cidr', {}, '10.0.0.0/16'],
    ['redis_port', {}, 443],
    ['db_endpoint', {}, 'mock-db-endpoint.example.com'],
    ['availability_zones', {}, ['mock-availability-zone', 'mock-availability-zone-2']],
    ['dns', {}, 'mock-dns'],
    ['cross-stack-output-aws_vpcvpcid', { attribute: 'id', resourceType: 'aws_vpc' }, 'vpc-0123456789abcdef0'],
    ['cross-stack-output-aws_s3_bucketbbucket', { attribute: 'bucket', resourceType: 'aws_s3_bucket' }, 'mock-bucket'],
    ['whatever', { list: true }, ['mock-whatever', 'mock-whatever-2']],
  ])('%s %j -> %j', (key, hint, expected) => {
    expect(placeholderFor(key, hint)).toEqual(expected);
  });

  it('uses the caller fixture for an output when one is given, whatever its shape', () => {
    expect(placeholderFor('vpc_id', {}, { vpc_id: 'vpc-fixture' })).toBe('vpc-fixture');
    expect(placeholderFor('settings', {}, { settings: { a: 1 } })).toEqual({ a: 1 });
  });
});

describe('generated secret placeholders', () => {
  it('are 32 letters and digits, so length and character checks (Redis AUTH tokens) pass', () => {
    expect(
      placeholderFor('cross-stack-output-random_passwordpwresult', {
        attribute: 'result',
        resourceType: 'random_password',
      }),
    ).toMatch(/^[A-Za-z0-9]{32}$/);
  });
});

describe('test file', () => {
  it('renders HCL with quoted keys and escaped template markers', () => {
    expect(toHcl({ 'a-b': ['x', 1, true, null], t: '${x}%{y}' })).toBe(
      '{\n  "a-b" = [\n    "x",\n    1,\n    true,\n    null\n  ]\n  "t" = "$${x}%%{y}"\n}',
    );
  });

  it('overrides every remote state with placeholder outputs and plans once', () => {
    const text = renderTestFile(remoteStateReads(consumer), producerHints([producer]), { lb_name: 'fixture-lb' });
    expect(text).toContain(
      'override_data {\n  target = data.terraform_remote_state.primary\n  values = {\n    "outputs" = {\n' +
        '      "lb_name" = "fixture-lb"\n      "private" = [\n        "mock-private",\n        "mock-private-2"\n      ]\n',
    );
    expect(text).toContain('"cross-stack-output-aws_vpcvpccidr_block" = "10.0.0.0/16"');
    expect(text).toContain(
      'override_data {\n  target = data.terraform_remote_state.unused\n  values = {\n    "outputs" = {}\n  }\n}',
    );
    expect(text.endsWith('run "plan" {\n  command = plan\n}\n')).toBe(true);
  });
});

describe('required variables', () => {
  const stack = {
    variable: {
      opsgenie_endpoint_url: { type: 'string', sensitive: true },
      team: { type: 'string' },
      optional_thing: { type: 'string', default: null },
    },
  };

  it('finds variables without a default and gives each a placeholder (an https URL for *_url)', () => {
    expect(requiredVariables(stack)).toEqual(['opsgenie_endpoint_url', 'team']);
    const text = renderTestFile(new Map(), new Map(), {}, requiredVariables(stack));
    expect(text).toContain(
      'variables {\n  opsgenie_endpoint_url = "https://placeholder.invalid/opsgenie_endpoint_url"\n',
    );
    expect(text).toContain('  team = "placeholder-team"\n}');
  });

  it('writes no variables block when none is required', () => {
    expect(renderTestFile(new Map())).not.toContain('variables');
  });
});
