import * as fs from 'fs';
import * as path from 'path';
import { parseDeploymentConfig } from '@tts-ecs/config';
import { inNamedTest } from '@tts-ecs/testing';
import { fullSynth } from './full-synth';
import { Json } from './helpers';
import { Call, SecurityGraph, buildSecurityGraph, formatCall } from './security-graph';

/**
 * Reachability from the synthesized Terraform JSON (cross-stack references resolved like the real CLI): every call a
 * workload is configured to make (TTS cluster peers, Redis, the database, the router's and the IS proxy's upstreams,
 * Prometheus's scrape targets and EFS, NLB targets and health checks) is allowed by the security groups, and no
 * ingress rule opens anything that no configured call uses. Model and call derivation: security-graph.ts.
 */

function deploymentConfig(name: string) {
  const file = path.join(__dirname, `../../../../deployments/${name}.json`);
  return parseDeploymentConfig(JSON.parse(fs.readFileSync(file, 'utf8')), `${name}.json`);
}

const denied = (g: SecurityGraph): string[] =>
  g.calls.filter((c) => !g.check(c).allowed).map((c) => `${formatCall(c)}: ${g.check(c).why}`);

const unjustified = (g: SecurityGraph): string[] =>
  g
    .ingressRules()
    .filter((r) => g.callsAdmittedBy(r).length === 0)
    .map((r) => g.describe(r));

const callsOf = (g: SecurityGraph, from: string, to: string, port: number): Call[] =>
  g.calls.filter((c) => c.from === from && c.to === to && c.port === port);

