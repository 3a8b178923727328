import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sequentialFileReader } from '../../src/order/file-reader';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tts-ecs-reader-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | Buffer): string => {
  const at = path.join(dir, name);
  fs.writeFileSync(at, content);
  return at;
};

describe('sequentialFileReader', () => {
  it('gives each file exactly its own bytes, whether it is larger or smaller than the one before', () => {
    const read = sequentialFileReader(8);
    const files = [
      file('small', 'abc'),
      file('large', 'x'.repeat(100)), // grows the buffer
      file('smaller', 'short'), // must not show the tail of the large one
      file('empty', ''),
      file('unicode', 'caf\u00e9 \u{1f600}'),
    ];
    for (const f of files) expect(read(f).equals(fs.readFileSync(f))).toBe(true);
  });

  it('reads files larger than twice the buffer', () => {
    const bytes = Buffer.alloc(10_000, 7);
    expect(sequentialFileReader(16)(file('big', bytes)).equals(bytes)).toBe(true);
  });

  it('throws for a file that does not exist, naming it', () => {
    expect(() => sequentialFileReader()(path.join(dir, 'missing'))).toThrow(/ENOENT.*missing/);
  });
});
