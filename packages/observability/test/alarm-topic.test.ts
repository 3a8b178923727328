import { TerraformVariable } from 'cdktf';
import { EncryptionKey } from '@tts-ecs/core';
import { AlarmTopic } from '../src';
import { all, env, inNamedTest, synthStack as synth } from '@tts-ecs/testing';

describe('AlarmTopic with Opsgenie and e-mail', () => {
  let topic!: AlarmTopic;
  const s = synth((stack) => {
    topic = new AlarmTopic(stack, 'Alarms', {
      environment: env,
      topicName: 'acme-alarms',
      opsgenie: {},
      emailAddresses: ['ops@example.com'],
    });
  });
  const key = inNamedTest('finds the aws_kms_key', () => all(s, 'aws_kms_key')[0]);
  const keyPolicy = inNamedTest('reads the key policy', () => JSON.parse(key.policy as string));
  const snsTopic = inNamedTest('finds the aws_sns_topic', () => all(s, 'aws_sns_topic')[0]);
  const subscriptions = () => all(s, 'aws_sns_topic_subscription');
  const opsgenie = inNamedTest('finds the Opsgenie subscription', () =>
    subscriptions().find((x) => x.protocol === 'https')!,
  );

  it('encrypts the topic with a created, rotating, protected key', () => {
    expect(snsTopic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    expect(key.enable_key_rotation).toBe(true);
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
  });

  it('lets CloudWatch use the key for this topic only', () => {
    const cw = keyPolicy.Statement.find(
      (x: { Principal: { Service?: string } }) => x.Principal.Service === 'cloudwatch.amazonaws.com',
    );
    expect(cw.Action).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
    expect(cw.Condition).toEqual({
      StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:eu-west-1:111111111111:acme-alarms' },
    });
  });

  it('lets CloudWatch alarms of this account publish, and denies publishing without TLS', () => {
    const policy = JSON.parse(all(s, 'aws_sns_topic_policy')[0].policy as string);
    const [allow, deny] = policy.Statement;
    expect(allow).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
    });
    expect(allow.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '111111111111' });
    expect(allow.Condition.ArnLike).toEqual({ 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:*' });
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it('subscribes Opsgenie through a required sensitive variable, never a literal URL', () => {
    expect(opsgenie.endpoint).toBe('${var.opsgenie_endpoint_url}');
    expect(opsgenie.endpoint_auto_confirms).toBe(true);
    const variable = s.variable.opsgenie_endpoint_url;
    expect(variable).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(variable).not.toHaveProperty('default');
    expect(topic.opsgenieVariableName).toBe('opsgenie_endpoint_url');
    expect(s.json).not.toMatch(/https:\/\/api\.(eu\.)?opsgenie/);
    expect(s.json).not.toMatch(/apiKey=/);
  });

  it('subscribes the e-mail addresses', () => {
    expect(
      subscriptions()
        .filter((x) => x.protocol === 'email')
        .map((x) => x.endpoint),
    ).toEqual(['ops@example.com']);
  });

  it('exposes the topic ARN', () => {
    expect(topic.topicArn).toMatch(/TOKEN/);
  });
});

describe('AlarmTopic with a given key and endpoint token', () => {
  const s = synth((stack) => {
    const key = new EncryptionKey(stack, 'Shared', { environment: env, description: 'shared' });
    const url = new TerraformVariable(stack, 'pager_url', { type: 'string', sensitive: true });
    new AlarmTopic(stack, 'Alarms', {
      environment: env,
      topicName: 'a',
      encryptionKey: key,
      opsgenie: { endpoint: url.stringValue },
    });
  });

  it('uses the given key and grants CloudWatch on it instead of creating one', () => {
    expect(all(s, 'aws_kms_key')).toHaveLength(1);
    const policy = JSON.parse(all(s, 'aws_kms_key')[0].policy as string);
    expect(policy.Statement.map((x: { Principal: { Service?: string } }) => x.Principal.Service)).toContain(
      'cloudwatch.amazonaws.com',
    );
  });

  it('uses the given endpoint reference and declares no variable of its own', () => {
    expect(all(s, 'aws_sns_topic_subscription')[0].endpoint).toBe('${var.pager_url}');
    expect(Object.keys(s.variable)).toEqual(['pager_url']);
  });
});

it('has no subscription and no variable without Opsgenie or e-mail', () => {
  const s = synth(
    (stack) =>
      new AlarmTopic(stack, 'A', {
        environment: env,
        topicName: 'a',
        kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/abc',
      }),
  );
  expect(all(s, 'aws_sns_topic_subscription')).toHaveLength(0);
  expect(s.variable).toEqual({});
  expect(all(s, 'aws_sns_topic')[0].kms_master_key_id).toBe('arn:aws:kms:eu-west-1:111111111111:key/abc');
});

describe('AlarmTopic validation', () => {
  const make = (props: Partial<ConstructorParameters<typeof AlarmTopic>[2]>) => () =>
    synth((stack) => new AlarmTopic(stack, 'A', { environment: env, topicName: 'alarms', ...props }));

  it('rejects a literal Opsgenie URL without echoing the key', () => {
    const url = 'https://api.opsgenie.com/v1/json/cloudwatch?apiKey=secret-123';
    expect(make({ opsgenie: { endpoint: url } })).toThrow(
      /test\/A: invalid opsgenie\.endpoint "https:\/\/<redacted>"\. Pass a Terraform reference .* never a literal URL: it contains an API key\. Or omit it and set TF_VAR_opsgenie_endpoint_url/,
    );
    expect(make({ opsgenie: { endpoint: url } })).not.toThrow(/secret-123/);
  });

  it('rejects a URL given as the variable name', () => {
    expect(make({ opsgenie: { variableName: 'https://api.opsgenie.com/x?apiKey=k' } })).toThrow(
      'test/A: invalid opsgenie.variableName "https://<redacted>". Use a Terraform variable name',
    );
  });

  it('rejects a bad topic name, both key kinds, and a bad e-mail', () => {
    expect(make({ topicName: 'a b' })).toThrow(
      'test/A: invalid topicName "a b". Use 1-256 letters, digits, "-" and "_".',
    );
    expect(make({ kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/x', encryptionKey: {} as EncryptionKey })).toThrow(
      /invalid kmsKeyArn .* Pass either encryptionKey or kmsKeyArn, not both\./,
    );
    expect(make({ emailAddresses: ['ops'] })).toThrow(
      'test/A: invalid emailAddresses[0] "ops". Use an e-mail address like ops@example.com.',
    );
  });
});
