import { MAX_BOOTSTRAP_BYTES, envoyContainer } from '../../src/compose/compute/envoy-services';

describe('Envoy container', () => {
  it('measures the bootstrap as the task definition carries it (escaped), and refuses one that does not fit', () => {
    // Raw JSON below the limit, but every quote is escaped inside the container definitions.
    const routes = Array.from({ length: 2200 }, (_, i) => ({ p: `/r${i}`, c: 'x' }));
    const bootstrap = { routes };
    const raw = JSON.stringify(bootstrap).length;
    expect(raw).toBeLessThan(MAX_BOOTSTRAP_BYTES);
    expect(JSON.stringify(JSON.stringify(bootstrap)).length).toBeGreaterThan(MAX_BOOTSTRAP_BYTES);
    expect(() => envoyContainer(bootstrap, [8080])).toThrow(
      /takes \d+ bytes of the task definition, more than 57344 fit/,
    );
  });

  it('passes the bootstrap on the command line and checks readiness on the loopback admin port', () => {
    const c = envoyContainer({ admin: {} }, [8080]);
    expect(c.command).toEqual(['--config-yaml', '{"admin":{}}', '--disable-hot-restart', '--log-level', 'info']);
    expect(c.healthCheck?.command.join(' ')).toContain('/dev/tcp/127.0.0.1/9901');
  });
});
