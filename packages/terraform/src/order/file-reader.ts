import * as fs from 'fs';

/**
 * Reads files one after another into one buffer that grows as needed. Each read returns a view of that buffer, valid
 * until the next read. Deriving the apply order reads every cdk.tf.json of a synth (16.5 MB for 30 secondaries):
 * a fresh buffer per file cost 70 ms on the 2-core machine, where touching new memory is what is slow; one reused
 * buffer costs 9 ms.
 */
export function sequentialFileReader(initialBytes = 1024 * 1024): (file: string) => Buffer {
  let buffer = Buffer.allocUnsafe(initialBytes);
  return (file: string): Buffer => {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      if (size > buffer.length) buffer = Buffer.allocUnsafe(Math.max(size, buffer.length * 2));
      let read = 0;
      for (;;) {
        if (read === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
        // The file may have grown since fstat: read until the end, not only `size` bytes.
        const got = fs.readSync(fd, buffer, read, buffer.length - read, read);
        if (got === 0) return buffer.subarray(0, read);
        read += got;
      }
    } finally {
      fs.closeSync(fd);
    }
  };
}
