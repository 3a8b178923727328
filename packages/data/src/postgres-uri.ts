import { Fn, Token } from 'cdktf';

export interface PostgresUriParts {
  readonly username: string;
  /** Password (usually a token); URL-encoded in the result. */
  readonly password: string;
  readonly host: string;
  /** @default 5432 */
  readonly port?: number | string;
  readonly database: string;
  /**
   * libpq sslmode. `require` encrypts; `verify-full` also checks the server certificate (needs the RDS CA bundle).
   * @default 'require'
   */
  readonly sslMode?: 'require' | 'verify-ca' | 'verify-full';
}

/**
 * Builds `postgres://user:pass@host:5432/db?sslmode=require`. The result contains the password: store it in a secret
 * (e.g. a `Secret` with a JSON or string value), never in an environment variable or an output.
 */
export function postgresUri(parts: PostgresUriParts): string {
  const encode = (value: string) => (Token.isUnresolved(value) ? Fn.urlencode(value) : encodeURIComponent(value));
  const port = parts.port ?? 5432;
  return `postgres://${encode(parts.username)}:${encode(parts.password)}@${parts.host}:${port}/${encode(parts.database)}?sslmode=${parts.sslMode ?? 'require'}`;
}
