import { maxVpcPrefixLength, planSubnets } from '../src';

describe('planSubnets', () => {
  it('gives a /16 with 3 AZs /18 private and /21 public and data subnets', () => {
    expect(planSubnets('10.0.0.0/16', 3)).toEqual({
      public: ['10.0.192.0/21', '10.0.200.0/21', '10.0.208.0/21'],
      private: ['10.0.0.0/18', '10.0.64.0/18', '10.0.128.0/18'],
      data: ['10.0.224.0/21', '10.0.232.0/21', '10.0.240.0/21'],
    });
  });

  it('keeps the same slots with 2 AZs, so adding a third AZ renumbers nothing', () => {
    expect(planSubnets('10.20.0.0/16', 2)).toEqual({
      public: ['10.20.192.0/21', '10.20.200.0/21'],
      private: ['10.20.0.0/18', '10.20.64.0/18'],
      data: ['10.20.224.0/21', '10.20.232.0/21'],
    });
  });

  it('accepts the smallest VPC, a /23, with /28 public and data subnets', () => {
    expect(maxVpcPrefixLength(2)).toBe(23);
    expect(planSubnets('192.168.4.0/23', 3)).toEqual({
      public: ['192.168.5.128/28', '192.168.5.144/28', '192.168.5.160/28'],
      private: ['192.168.4.0/25', '192.168.4.128/25', '192.168.5.0/25'],
      data: ['192.168.5.192/28', '192.168.5.208/28', '192.168.5.224/28'],
    });
  });

  it('rejects a VPC too small, saying which size is needed', () => {
    expect(() => planSubnets('10.0.0.0/24', 2)).toThrow(
      'A /24 VPC is too small for 2 AZs x (public + private + data) subnets: it needs a /23 or larger (prefix length /16 to /23) so that every public and data subnet is at least a /28.',
    );
  });

  it('rejects a VPC larger than AWS allows', () => {
    expect(() => planSubnets('10.0.0.0/8', 3)).toThrow(
      'A /8 VPC is larger than AWS allows; use a prefix length from /16 to /23.',
    );
  });

  it('rejects unsupported AZ counts and malformed CIDRs', () => {
    expect(() => planSubnets('10.0.0.0/16', 1)).toThrow('The subnet plan supports 2 or 3 Availability Zones, not 1.');
    expect(() => maxVpcPrefixLength(4)).toThrow('not 4');
    expect(() => planSubnets('10.0.0.1/16', 2)).toThrow('has host bits set');
  });
});
