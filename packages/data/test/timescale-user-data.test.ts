import { spawnSync } from 'child_process';
import { Secret, TimescaleHost, timescaleUserData, TimescaleUserDataProps } from '../src';
import { env, inNamedTest, only, synthStack } from '@tts-ecs/testing';
import { timescaleBase } from './timescale-fixture';

const inputs: TimescaleUserDataProps = {
  volumeId: 'vol-0123456789abcdef0',
  passwordSecretArn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:acme/timescale-password-AbCdEf',
  region: 'eu-west-1',
  vpcCidr: '10.10.0.0/16',
  databaseName: 'tts',
  username: 'tts',
  hostName: 'acme-prod-eu1-timescale',
};
const script = timescaleUserData(inputs);

/** Runs shellcheck on the script; fails (does not skip) when shellcheck is missing. */
function shellcheck(text: string): { status: number | null; output: string } {
  const run = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: text, encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new Error('shellcheck is not installed: run `apt-get install -y shellcheck` (or `brew install shellcheck`).');
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('timescaleUserData as a script', () => {
  it('is a bash script with strict mode and no tracing', () => {
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    expect(script).toContain('\nset -euo pipefail\n');
    expect(script).toContain('\nset +x\n');
    expect(script).not.toMatch(/set -x|bash -x/);
  });

  it('is shellcheck-clean', () => {
    const result = shellcheck(script);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('holds nothing Terraform would interpolate besides the inputs', () => {
    expect(script).not.toMatch(/\$\{|%\{/);
  });

  it('finds the data volume by its Nitro NVMe id and waits for it', () => {
    expect(script).toContain("VOLUME_ID='vol-0123456789abcdef0'");
    expect(script).toContain('device="/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_$(echo "$VOLUME_ID" | tr -d -)"');
    expect(script).toMatch(/for _ in \$\(seq 1 \d+\); do\n {2}\[ -e "\$device" \] && break\n {2}sleep/);
  });

  it('guards every mutating step (idempotent on every run and on a replacement instance)', () => {
    // File system only on a blank volume.
    expect(script).toMatch(/if ! blkid -p "\$device" [^\n]*; then\n[^\n]*\n {2}mkfs\.ext4 /);
    // One fstab line, by UUID, nofail; mount only if not mounted.
    expect(script).toMatch(
      /if ! grep -q "\^UUID=\$uuid " \/etc\/fstab; then\n {2}echo "UUID=\$uuid \$MOUNT ext4 [^"]*nofail/,
    );
    expect(script).toContain('if ! mountpoint -q "$MOUNT"; then');
    // Packages once.
    expect(script).toContain('if ! dpkg -s "timescaledb-2-postgresql-$PG_MAJOR" >/dev/null 2>&1; then');
    expect(script).toContain('if ! dpkg -s amazon-cloudwatch-agent >/dev/null 2>&1; then');
    // initdb only without PG_VERSION; adoption of an existing cluster otherwise.
    expect(script).toMatch(
      /if \[ ! -f "\$PGDATA\/PG_VERSION" \]; then\n[^\n]*\n {2}pg_createcluster [^\n]*--data-checksums/,
    );
    expect(script).toContain('elif [ ! -d "$CONF_DIR" ]; then');
    // Certificate once.
    expect(script).toMatch(/if \[ ! -f "\$TLS_DIR\/server\.key" \]; then\n[^\n]*\n {2}openssl req /);
    // Role, database and extension only if missing.
    expect(script).toContain("WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'db_user') \\gexec");
    expect(script).toContain("WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db_name') \\gexec");
    expect(script).toContain('CREATE EXTENSION IF NOT EXISTS timescaledb;');
    // The only unguarded commands that change state rewrite the same content or restart the service.
    const unguarded = script
      .split('\n')
      .filter((line) => /^(mkfs|pg_createcluster|openssl|initdb|createdb|CREATE (DATABASE|ROLE))\b/.test(line));
    expect(unguarded).toEqual([]);
  });

  it('puts PGDATA and the certificate on the data volume, with TimescaleDB, TLS and SCRAM only', () => {
    expect(script).toContain('PGDATA="$MOUNT/postgresql/$PG_MAJOR/main"');
    expect(script).toContain("MOUNT='/var/lib/timescale'");
    expect(script).toContain('TLS_DIR="$MOUNT/tls"');
    for (const setting of [
      "shared_preload_libraries = 'timescaledb'",
      "listen_addresses = '*'",
      'ssl = on',
      "password_encryption = 'scram-sha-256'",
    ])
      expect(script).toContain(`\n${setting}\n`);
    const hba = /cat >"\$CONF_DIR\/pg_hba\.conf" <<EOF\n([\s\S]*?)\nEOF/.exec(script)![1];
    expect(hba.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
      'local all postgres peer',
      'local all all peer',
      'hostssl all all $VPC_CIDR scram-sha-256',
    ]);
    expect(script).toContain("VPC_CIDR='10.10.0.0/16'");
  });

  it('reads the password from Secrets Manager at boot without printing it or passing it as an argument', () => {
    expect(script).toContain(
      'password="$(aws secretsmanager get-secret-value --region "$REGION" --secret-id "$SECRET_ARN" \\\n  --query SecretString --output text)"',
    );
    expect(script).toContain('export TIMESCALE_PASSWORD="$password"');
    expect(script).toContain('\\getenv pw TIMESCALE_PASSWORD');
    expect(script).toContain('ALTER ROLE :"db_user" WITH LOGIN PASSWORD :\'pw\';');
    // The password variables appear in no echo, log or command argument.
    for (const line of script.split('\n').filter((l) => /\$(password|TIMESCALE_PASSWORD)\b/.test(l)))
      expect(line.trim()).toMatch(/^(export TIMESCALE_PASSWORD="\$password"|if \[ -z "\$password" \]; then)$/);
  });

  it('publishes disk_used_percent of the mount with the host dimension', () => {
    expect(script).toContain('"measurement": ["used_percent"]');
    expect(script).toContain('"resources": ["$MOUNT"]');
    expect(script).toContain('"append_dimensions": { "TimescaleHost": "$HOST_NAME" }');
    expect(script).toContain("NAMESPACE='Timescale'");
    expect(script).toContain('amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s');
  });

  it('rejects inputs that would break out of a shell literal', () => {
    expect(() => timescaleUserData({ ...inputs, vpcCidr: "10.0.0.0/16'; rm -rf /" })).toThrow(
      'timescaleUserData: vpcCidr',
    );
    expect(() => timescaleUserData({ ...inputs, databaseName: 'TTS-db' })).toThrow(
      'must be a lower-case SQL identifier',
    );
    expect(() => timescaleUserData({ ...inputs, postgresMajor: 9 })).toThrow('postgresMajor 9');
  });
});

describe('TimescaleHost with bootstrap', () => {
  const base = timescaleBase;
  const stack = synthStack((s) => {
    const passwordSecret = new Secret(s, 'Password', { environment: env, name: 'acme/timescale-password' });
    new TimescaleHost(s, 'Tsdb', {
      ...base,
      privateIp: '10.10.63.250',
      bootstrap: { passwordSecret, vpcCidr: '10.10.0.0/16', alarmTopicArn: 'arn:aws:sns:eu-west-1:111111111111:t' },
    });
  });
  const resources = stack.resource;
  const instance = inNamedTest('finds the aws_instance', () => only(resources, 'aws_instance'));

  it('renders the user data with the volume and secret references, and no secret value', () => {
    const userData = String(instance.user_data);
    expect(userData).toContain("VOLUME_ID='${aws_ebs_volume.Tsdb_Data_");
    expect(userData).toMatch(/SECRET_ARN='\$\{aws_secretsmanager_secret\.Password_[^}]+\.arn\}'/);
    // Exactly the two references above are interpolated: the rest of the script is literal.
    expect(userData.match(/\$\{/g)).toHaveLength(2);
    expect(userData).not.toMatch(/random_password|ephemeral|PASSWORD=['"][^$]/);
    expect(instance.private_ip).toBe('10.10.63.250');
  });

  it('opens HTTP out as well as HTTPS (the Ubuntu archive), and still no ingress by CIDR', () => {
    const egress = Object.values(resources.aws_vpc_security_group_egress_rule);
    expect(egress.map((r) => [r.from_port, r.cidr_ipv4]).sort()).toEqual([
      [443, '0.0.0.0/0'],
      [80, '0.0.0.0/0'],
    ]);
    expect(only(resources, 'aws_vpc_security_group_ingress_rule').cidr_ipv4).toBeUndefined();
  });

  it('runs Ubuntu 24.04, the distribution the script is written for', () => {
    expect(only(resources, 'aws_launch_template').image_id).toBe(
      'resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id',
    );
  });

  it('lets the instance read that secret only, and publish metrics', () => {
    const policy = JSON.parse(String(only(resources, 'aws_iam_role_policy').policy));
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.Password_.*\.arn\}$/),
      }),
      expect.objectContaining({ Action: 'kms:Decrypt' }),
    ]);
    const managed = Object.values(resources.aws_iam_role_policy_attachment).map((r) => r.policy_arn);
    expect(managed.sort()).toEqual([
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
      'arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy',
    ]);
  });

  it('alarms at more than 80% disk use of the data volume to the topic', () => {
    expect(only(resources, 'aws_cloudwatch_metric_alarm')).toMatchObject({
      alarm_name: 'acme-prod-eu1-timescale-disk',
      comparison_operator: 'GreaterThanThreshold',
      threshold: 80,
      alarm_actions: ['arn:aws:sns:eu-west-1:111111111111:t'],
      metric_query: [
        {
          id: 'disk',
          expression: `SELECT MAX(disk_used_percent) FROM "Timescale" WHERE TimescaleHost = 'acme-prod-eu1'`,
          period: 300,
          return_data: true,
        },
      ],
    });
  });

  it('rejects bootstrap together with userData', () => {
    expect(() =>
      synthStack((s) => {
        const passwordSecret = new Secret(s, 'Password', { environment: env, name: 'acme/timescale-password' });
        new TimescaleHost(s, 'T', {
          ...base,
          userData: '#!/bin/sh',
          bootstrap: { passwordSecret, vpcCidr: '10.0.0.0/16' },
        });
      }),
    ).toThrow('Give either bootstrap (the TimescaleDB setup) or your own userData, not both.');
  });
});
