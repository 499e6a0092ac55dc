import { takeLines } from './line-batches';

describe('takeLines (a stream batch cut at a line end)', () => {
  it('gives the whole lines of the chunks read so far, copied once, and keeps the rest for the next batch', () => {
    let seed = 9;
    const rand = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * n);
    const body = Buffer.from(Array.from({ length: 400 }, (_, i) => `{"id":${i},"x":"${'y'.repeat(rand(90))}"}\n`).join('') + '{"id":"last, no line end"}');
    for (let trial = 0; trial < 50; trial++) {
      const pending: Buffer[] = [];
      const batches: Buffer[] = [];
      for (let at = 0; at < body.length; ) {
        const size = 1 + rand(trial % 2 ? 40 : 3000);
        pending.push(body.subarray(at, at + size));
        at += size;
        if (rand(3) === 0) {
          const before = Buffer.concat(pending);
          const text = takeLines(pending, false);
          const cut = before.lastIndexOf(10) + 1;
          if (cut === 0) expect(text).toBeUndefined();
          else {
            expect(Buffer.from(text!).equals(before.subarray(0, cut))).toBe(true);
            expect(text!.byteOffset).toBe(0); // its own buffer, which is moved to a serving thread
            expect(text!.buffer.byteLength).toBe(cut);
            batches.push(Buffer.from(text!));
          }
          expect(Buffer.concat(pending).equals(before.subarray(cut))).toBe(true);
        }
      }
      const last = takeLines(pending, true);
      if (last) batches.push(Buffer.from(last));
      expect(pending.every((c) => c.length === 0)).toBe(true);
      expect(Buffer.concat(batches).equals(body)).toBe(true);
      expect(batches.slice(0, -1).every((b) => b[b.length - 1] === 10)).toBe(true);
    }
  });
});
