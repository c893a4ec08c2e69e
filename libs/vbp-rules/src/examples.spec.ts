import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { evaluateRound } from './evaluate';
import { serializeResult } from './serialize';
import { EXAMPLES_DIR } from './spec-helpers';
import { validateInput } from './validate';

const inputs = readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.input.json')).sort();

describe('contract worked examples', () => {
  it('finds the worked examples in the repository fixtures', () => {
    expect(inputs.length).toBeGreaterThanOrEqual(4);
  });

  it.each(inputs)('%s gives the expected result', (inputName) => {
    const input = JSON.parse(readFileSync(join(EXAMPLES_DIR, inputName), 'utf8'));
    const expected = JSON.parse(readFileSync(join(EXAMPLES_DIR, inputName.replace('.input.json', '.expected.json')), 'utf8'));
    const validation = validateInput(input);
    if (!validation.ok) throw new Error(`${validation.path}: ${validation.error}`);
    const printed = serializeResult(evaluateRound(validation.input));
    expect(JSON.parse(printed)).toEqual(expected);
    // Key order matters to readers of the printed JSON, not only the values.
    expect(printed).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });
});