describe.each(['example', 'all-features'])('security groups of deployments/%s.json', (name) => {
  const config = deploymentConfig(name);
  const stacks = fullSynth(config); // the one synth of this config in this file
  const graph = inNamedTest('builds the security graph', () => buildSecurityGraph(stacks));
  const primary = config.clusters.find((c) => c.role === 'primary')!.id;
  const secondaries = config.clusters.filter((c) => c.role === 'secondary').map((c) => c.id);

  it('models the primary and at least one secondary, with every kind of workload', () => {
    expect(primary).toBe('eu1');
    expect(secondaries.length).toBeGreaterThanOrEqual(1);
    const ids = [...graph.workloads.keys()];
    for (const id of [
      `${primary}/is`,
      `${primary}/router`,
      `${primary}/ops`,
      `${primary}/aurora`,
      `${primary}/redis-general`,
      `${primary}/nlb`,
      `${primary}/prometheus`,
      `${primary}/efs-prometheus`,
    ]) {
      expect(ids).toContain(id);
    }
    for (const s of secondaries) {
      expect(ids).toEqual(expect.arrayContaining([`${s}/is-proxy`, `${s}/router`, `${s}/ops`, `${s}/redis-general`]));
      expect(ids).not.toContain(`${s}/is`);
      expect(ids).not.toContain(`${s}/aurora`);
    }
    if (config.features.timescale) expect(ids).toContain(`${primary}/timescale-timescale`);
    // Every workload carries at least one security group, and its interfaces have addresses.
    for (const w of graph.workloads.values()) {
      if (w.kind === 'internet') continue;
      expect([w.id, w.securityGroups.length > 0, w.cidrs.length > 0]).toEqual([w.id, true, true]);
    }
  });

  it('derives the calls from the configuration and resolves every address in it', () => {
    expect(graph.unresolved).toEqual([]);
    const tts = [...graph.workloads.values()].filter(
      (w) => w.kind === 'ecs-service' && !['router', 'is-proxy', 'prometheus'].includes(w.id.split('/')[1]),
    );
    expect(tts.length).toBeGreaterThan(10);
    for (const w of tts) {
      const is = w.cluster === primary ? `${primary}/is` : `${w.cluster}/is-proxy`;
      // TTN_LW_CLUSTER_IDENTITY_SERVER, TTN_LW_REDIS_ADDRESS, a scrape job and the router's upstreams.
      expect([w.id, callsOf(graph, w.id, is, 1884).length]).toEqual([w.id, 1]);
      expect(callsOf(graph, w.id, `${w.cluster}/redis-general`, 6379).length).toBeGreaterThan(0);
      expect(callsOf(graph, `${w.cluster}/prometheus`, w.id, 1885)).toHaveLength(1);
      expect(callsOf(graph, `${w.cluster}/router`, w.id, 1885)).toHaveLength(1);
    }
    expect(callsOf(graph, `${primary}/is`, `${primary}/aurora`, 5432)).toHaveLength(1);
    expect(callsOf(graph, `${primary}/ops`, `${primary}/aurora`, 5432)).toHaveLength(1);
    for (const id of config.clusters.map((c) => c.id)) {
      // The AS Storage Integration (Enterprise) reads the TimescaleDB URI, whose host is the instance's fixed address.
      const timescale = config.features.timescale && config.tts.edition === 'enterprise';
      expect(callsOf(graph, `${id}/as`, `${id}/timescale-timescale`, 5432)).toHaveLength(timescale ? 1 : 0);
      expect(callsOf(graph, `${id}/prometheus`, `${id}/efs-prometheus`, 2049)).toHaveLength(1);
      expect(graph.calls.some((c) => c.from === `${id}/nlb` && c.to === `${id}/router`)).toBe(true);
    }
    for (const s of secondaries) {
      // The IS proxy reaches the primary's NLB (its domain's alias record) through the internet.
      for (const port of [443, 8884]) {
        expect(callsOf(graph, `${s}/is-proxy`, `${primary}/nlb`, port)).toEqual([
          expect.objectContaining({ via: 'internet' }),
        ]);
      }
    }
  });

  it('canReach denies what no rule opens', () => {
    expect(graph.canReach('internet', `${primary}/ns`, 1884, 'tcp').allowed).toBe(false);
    // Prometheus is not in the tasks group that the data services admit.
    expect(graph.canReach(`${primary}/prometheus`, `${primary}/redis-general`, 6379, 'tcp').allowed).toBe(false);
    expect(graph.canReach(`${primary}/nlb`, `${primary}/ns`, 1884, 'tcp').allowed).toBe(false);
    expect(graph.canReach(`${primary}/gs`, `${primary}/ns`, 1884, 'udp').allowed).toBe(false);
    expect(graph.canReach(`${primary}/gs`, `${primary}/ns`, 1884, 'tcp').allowed).toBe(true);
  });

  it('(a) allows every configured call', () => {
    expect(graph.calls.length).toBeGreaterThan(100);
    expect(denied(graph)).toEqual([]);
  });

  it('(b) opens no ingress that no configured call, NLB target or health check uses', () => {
    expect(unjustified(graph)).toEqual([]);
  });

  it.each([
    [`${primary}/gs`, `${primary}/ns`, 1884],
    [`${secondaries[0]}/router`, `${secondaries[0]}/is-proxy`, 1885],
  ])('(c) fails (a) once the rule admitting %s -> %s:%d is removed from the JSON', (from, to, port) => {
    const call = callsOf(graph, from, to, port)[0];
    expect(call).toBeDefined();
    const rule = graph.check(call).ingress!;
    expect(rule.id).toMatch(/\/aws_vpc_security_group_ingress_rule\./);
    const [stack, address] = rule.id.split('/');
    const [type, resource] = [address.slice(0, address.indexOf('.')), address.slice(address.indexOf('.') + 1)];
    const mutated: Record<string, Json> = JSON.parse(JSON.stringify(stacks));
    delete mutated[stack].resource[type][resource];
    const after = buildSecurityGraph(mutated);
    const before = new Set(graph.calls.filter((c) => !graph.check(c).allowed).map(formatCall));
    const lost = after.calls.filter((c) => !after.check(c).allowed && !before.has(formatCall(c)));
    expect(lost.map(formatCall)).toContain(formatCall(call));
    // Only calls into that workload on that port lose their path.
    expect(lost.filter((c) => c.to !== to || c.port !== port).map(formatCall)).toEqual([]);
    expect(stacks[stack].resource[type][resource]).toBeDefined(); // the original JSON is untouched
  });
});
