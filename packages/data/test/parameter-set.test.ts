import { ParameterSet } from '../src';
import { env, synth } from '@tts-ecs/testing';

describe('ParameterSet', () => {
  let set!: ParameterSet;
  const resources = synth((stack) => {
    set = new ParameterSet(stack, 'Config', {
      environment: env,
      pathPrefix: '/acme/prod/eu1/',
      parameters: { 'rate-limiting/config': 'profiles: []', 'ns/dev-addr-prefixes': ['26000000/7', '27000000/7'] },
    });
  });
  const params = () => Object.values(resources.aws_ssm_parameter);

  it('creates String and StringList parameters under the prefix, never SecureString', () => {
    expect(params()).toHaveLength(2);
    expect(params()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: '/acme/prod/eu1/rate-limiting/config',
          type: 'String',
          value: 'profiles: []',
          tier: 'Standard',
        }),
        expect.objectContaining({
          name: '/acme/prod/eu1/ns/dev-addr-prefixes',
          type: 'StringList',
          value: '26000000/7,27000000/7',
        }),
      ]),
    );
  });

  it('exposes each ARN and read statements scoped to the path', () => {
    expect(set.parameterArns['rate-limiting/config']).toBe(
      'arn:aws:ssm:eu-west-1:111111111111:parameter/acme/prod/eu1/rate-limiting/config',
    );
    expect(set.readStatements()[0].Resource).toEqual([
      'arn:aws:ssm:eu-west-1:111111111111:parameter/acme/prod/eu1/*',
      'arn:aws:ssm:eu-west-1:111111111111:parameter/acme/prod/eu1',
    ]);
  });
});

describe('ParameterSet validation', () => {
  const make =
    (pathPrefix: string, parameters: Record<string, string | string[]> = {}) =>
    () =>
      synth((s) => new ParameterSet(s, 'P', { environment: env, pathPrefix, parameters }));

  it('rejects prefixes without slashes or in reserved namespaces', () => {
    expect(make('acme/prod')).toThrow('test/P: invalid pathPrefix "acme/prod". Use a path like "/acme/prod/eu1/"');
    expect(make('/aws/x/')).toThrow('test/P: invalid pathPrefix "/aws/x/".');
  });

  it('rejects bad names, empty values and commas in list items', () => {
    expect(make('/a/', { '/abs': 'x' })).toThrow(
      'test/P: invalid parameters "/abs". Name parameters relative to the prefix',
    );
    expect(make('/a/', { x: '' })).toThrow('test/P: invalid parameters.x "". Values must be 1-4096 characters');
    expect(make('/a/', { x: ['a,b'] })).toThrow(
      'test/P: invalid parameters.x "a,b". StringList items must be non-empty and contain no commas.',
    );
  });
});
