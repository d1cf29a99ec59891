import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, loadContext } from '@graphql-codegen/cli';

const root = join(__dirname, '..', '..');

describe('typed documents', () => {
  it('match the operations under test/operations (run `npm run codegen` when this fails)', async () => {
    const previous = process.cwd();
    process.chdir(root);
    try {
      const outputs: { filename: string; content: string }[] = await generate(
        await loadContext(join(root, 'codegen.yml')),
        false,
      );
      const files = outputs.map((o) => o.filename);
      expect(files).toEqual(
        expect.arrayContaining([
          'test/generated/graphql.ts',
          'test/generated/client/persisted-documents.json',
        ]),
      );
      for (const output of outputs) {
        expect({ file: output.filename, content: readFileSync(join(root, output.filename), 'utf8') }).toEqual(
          {
            file: output.filename,
            content: output.content,
          },
        );
      }
    } finally {
      process.chdir(previous);
    }
  });
});
