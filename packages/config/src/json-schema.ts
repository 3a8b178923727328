import { z } from 'zod';
import { deploymentConfigSchema } from './schema';

type JsonObject = Record<string, unknown>;

/**
 * The JSON Schema of the deployment config (what users write: defaults optional), for editor completion.
 * `deployments/schema.json` is this text; a test fails when the committed file drifts from the schema.
 */
export function renderJsonSchema(): string {
  const schema = z.toJSONSchema(deploymentConfigSchema, { io: 'input', target: 'draft-7' }) as JsonObject;
  // The cluster checks the loader makes in its rules (with messages that name the found count, the network address,
  // the subnet layout), said here too as far as JSON Schema can, so an editor flags what synth will reject.
  const cluster = ((schema.properties as JsonObject).clusters as JsonObject).items as JsonObject;
  const fields = cluster.properties as JsonObject;
  fields.availabilityZones = {
    ...(fields.availabilityZones as JsonObject),
    minItems: 2,
    maxItems: 3,
    uniqueItems: true,
    items: { type: 'string', pattern: '^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d[a-z]$' },
  };
  fields.vpcCidr = {
    ...(fields.vpcCidr as JsonObject),
    pattern: '^(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}/(1[6-9]|2[0-3])$',
  };
  return `${JSON.stringify({ ...schema, title: 'tts-ecs deployment config' }, null, 2)}\n`;
}
