import * as fs from 'fs';
import * as path from 'path';
import { renderJsonSchema } from '../src';

const COMMITTED = path.join(__dirname, '../../../deployments/schema.json');

describe('deployments/schema.json', () => {
  const schema = JSON.parse(renderJsonSchema());

  it('is up to date with the zod schema (regenerate with `pnpm tts-ecs schema`)', () => {
    expect(fs.readFileSync(COMMITTED, 'utf8')).toBe(renderJsonSchema());
  });

  it('rejects unknown keys and documents fields for editors', () => {
    expect(schema.additionalProperties).toBe(false);
    // Required of a file without "extends" (one that extends a base may leave out what the base sets).
    expect(schema.if).toEqual({ not: { required: ['extends'] } });
    expect(schema.then.required).toEqual(
      expect.arrayContaining(['prefix', 'environment', 'domain', 'clusters', 'tts']),
    );
    expect(schema.properties.features.required ?? []).not.toContain('bastion');
    expect(schema.properties.clusters.items.properties.natMode.description).toMatch(/per-az/);
  });
});
