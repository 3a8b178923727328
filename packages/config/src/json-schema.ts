import { z } from 'zod';
import { deploymentConfigSchema } from './schema';

/**
 * The JSON Schema of the deployment config (what users write: defaults optional), for editor completion.
 * `deployments/schema.json` is this text; a test fails when the committed file drifts from the schema.
 */
export function renderJsonSchema(): string {
  const schema = z.toJSONSchema(deploymentConfigSchema, { io: 'input', target: 'draft-7' });
  return `${JSON.stringify({ ...schema, title: 'tts-ecs deployment config' }, null, 2)}\n`;
}
