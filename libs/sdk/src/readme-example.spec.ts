/**
 * The README's SDK example of the seeded "Old Faithful: standardize, cluster, evaluate" pipeline, run as the README
 * prints it: the code block after its marker, with the import turned into the SDK module and console.log recorded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as sdk from './index';

const root = path.join(__dirname, '..', '..', '..');
const MARKER = '<!-- sdk-example: old-faithful';

/** The code of the ```ts block after the marker. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const at = readme.indexOf(MARKER);
  if (at < 0) throw new Error(`README.md has no "${MARKER}" block`);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block) throw new Error('no ```ts block after the marker');
  return block[1];
}

describe("the README's Old Faithful SDK example", () => {
  beforeAll(() => sdk.useMixflow(new sdk.Mixflow({ engine: 'inline' })));

  it('runs as printed and gives the evaluation the seeded experiment gives over the API', async () => {
    const code = readmeExample();
    const imports = /^import \{([^}]+)\} from '@mixflow\/sdk';\n/m.exec(code);
    expect(imports).not.toBeNull();
    const names = imports![1].split(',').map((n) => n.trim());
    const body = code
      .replace(imports![0], '')
      .replace("'plugins/data/samples/old_faithful.csv'", JSON.stringify(path.join(root, 'plugins/data/samples/old_faithful.csv')))
      .replace(/console\.log\(/g, 'report(');
    const printed: unknown[][] = [];
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...a: unknown[]) => Promise<void>;
    const run = new AsyncFunction('sdk', 'report', `const { ${names.join(', ')} } = sdk;\n${body}`);
    await run(sdk, (...values: unknown[]) => printed.push(values));
    expect(printed).toHaveLength(1);
    const [counts, silhouette, vrc, db] = printed[0] as [number[], number, number, number];
    // the numbers e2e/api's pipeline spec checks for the seeded experiment, and the README's comment
    expect(counts).toEqual([97, 175]);
    expect(silhouette).toBeCloseTo(0.746, 3);
    expect(vrc).toBeCloseTo(1574.55, 1);
    expect(db).toBeCloseTo(0.3377, 4);
  });
});
