import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, loadContext } from '@graphql-codegen/cli';

const root = join(__dirname, '..', '..');

describe('typed documents', () => {
  it('match the operations under test/operations (run `npm run codegen` when this fails)', async () => {
    const previous = process.cwd();
    process.chdir(root);
    try {
      const outputs = await generate(await loadContext(join(root, 'codegen.yml')), false);
      expect(outputs).toHaveLength(1);
      const committed = readFileSync(join(root, outputs[0].filename), 'utf8');
      expect(committed).toBe(outputs[0].content);
    } finally {
      process.chdir(previous);
    }
  });
});
