/**
 * One IAM policy statement in IAM JSON form. Resources are concrete ARNs (or Terraform references that resolve to
 * them). Constructs return these from their `*Statements()` helpers so callers can attach them to any policy (role,
 * bucket, key, file system) without writing ARNs by hand.
 */
export interface PolicyStatement {
  /** Statement id; letters and digits only. @default none */
  readonly Sid?: string;
  /** @default 'Allow' (added by {@link policyDocument}) */
  readonly Effect?: 'Allow' | 'Deny';
  /** Who the statement applies to; only in resource policies (bucket, key, file system). @default none */
  readonly Principal?: '*' | Record<string, string | string[]>;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  /** Condition operator -> condition key -> value(s). @default no condition */
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/**
 * Renders statements as an IAM policy document (JSON string). A statement without `Effect` gets `"Effect": "Allow"`
 * (as its first key); one with an `Effect` is rendered as given.
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => (s.Effect === undefined ? { Effect: 'Allow', ...s } : s)),
  });
}

/**
 * Trust policy for an AWS service principal. With `sourceAccount`, only callers from that account can make the service
 * assume the role, so another account's resource cannot use it (confused deputy).
 */
export function assumeRolePolicy(servicePrincipal: string, sourceAccount?: string): string {
  // Trust statements have no Resource, so they are not PolicyStatements.
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: servicePrincipal },
        Action: 'sts:AssumeRole',
        ...(sourceAccount ? { Condition: { StringEquals: { 'aws:SourceAccount': sourceAccount } } } : {}),
      },
    ],
  });
}
