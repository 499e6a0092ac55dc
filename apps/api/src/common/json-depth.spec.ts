import { jsonDepth, MAX_JSON_DEPTH } from './json-depth';

const depth = (text: string) => jsonDepth(Buffer.from(text));

describe('jsonDepth', () => {
  it('counts the deepest nesting of objects and arrays', () => {
    expect(depth('1')).toBe(0);
    expect(depth('{"a":[1,{"b":[]}],"c":{}}')).toBe(4);
    expect(depth('[[],[[]]]')).toBe(3);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(depth('{"a":"[[[{{{","b":"\\"[[[\\\\"}')).toBe(1);
  });

  it('stops counting past the limit, so a 10,000-deep body costs no more than a shallow one', () => {
    expect(depth('['.repeat(10_000) + ']'.repeat(10_000))).toBe(MAX_JSON_DEPTH + 1);
  });
});
