import * as fs from 'fs';
import * as path from 'path';
import { COMPONENTS, Edition, SOURCES, runtimeContractOf } from '../src';

const DOC = fs.readFileSync(path.join(__dirname, '../../../docs/layers-compute.md'), 'utf8');
const EDITIONS: Edition[] = ['enterprise', 'open-source'];

describe('the runtime contract as data', () => {
  const contracts = EDITIONS.flatMap((edition) =>
    COMPONENTS.filter((c) => c.editions.includes(edition)).flatMap((c) =>
      (['primary', 'secondary'] as const).flatMap((role) =>
        [true, false].map((interop) =>
          runtimeContractOf(c.id, {
            edition,
            role,
            interop,
            timescale: true,
            served: new Set(COMPONENTS.map((x) => x.id)),
            defaultTenantId: 'default',
          }),
        ),
      ),
    ),
  );

  it('names a known source for every row', () => {
    for (const c of contracts) {
      for (const row of [...c.listeners, ...c.required, ...c.blobFiles, c.healthCheck])
        expect([c.component, row.source in SOURCES]).toEqual([c.component, true]);
    }
  });

  it('switches off every TLS listener it names, and only TLS listeners are empty', () => {
    for (const c of contracts) {
      for (const l of c.listeners) {
        if (l.key.endsWith('.listen-tls')) expect([c.component, l.key, l.value]).toEqual([c.component, l.key, '']);
      }
      expect(c.listeners.some((l) => l.key === 'grpc.listen-tls')).toBe(true);
    }
  });

  it('is what docs/layers-compute.md tells operators ("What each component needs to start")', () => {
    const keys = new Set(contracts.flatMap((c) => [...c.listeners, ...c.required].map((r) => r.key)));
    const missing = [...keys].filter((k) => !DOC.includes(k.replace(/\.listen-tls$/, '')));
    expect(missing).toEqual([]);
    for (const c of contracts) for (const f of c.blobFiles) expect(DOC).toContain(f.file);
  });
});
