import { Token } from 'cdktf';

/** Inputs of {@link timescaleUserData}. Values may be Terraform tokens (resolved when Terraform renders user_data). */
export interface TimescaleUserDataProps {
  /** EBS volume id of the data volume, e.g. `vol-0123456789abcdef0`. */
  readonly volumeId: string;
  /** ARN of the Secrets Manager secret holding the application user's password (a plain string). */
  readonly passwordSecretArn: string;
  /** Region of the secret and of the CloudWatch metrics. */
  readonly region: string;
  /** CIDR admitted by pg_hba (`hostssl ... scram-sha-256`); the security group narrows it to the client groups. */
  readonly vpcCidr: string;
  /** Database to create (with the `timescaledb` extension). */
  readonly databaseName: string;
  /** Application user (owner of the database), whose password is read from `passwordSecretArn`. */
  readonly username: string;
  /** Value of the `TimescaleHost` dimension of the disk metric (and the certificate's common name). */
  readonly hostName: string;
  /** PostgreSQL major version. @default 17 */
  readonly postgresMajor?: number;
  /** CloudWatch namespace of the disk metric. @default 'Timescale' */
  readonly metricNamespace?: string;
  /** Mount point of the data volume. @default '/var/lib/timescale' */
  readonly mountPath?: string;
}

/** Default CloudWatch namespace of the disk metric the CloudWatch agent publishes. */
export const TIMESCALE_METRIC_NAMESPACE = 'Timescale';
/** Default mount point of the data volume. */
export const TIMESCALE_MOUNT_PATH = '/var/lib/timescale';

const SAFE = /^[A-Za-z0-9_./:@+,=-]*$/;

function quote(field: string, value: string): string {
  if (!Token.isUnresolved(value) && !SAFE.test(value))
    throw new Error(
      `timescaleUserData: ${field} ${JSON.stringify(value)} has characters a shell literal must not hold.`,
    );
  return `'${value}'`;
}

/**
 * The user data of a {@link TimescaleHost} on Ubuntu 24.04 (bash). cloud-init runs it as root once per instance (first
 * boot of a new or replacement instance); every step is guarded, so it may be run again at any time
 * (`sudo bash /var/lib/cloud/instance/user-data.txt`) and finds an existing data volume intact:
 *
 * 1. waits for the data volume at its Nitro NVMe name (`/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol…`),
 *    creates an ext4 file system only if `blkid` finds none, mounts it by UUID through /etc/fstab (`nofail`);
 * 2. installs PostgreSQL and TimescaleDB from the PostgreSQL (PGDG) and Timescale apt repositories, as documented
 *    for Ubuntu at https://docs.timescale.com/self-hosted/latest/install/installation-linux/ (no main cluster is
 *    created on the root volume);
 * 3. creates the cluster on the data volume only if `PG_VERSION` is absent (adopts it on a replacement instance),
 *    generates a self-signed TLS certificate once onto the data volume, and writes the settings (TimescaleDB preloaded,
 *    SSL on, SCRAM) and a pg_hba.conf admitting only `hostssl` with SCRAM from the VPC;
 * 4. reads the password from Secrets Manager with the AWS CLI (instance role credentials through IMDSv2), never
 *    printing it, and creates the user, the database and the extension if they do not exist;
 * 5. installs the CloudWatch agent publishing `disk_used_percent` of the mount (namespace `metricNamespace`).
 *
 * The script holds no secret: only the secret's ARN. It contains no `${` or `%{`, so Terraform does not interpolate
 * anything in it besides the tokens of the inputs.
 */
export function timescaleUserData(props: TimescaleUserDataProps): string {
  const pg = props.postgresMajor ?? 17;
  if (!Number.isInteger(pg) || pg < 15 || pg > 18)
    throw new Error(
      `timescaleUserData: postgresMajor ${pg} is not a PostgreSQL major version 15-18 (psql \\getenv needs 15).`,
    );
  const mount = props.mountPath ?? TIMESCALE_MOUNT_PATH;
  if (!/^\/[a-z0-9/_-]+$/.test(mount)) throw new Error(`timescaleUserData: mountPath ${JSON.stringify(mount)}.`);
  for (const [field, value] of [
    ['databaseName', props.databaseName],
    ['username', props.username],
  ] as const) {
    if (!Token.isUnresolved(value) && !/^[a-z_][a-z0-9_]{0,62}$/.test(value))
      throw new Error(`timescaleUserData: ${field} ${JSON.stringify(value)} must be a lower-case SQL identifier.`);
  }
  const head = [
    '#!/bin/bash',
    '# TimescaleDB host bootstrap, rendered by timescaleUserData (@tts-ecs/data). Idempotent: see the steps below.',
    'set -euo pipefail',
    '# Never trace: this script handles the database password.',
    'set +x',
    '',
    `VOLUME_ID=${quote('volumeId', props.volumeId)}`,
    `SECRET_ARN=${quote('passwordSecretArn', props.passwordSecretArn)}`,
    `REGION=${quote('region', props.region)}`,
    `VPC_CIDR=${quote('vpcCidr', props.vpcCidr)}`,
    `DB_NAME=${quote('databaseName', props.databaseName)}`,
    `DB_USER=${quote('username', props.username)}`,
    `HOST_NAME=${quote('hostName', props.hostName)}`,
    `PG_MAJOR='${pg}'`,
    `MOUNT='${mount}'`,
    `NAMESPACE='${props.metricNamespace ?? TIMESCALE_METRIC_NAMESPACE}'`,
  ];
  return [...head, BODY].join('\n');
}

