import { cidrContains, cidrSubnet, cidrsOverlap, isCidr, parseCidr, subdivideCidr } from '../src';

describe('parseCidr', () => {
  it('parses a block into network, prefix, first address and size', () => {
    expect(parseCidr('10.1.0.0/16')).toEqual({
      network: '10.1.0.0',
      prefixLength: 16,
      first: 167837696,
      size: 65536,
      cidr: '10.1.0.0/16',
    });
    expect(parseCidr('0.0.0.0/0').size).toBe(2 ** 32);
    expect(parseCidr('192.168.1.7/32').cidr).toBe('192.168.1.7/32');
    expect(parseCidr('255.255.255.0/24').first).toBe(4294967040);
  });

  it('rejects text that is not a CIDR, with an example', () => {
    expect(() => parseCidr('10.0.0.0')).toThrow(
      '"10.0.0.0" is not an IPv4 CIDR block; write it as a.b.c.d/n, e.g. "10.0.0.0/16".',
    );
    expect(() => parseCidr('fd00::/8')).toThrow(/is not an IPv4 CIDR block/);
    expect(isCidr('10.0.0.0/8')).toBe(true);
    expect(isCidr('ten/8')).toBe(false);
  });

  it('rejects octets and prefixes out of range', () => {
    expect(() => parseCidr('10.0.256.0/24')).toThrow('each of the four numbers must be 0-255');
    expect(() => parseCidr('10.0.0.0/33')).toThrow('the prefix length must be 0-32');
  });

  it('rejects host bits and names the network address', () => {
    expect(() => parseCidr('10.0.0.1/16')).toThrow(
      '"10.0.0.1/16" has host bits set; the network address of that block is "10.0.0.0/16".',
    );
  });
});

describe('cidrsOverlap / cidrContains', () => {
  it('detects overlap in both directions and adjacency as no overlap', () => {
    expect(cidrsOverlap('10.0.0.0/16', '10.0.128.0/17')).toBe(true);
    expect(cidrsOverlap('10.0.128.0/17', '10.0.0.0/16')).toBe(true);
    expect(cidrsOverlap('10.0.0.0/16', '10.1.0.0/16')).toBe(false);
    expect(cidrsOverlap('10.0.0.0/24', '10.0.1.0/24')).toBe(false);
  });

  it('tells whether one block lies inside another', () => {
    expect(cidrContains('10.0.0.0/16', '10.0.255.0/24')).toBe(true);
    expect(cidrContains('10.0.0.0/24', '10.0.0.0/16')).toBe(false);
  });
});

describe('cidrSubnet', () => {
  it('matches Terraform cidrsubnet', () => {
    expect(cidrSubnet('10.0.0.0/16', 8, 2)).toBe('10.0.2.0/24');
    expect(cidrSubnet('172.16.0.0/12', 4, 2)).toBe('172.18.0.0/16');
    expect(cidrSubnet('10.0.0.0/16', 2, 3)).toBe('10.0.192.0/18');
    expect(cidrSubnet('10.0.0.0/16', 0, 0)).toBe('10.0.0.0/16');
  });

  it('rejects blocks longer than /32 and numbers that do not fit', () => {
    expect(() => cidrSubnet('10.0.0.0/30', 3, 0)).toThrow(
      'cidrSubnet: 10.0.0.0/30 has no room for 3 more bits (a /33 is longer than /32).',
    );
    expect(() => cidrSubnet('10.0.0.0/16', 2, 4)).toThrow('cidrSubnet: netNum 4 does not fit in 2 bits (use 0-3).');
    expect(() => cidrSubnet('10.0.0.0/16', -1, 0)).toThrow('newBits must be a whole number >= 0');
  });

  it('subdivides a block in address order', () => {
    expect(subdivideCidr('10.0.0.0/24', 2)).toEqual(['10.0.0.0/26', '10.0.0.64/26', '10.0.0.128/26', '10.0.0.192/26']);
  });
});
