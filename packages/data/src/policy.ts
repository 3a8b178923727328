/**
 * One IAM policy statement in JSON form. Returned by the `*Statements()` helpers so callers can attach them to any role
 * policy (inline, managed, or an aws_iam_policy_document) without writing ARNs by hand.
 */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Record<string, string | string[]>;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** Renders statements as a policy document string. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
