// `tts-ecs diagram --resources`: the architecture of any cdktf app from its synthesized JSON, as traffic flows.
import { buildResourceGraph, renderMermaid, checkMermaid } from '@tts-ecs/diagram';

const ref = (type: string, name: string, attr = 'id') => `\${${type}.${name}.${attr}}`;
const remote = (output: string) => `\${data.terraform_remote_state.cross-stack-reference-input-net.outputs.${output}}`;

// Two stacks like cdktf writes them: the app stack reads the ALB's security group from the network stack's outputs.
const network = {
  name: 'net',
  resource: {
    aws_lb: {
      alb: {
        name: 'web',
        load_balancer_type: 'application',
        internal: false,
        security_groups: [ref('aws_security_group', 'albsg')],
      },
    },
    aws_security_group: { albsg: {} },
    aws_route53_record: { origin: { name: 'origin.example.com', alias: [{ name: ref('aws_lb', 'alb', 'dns_name') }] } },
    aws_vpc_security_group_ingress_rule: {
      https: {
        security_group_id: ref('aws_security_group', 'albsg'),
        cidr_ipv4: '0.0.0.0/0',
        ip_protocol: 'tcp',
        from_port: 443,
        to_port: 443,
      },
      cloudfront: {
        security_group_id: ref('aws_security_group', 'albsg'),
        prefix_list_id: 'pl-4fa04526',
        ip_protocol: 'tcp',
        from_port: 443,
        to_port: 443,
      },
      office: {
        security_group_id: ref('aws_security_group', 'albsg'),
        cidr_ipv4: '198.51.100.0/24',
        ip_protocol: 'tcp',
        from_port: 8443,
        to_port: 8443,
      },
    },
  },
  output: { 'cross-stack-output-aws_security_groupalbsgid': { value: ref('aws_security_group', 'albsg') } },
};
const app = {
  name: 'app',
  resource: {
    aws_ecs_service: {
      web: { name: 'web', network_configuration: { security_groups: [ref('aws_security_group', 'websg')] } },
    },
    aws_security_group: { websg: {}, dbsg: {} },
    aws_db_instance: {
      db: { engine: 'postgres', identifier: 'main', vpc_security_group_ids: [ref('aws_security_group', 'dbsg')] },
    },
    aws_s3_bucket: { media: { bucket: 'media' } },
    aws_cloudfront_distribution: {
      cdn: {
        origin: [
          { domain_name: ref('aws_s3_bucket', 'media', 'bucket_regional_domain_name') },
          { domain_name: 'origin.example.com' },
        ],
      },
    },
    aws_vpc_security_group_ingress_rule: {
      fromAlb: {
        security_group_id: ref('aws_security_group', 'websg'),
        referenced_security_group_id: remote('cross-stack-output-aws_security_groupalbsgid'),
        ip_protocol: 'tcp',
        from_port: 3000,
        to_port: 3000,
      },
      toDb: {
        security_group_id: ref('aws_security_group', 'dbsg'),
        referenced_security_group_id: ref('aws_security_group', 'websg'),
        ip_protocol: 'tcp',
        from_port: 5432,
        to_port: 5432,
      },
    },
  },
  output: {},
};

describe('the resource graph of a two-stack app', () => {
  const graph = buildResourceGraph([network, app]);
  const labelOf = (id: string) => graph.nodes.find((n) => n.id === id)?.lines.join(' ');
  const flows = () => graph.edges.map((e) => `${labelOf(e.from)} -> ${labelOf(e.to)}: ${e.label}`).sort();

  it('draws one box per stack with its entry points, services and stores', () => {
    expect(graph.groups.map((g) => g.label)).toEqual(['stack net', 'stack app']);
    expect(graph.nodes.map((n) => n.lines.join(' ')).sort()).toEqual([
      'ALB web internet-facing',
      'Clients 198.51.100.0/24',
      'CloudFront distribution',
      'ECS service web',
      'Internet',
      'Prefix list pl-4fa04526',
      'RDS postgres main',
      'S3 media',
    ]);
  });

  it('follows traffic through security group rules, across stacks, and CloudFront origins (through DNS aliases)', () => {
    expect(flows()).toEqual([
      'ALB web internet-facing -> ECS service web: tcp/3000',
      'Clients 198.51.100.0/24 -> ALB web internet-facing: tcp/8443',
      'CloudFront distribution -> ALB web internet-facing: origin',
      'CloudFront distribution -> S3 media: origin',
      'ECS service web -> RDS postgres main: tcp/5432',
      'Internet -> ALB web internet-facing: tcp/443',
      'Internet -> CloudFront distribution: https',
      'Prefix list pl-4fa04526 -> ALB web internet-facing: tcp/443',
    ]);
  });

  it('renders Mermaid that passes the structural check', () => {
    expect(checkMermaid(renderMermaid(graph)).problems).toEqual([]);
  });
});
