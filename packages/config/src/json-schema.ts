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
  return `${JSON.stringify({ ...withExtends(schema), title: 'tts-ecs deployment config' }, null, 2)}\n`;
}

/**
 * The schema with `extends` (loader-only: the zod schema never sees it) and, as the loader validates only the merge of a
 * chain, the required fields of objects that merge asked for only of a file without `extends`: a file that extends a
 * base may leave out whatever the base sets. Entries of arrays other than `clusters` are never merged, so their
 * fields stay required; a cluster of an extending file needs only its `id` (the cluster it merges into).
 */
function withExtends(schema: JsonObject): JsonObject {
  const { $schema: schemaKey, ...rest } = schema.properties as JsonObject;
  const properties = {
    $schema: schemaKey,
    extends: {
      type: 'string',
      minLength: 1,
      description:
        'Path of a base config this file extends, relative to this file, e.g. "./base.json". The merge is validated as ' +
        "one config: objects merge key by key, clusters by id, other arrays and values replace the base's.",
    },
    ...rest,
  };
  const required = liftRequired({ ...schema, properties }, []);
  return {
    ...required.node,
    if: { not: { required: ['extends'] } },
    then: required.lifted ?? {},
  };
}

/**
 * `node` without the `required` of every object a chain merges (the root, nested objects, the entries of `clusters`
 * but for `id`), and those `required` lists alone in the same shape.
 */
function liftRequired(node: JsonObject, path: readonly string[]): { node: JsonObject; lifted?: JsonObject } {
  const copy: JsonObject = { ...node };
  const lifted: JsonObject = {};
  if (Array.isArray(node.required)) {
    const isCluster = path.join('/') === 'clusters/items';
    const always = isCluster ? ['id'] : [];
    lifted.required = (node.required as string[]).filter((k) => !always.includes(k));
    if (always.length > 0) copy.required = always;
    else delete copy.required;
  }
  if (node.properties) {
    const properties: JsonObject = {};
    const liftedProperties: JsonObject = {};
    for (const [key, child] of Object.entries(node.properties as JsonObject)) {
      const below = liftRequired(child as JsonObject, [...path, key]);
      properties[key] = below.node;
      if (below.lifted) liftedProperties[key] = below.lifted;
    }
    copy.properties = properties;
    if (Object.keys(liftedProperties).length > 0) lifted.properties = liftedProperties;
  }
  if (path.join('/') === 'clusters' && node.items) {
    const below = liftRequired(node.items as JsonObject, [...path, 'items']);
    copy.items = below.node;
    if (below.lifted) lifted.items = below.lifted;
  }
  return { node: copy, lifted: Object.keys(lifted).length > 0 ? lifted : undefined };
}
