import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, DeploymentConfigInput, parseDeploymentConfig } from '../src';

export const EXAMPLE = path.join(__dirname, '../../../deployments/example.json');

/** A fresh copy of deployments/example.json, as the user wrote it. */
export function validInput(): DeploymentConfigInput & Record<string, unknown> {
  return JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
}

/** Parses a mutated copy of the example and returns the error message (fails the test if it parses). */
export function errorOf(mutate: (config: ReturnType<typeof validInput>) => void): string {
  const input = validInput();
  mutate(input);
  try {
    parseDeploymentConfig(input, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}