// No "${" or "%{" below: Terraform would read them as interpolation in user_data.
const BODY = String.raw`
PGDATA="$MOUNT/postgresql/$PG_MAJOR/main"
TLS_DIR="$MOUNT/tls"
CONF_DIR="/etc/postgresql/$PG_MAJOR/main"
CLUSTER="$PG_MAJOR-main"
export DEBIAN_FRONTEND=noninteractive
PATH="$PATH:/snap/bin"
APT_LOCK='DPkg::Lock::Timeout=600'
cd /

log() { echo "timescale-bootstrap: $*"; }

# 1. Data volume: Nitro exposes EBS volumes as NVMe devices named after the volume id (without the dash).
device="/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_$(echo "$VOLUME_ID" | tr -d -)"
for _ in $(seq 1 120); do
  [ -e "$device" ] && break
  sleep 5
done
if [ ! -e "$device" ]; then
  log "data volume $VOLUME_ID did not appear at $device"
  exit 1
fi
# Guard: make a file system only on a blank volume (blkid -p exits 2 when it finds no signature).
if ! blkid -p "$device" >/dev/null 2>&1; then
  log "creating an ext4 file system on $VOLUME_ID"
  mkfs.ext4 -q -L tsdata "$device"
fi
uuid="$(blkid -p -s UUID -o value "$device")"
if [ -z "$uuid" ]; then
  log "no file system UUID on $device"
  exit 1
fi
mkdir -p "$MOUNT"
# Guard: one fstab line per volume, by UUID; nofail keeps the instance booting without it.
if ! grep -q "^UUID=$uuid " /etc/fstab; then
  echo "UUID=$uuid $MOUNT ext4 defaults,noatime,nofail,x-systemd.device-timeout=5min 0 2" >>/etc/fstab
fi
if ! mountpoint -q "$MOUNT"; then
  systemctl daemon-reload
  mount "$MOUNT"
fi

# 2. Packages (guard: only until TimescaleDB is installed). Source:
# https://docs.timescale.com/self-hosted/latest/install/installation-linux/ (Ubuntu: PGDG repository, Timescale
# packagecloud repository, timescaledb-2-postgresql-<major>), https://www.postgresql.org/download/linux/ubuntu/
if ! dpkg -s "timescaledb-2-postgresql-$PG_MAJOR" >/dev/null 2>&1; then
  apt-get -o "$APT_LOCK" update -q
  apt-get -o "$APT_LOCK" install -y -q gnupg postgresql-common apt-transport-https lsb-release curl ca-certificates
  # The cluster belongs on the data volume: no main cluster on the root volume when the server package installs.
  sed -i -E 's/^#?[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' \
    /etc/postgresql-common/createcluster.conf
  codename="$(lsb_release -cs)"
  install -d /usr/share/postgresql-common/pgdg
  curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc
  echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt $codename-pgdg main" \
    >/etc/apt/sources.list.d/pgdg.list
  curl -fsSL https://packagecloud.io/timescale/timescaledb/gpgkey | gpg --dearmor --yes -o /usr/share/keyrings/timescaledb.gpg
  echo "deb [signed-by=/usr/share/keyrings/timescaledb.gpg] https://packagecloud.io/timescale/timescaledb/ubuntu/ $codename main" \
    >/etc/apt/sources.list.d/timescaledb.list
  apt-get -o "$APT_LOCK" update -q
  apt-get -o "$APT_LOCK" install -y -q "postgresql-$PG_MAJOR" "postgresql-client-$PG_MAJOR" "timescaledb-2-postgresql-$PG_MAJOR"
fi
if ! command -v aws >/dev/null 2>&1; then
  snap wait system seed.loaded
  snap install aws-cli --classic
fi

# 3. Cluster on the data volume. Guard: initdb only if PG_VERSION is absent; a replacement instance adopts the
# existing cluster (pg_createcluster moves the configuration copies kept in PGDATA to CONF_DIR).
install -d -o postgres -g postgres -m 0700 "$MOUNT/postgresql" "$MOUNT/postgresql/$PG_MAJOR"
if [ ! -f "$PGDATA/PG_VERSION" ]; then
  log "initialising the cluster in $PGDATA"
  pg_createcluster "$PG_MAJOR" main -d "$PGDATA" -- --auth-local=peer --auth-host=scram-sha-256 --data-checksums
elif [ ! -d "$CONF_DIR" ]; then
  log "adopting the existing cluster in $PGDATA"
  # The postgres uid of a new instance may differ from the one that wrote the volume.
  chown -R postgres:postgres "$MOUNT/postgresql"
  pg_createcluster "$PG_MAJOR" main -d "$PGDATA"
fi
# Guard: the self-signed certificate is generated once and kept on the data volume.
if [ ! -f "$TLS_DIR/server.key" ]; then
  install -d -o postgres -g postgres -m 0700 "$TLS_DIR"
  openssl req -new -x509 -nodes -days 3650 -newkey rsa:2048 -subj "/CN=$HOST_NAME" \
    -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.crt" 2>/dev/null
  chmod 0600 "$TLS_DIR/server.key"
fi
chown -R postgres:postgres "$TLS_DIR"
# Written whole on every run (same content, same result).
install -d -o postgres -g postgres "$CONF_DIR/conf.d"
cat >"$CONF_DIR/conf.d/50-timescale.conf" <<EOF
shared_preload_libraries = 'timescaledb'
listen_addresses = '*'
ssl = on
ssl_cert_file = '$TLS_DIR/server.crt'
ssl_key_file = '$TLS_DIR/server.key'
password_encryption = 'scram-sha-256'
EOF
cat >"$CONF_DIR/pg_hba.conf" <<EOF
# Managed by the TimescaleDB host bootstrap: local administration by peer, clients only over TLS with SCRAM.
local all postgres peer
local all all peer
hostssl all all $VPC_CIDR scram-sha-256
EOF
chown postgres:postgres "$CONF_DIR/conf.d/50-timescale.conf" "$CONF_DIR/pg_hba.conf"
# Copies for adoption by a replacement instance (the server reads CONF_DIR, not these).
install -o postgres -g postgres -m 0600 "$CONF_DIR/postgresql.conf" "$CONF_DIR/pg_hba.conf" "$CONF_DIR/pg_ident.conf" \
  "$PGDATA/"
systemctl enable "postgresql@$CLUSTER"
systemctl restart "postgresql@$CLUSTER"
for _ in $(seq 1 60); do
  pg_isready -q && break
  sleep 2
done

# 4. User, database and extension. The password travels in the environment of psql (readable only by root and the
# postgres user), never on a command line, in a file or in the output.
password="$(aws secretsmanager get-secret-value --region "$REGION" --secret-id "$SECRET_ARN" \
  --query SecretString --output text)"
if [ -z "$password" ]; then
  log "the secret $SECRET_ARN has no value"
  exit 1
fi
export TIMESCALE_PASSWORD="$password"
unset password
runuser -u postgres -- psql -q -X -v ON_ERROR_STOP=1 -v db_user="$DB_USER" -v db_name="$DB_NAME" -d postgres <<'SQL'
\getenv pw TIMESCALE_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'db_user')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'db_user') \gexec
ALTER ROLE :"db_user" WITH LOGIN PASSWORD :'pw';
SELECT format('CREATE DATABASE %I OWNER %I', :'db_name', :'db_user')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db_name') \gexec
\connect :db_name
CREATE EXTENSION IF NOT EXISTS timescaledb;
SQL
unset TIMESCALE_PASSWORD

# 5. CloudWatch agent: disk_used_percent of the data volume, for the disk alarm (guard: install once).
if ! dpkg -s amazon-cloudwatch-agent >/dev/null 2>&1; then
  arch="$(dpkg --print-architecture)"
  curl -fsSL -o /tmp/amazon-cloudwatch-agent.deb \
    "https://amazoncloudwatch-agent.s3.amazonaws.com/ubuntu/$arch/latest/amazon-cloudwatch-agent.deb"
  dpkg -i -E /tmp/amazon-cloudwatch-agent.deb
  rm -f /tmp/amazon-cloudwatch-agent.deb
fi
cat >/opt/aws/amazon-cloudwatch-agent/etc/timescale.json <<EOF
{
  "agent": { "metrics_collection_interval": 60, "region": "$REGION" },
  "metrics": {
    "namespace": "$NAMESPACE",
    "metrics_collected": {
      "disk": {
        "measurement": ["used_percent"],
        "resources": ["$MOUNT"],
        "drop_device": true,
        "append_dimensions": { "TimescaleHost": "$HOST_NAME" }
      }
    }
  }
}
EOF
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \
  -c file:/opt/aws/amazon-cloudwatch-agent/etc/timescale.json
log "done"
`;
