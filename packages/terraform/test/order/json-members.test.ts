import { topLevelMembers } from '../../src/order/json-members';

const KEYS = ['terraform', 'data'];
const subset = (document: Record<string, unknown>) =>
  Object.fromEntries(KEYS.filter((k) => k in document).map((k) => [k, document[k]]));

describe('topLevelMembers', () => {
  const document = {
    '//': { metadata: { note: 'a "data": {} and \n  "terraform": inside a string' } },
    data: { terraform_remote_state: { a: { backend: 's3', config: { bucket: 'b', key: 'k' } } } },
    resource: { x: { data: { terraform: 1 } } }, // the same names deeper down
    terraform: { backend: { s3: { bucket: 'b', key: 'own' } } },
  };

  it('reads the members of a two-space document as a full parse would, wherever they stand', () => {
    const text = JSON.stringify(document, null, 2);
    expect(topLevelMembers(Buffer.from(text), KEYS)).toEqual(subset(document));
    const reordered = JSON.stringify({ terraform: document.terraform, data: document.data, z: [1, 2] }, null, 2);
    expect(topLevelMembers(Buffer.from(reordered), KEYS)).toEqual(subset(document));
  });

  it('leaves out members the document lacks, and parses other layouts whole', () => {
    expect(topLevelMembers(Buffer.from(JSON.stringify({ resource: {} }, null, 2)), KEYS)).toEqual({});
    expect(topLevelMembers(Buffer.from(JSON.stringify(document)), KEYS)).toEqual(subset(document));
    expect(topLevelMembers(Buffer.from(JSON.stringify(document, null, 4)), KEYS)).toEqual(subset(document));
  });
});
