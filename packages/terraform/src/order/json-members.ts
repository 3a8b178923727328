/**
 * Some top-level members of a JSON object document, parsed without decoding or parsing the rest. The apply order
 * needs only `terraform` (the backend) and `data` (remote states) of each cdk.tf.json; decoding and parsing all of
 * them took a tenth of a synth with 30 secondaries (16.5 MB of JSON, 0.25 s).
 *
 * cdktf writes cdk.tf.json indented by two spaces (json-stable-stringify, and the patched writer alike). In such a
 * document a line that starts with exactly two spaces and a quote starts a top-level member: deeper lines are
 * indented further, and a JSON string cannot hold a raw line break. Each wanted member is cut out of the bytes up to
 * the next such line and parsed alone. A document laid out any other way is parsed whole.
 */
export function topLevelMembers(document: Buffer, keys: readonly string[]): Record<string, unknown> {
  if (!document.subarray(0, 5).equals(MEMBER_START)) return pick(JSON.parse(document.toString('utf8')), keys);
  const members: Record<string, unknown> = {};
  for (const key of keys) {
    const marker = Buffer.from(`\n  ${JSON.stringify(key)}: `);
    const at = document.indexOf(marker);
    if (at < 0) continue;
    const start = at + marker.length;
    const next = document.indexOf(NEXT_MEMBER, start);
    let value = document.toString('utf8', start, next < 0 ? document.lastIndexOf(DOCUMENT_END) : next).trimEnd();
    if (value.endsWith(',')) value = value.slice(0, -1);
    members[key] = JSON.parse(value);
  }
  return members;
}

const MEMBER_START = Buffer.from('{\n  "');
const NEXT_MEMBER = Buffer.from('\n  "');
const DOCUMENT_END = Buffer.from('\n}');

function pick(document: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const members: Record<string, unknown> = {};
  for (const key of keys) if (key in document) members[key] = document[key];
  return members;
}
