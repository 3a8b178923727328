import { Json, exampleConfig, resources, stackNamed } from './helpers';
import { fullSynth } from './full-synth';

describe('TimescaleDB host wiring (features.timescale)', () => {
  const stacks = fullSynth(
    exampleConfig((c) => {
      c.features = { ...c.features, timescale: true };
    }),
  );
  const data = stackNamed(stacks, 'acme-prod-eu1-data');
  const observability = stackNamed(stacks, 'acme-prod-eu1-observability');
  const [instance] = resources(data, 'aws_instance');
  const secrets = () => Object.fromEntries(resources(data, 'aws_secretsmanager_secret').map((s) => [s.name, s]));

  it('admits nothing on 5432 until a TTS component is configured to use it, and never a CIDR', () => {
    const group = resources(data, 'aws_security_group').find((g) => g.name === 'acme-prod-eu1-timescale-timescale')!;
    expect(group).toBeDefined();
    const groupRef = new RegExp(`aws_security_group\\.${group['//'].metadata.uniqueId}\\.id`);
    const ingress = resources(data, 'aws_vpc_security_group_ingress_rule').filter((r) =>
      groupRef.test(r.security_group_id),
    );
    expect(ingress).toEqual([]);
    expect(group.ingress).toBeUndefined();
    expect(instance.vpc_security_group_ids).toEqual([expect.stringMatching(groupRef)]);
    // Egress for packages, SSM, Secrets Manager and CloudWatch only.
    const egress = resources(data, 'aws_vpc_security_group_egress_rule').filter((r) =>
      groupRef.test(r.security_group_id),
    );
    expect(egress.map((r) => [r.from_port, r.to_port, r.cidr_ipv4]).sort()).toEqual([
      [443, 443, '0.0.0.0/0'],
      [80, 80, '0.0.0.0/0'],
    ]);
  });

  it('boots TimescaleDB on the data volume from a user data script that holds no secret', () => {
    const userData: string = instance.user_data;
    expect(userData).toMatch(/^#!\/bin\/bash\n/);
    expect(userData).toMatch(/VOLUME_ID='\$\{aws_ebs_volume\.Data_Timescale_Data_\w+\.id\}'/);
    expect(userData).toMatch(/SECRET_ARN='\$\{aws_secretsmanager_secret\.Data_TimescalePasswordSecret_\w+\.arn\}'/);
    expect(userData).toContain("VPC_CIDR='10.10.0.0/16'");
    expect(userData).toContain("DB_NAME='tts'");
    expect(userData.match(/\$\{/g)).toHaveLength(2);
    expect(userData).not.toMatch(/ephemeral|random_password/);
    expect(instance.private_ip).toMatch(/^\$\{cidrhost\("10\.10\.\d+\.\d+\/\d+", -6\)\}$/);
  });

  it('generates the password write-only into Secrets Manager and lets the instance read that secret only', () => {
    const all = secrets();
    expect(Object.keys(all)).toEqual(
      expect.arrayContaining(['acme-prod-eu1/timescale-password', 'acme-prod-eu1/timescale-uri']),
    );
    const versions = resources(data, 'aws_secretsmanager_secret_version').filter((v) =>
      /Timescale/.test(v['//'].metadata.path),
    );
    expect(versions).toHaveLength(2);
    for (const v of versions) {
      expect(v.secret_string).toBeUndefined();
      expect(v.secret_string_wo).toContain('ephemeral.aws_secretsmanager_random_password.Data_TimescalePassword');
      expect(v.secret_string_wo_version).toBe(1);
    }
    const uri = versions.find((v) => /TimescaleUri/.test(v['//'].metadata.path))!;
    expect(uri.secret_string_wo).toMatch(/^postgres:\/\/tts:\$\{urlencode\(ephemeral\.[^}]+\)\}@\$\{cidrhost\(/);
    expect(uri.secret_string_wo).toMatch(/:5432\/tts\?sslmode=require$/);
    // No random password resource (state) anywhere in the data stack.
    expect(resources(data, 'random_password')).toHaveLength(0);

    const [policy] = resources(data, 'aws_iam_role_policy').filter((p) => p.name === 'read-password');
    const statements = JSON.parse(policy.policy).Statement as Json[];
    expect(statements[0].Resource).toMatch(/aws_secretsmanager_secret\.Data_TimescalePasswordSecret_\w+\.arn/);
    expect(JSON.stringify(statements)).not.toContain('TimescaleUri');
  });

  it("alarms on the data volume's disk use to the cluster's alarm topic, by its fixed name", () => {
    const [alarm] = resources(data, 'aws_cloudwatch_metric_alarm');
    expect(alarm).toMatchObject({ threshold: 80, comparison_operator: 'GreaterThanThreshold' });
    expect(alarm.alarm_actions).toEqual(['arn:aws:sns:eu-west-1:111111111111:acme-prod-eu1-alarms']);
    expect(resources(observability, 'aws_sns_topic').map((t) => t.name)).toContain('acme-prod-eu1-alarms');
    expect(alarm.metric_query[0].expression).toBe(
      `SELECT MAX(disk_used_percent) FROM "TTS/Timescale" WHERE TimescaleHost = 'acme-prod-eu1-timescale'`,
    );
  });

  it('backs the data volume up with the cluster backup plan', () => {
    const [selection] = resources(data, 'aws_backup_selection');
    expect(selection.resources).toContainEqual(
      expect.stringMatching(/^arn:aws:ec2:eu-west-1:111111111111:volume\/\$\{aws_ebs_volume\.\w+\.id\}$/),
    );
  });
});
