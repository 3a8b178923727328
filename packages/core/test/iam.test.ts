import { assumeRolePolicy, policyDocument } from '../src';

describe('policyDocument', () => {
  const doc = JSON.parse(
    policyDocument([
      { Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
      { Sid: 'DenyHttp', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b' },
    ]),
  );

  it('uses the current policy language version', () => {
    expect(doc.Version).toBe('2012-10-17');
  });

  it('allows when a statement names no Effect', () => {
    expect(doc.Statement[0]).toEqual({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
  });

  it('keeps an explicit Effect and the statement as given', () => {
    expect(doc.Statement[1]).toEqual({
      Sid: 'DenyHttp',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: 'arn:aws:s3:::b',
    });
  });
});

describe('assumeRolePolicy', () => {
  it('trusts the service principal only', () => {
    expect(JSON.parse(assumeRolePolicy('ec2.amazonaws.com')).Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
  });

  it('limits the caller to the source account when given (confused deputy)', () => {
    expect(JSON.parse(assumeRolePolicy('scheduler.amazonaws.com', '111111111111')).Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '111111111111' },
    });
  });
});
