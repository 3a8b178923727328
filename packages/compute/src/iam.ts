/** One IAM policy statement, in IAM JSON form. Resources are concrete ARNs (or Terraform references that resolve to them). */
export interface PolicyStatement {
  /** Statement id; letters and digits only. @default none */
  readonly Sid?: string;
  /** @default 'Allow' */
  readonly Effect?: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: string | string[];
  /** @default no condition */
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** Renders statements as an IAM policy document (JSON string). */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({ Effect: 'Allow', ...s })),
  });
}

/**
 * Trust policy for an AWS service principal, limited to callers from `sourceAccount` so another account's
 * resource cannot make the service assume the role (confused deputy).
 */
export function assumeRolePolicy(servicePrincipal: string, sourceAccount?: string): string {
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

/** IAM name prefixes are limited to 38 characters; keep the readable start of the name and our suffix. */
export function rolePrefix(base: string, suffix: string): string {
  return `${base.slice(0, 37 - suffix.length)}${suffix}`;
}
