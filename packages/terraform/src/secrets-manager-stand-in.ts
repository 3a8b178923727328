import * as http from 'http';
import { randomInt } from 'crypto';

/**
 * A local stand-in for the one Secrets Manager call an offline plan makes: `GetRandomPassword`, which the AWS
 * provider sends when it opens an `ephemeral "aws_secretsmanager_random_password"` block (during plan too). The
 * verify harness points the provider here through `AWS_ENDPOINT_URL_SECRETS_MANAGER` (overrides.ts). It honours the
 * request like the service does (length, excluded character types and characters, one of each included type) so
 * that consumers validating the value (e.g. ElastiCache AUTH token rules) see a realistic one. Any other call is
 * refused with an error naming it, so a stack that needs more of Secrets Manager fails its offline plan visibly
 * instead of passing on fakes.
 */
export interface SecretsManagerStandIn {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
  readonly url: string;
  /** Calls served so far, by `X-Amz-Target` (e.g. `secretsmanager.GetRandomPassword`). */
  readonly calls: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

// Character classes of the GetRandomPassword API reference (Secrets Manager).
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** The request fields we honour (the service's names and defaults). */
export interface RandomPasswordRequest {
  readonly PasswordLength?: number;
  readonly ExcludeCharacters?: string;
  readonly ExcludeNumbers?: boolean;
  readonly ExcludePunctuation?: boolean;
  readonly ExcludeUppercase?: boolean;
  readonly ExcludeLowercase?: boolean;
  readonly IncludeSpace?: boolean;
  readonly RequireEachIncludedType?: boolean;
}

/** A password as GetRandomPassword would return it for `request` (length 32 and every type by default). */
export function randomPassword(request: RandomPasswordRequest): string {
  const length = request.PasswordLength ?? 32;
  if (!Number.isInteger(length) || length < 1 || length > 4096)
    throw new Error(`PasswordLength must be 1-4096, got ${length}`);
  const excluded = new Set(request.ExcludeCharacters ?? '');
  const classes = [
    request.ExcludeLowercase ? '' : LOWER,
    request.ExcludeUppercase ? '' : UPPER,
    request.ExcludeNumbers ? '' : DIGITS,
    request.ExcludePunctuation ? '' : PUNCTUATION,
    request.IncludeSpace ? ' ' : '',
  ]
    .map((chars) => [...chars].filter((c) => !excluded.has(c)).join(''))
    .filter((chars) => chars.length > 0);
  const all = classes.join('');
  if (all.length === 0) throw new Error('the request excludes every character');
  const pick = (chars: string) => chars[randomInt(chars.length)];
  const required = (request.RequireEachIncludedType ?? true) ? classes.map(pick) : [];
  if (required.length > length) throw new Error(`PasswordLength ${length} is shorter than the required types`);
  const chars = [...required, ...Array.from({ length: length - required.length }, () => pick(all))];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

/** Starts the stand-in on a free port of 127.0.0.1. */
export async function startSecretsManagerStandIn(): Promise<SecretsManagerStandIn> {
  const calls = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      calls.set(target, (calls.get(target) ?? 0) + 1);
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      if (target !== 'secretsmanager.GetRandomPassword') {
        reply(400, {
          __type: 'InvalidRequestException',
          message: `tts-ecs offline stand-in: ${target || 'this request'} is not available offline (only GetRandomPassword)`,
        });
        return;
      }
      try {
        reply(200, { RandomPassword: randomPassword(JSON.parse(body || '{}') as RandomPasswordRequest) });
      } catch (error) {
        reply(400, { __type: 'InvalidParameterException', message: (error as Error).message });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
