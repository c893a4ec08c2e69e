/**
 * `npm run -s evaluate -- path/to/input.json`
 *
 * Success: the result JSON on stdout, exit 0, nothing on stderr.
 * Malformed input: nothing on stdout, one JSON object {"error", "path"} on stderr, exit 2.
 * A missing argument or unreadable file is treated like input that is not JSON (path ""), also exit 2,
 * so callers only ever see the one error shape.
 */
import { readFileSync } from 'fs';
import { evaluateRound } from './evaluate';
import { serializeResult } from './serialize';
import { parseAndValidate } from './validate';

const EXIT_MALFORMED_INPUT = 2;

function reportMalformed(error: string, path: string): void {
  process.stderr.write(`${JSON.stringify({ error, path })}\n`);
  process.exitCode = EXIT_MALFORMED_INPUT;
}

function main(argv: readonly string[]): void {
  const file = argv[0];
  if (file === undefined) {
    reportMalformed('usage: evaluate <input.json>', '');
    return;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    reportMalformed(`cannot read input file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, '');
    return;
  }
  const validation = parseAndValidate(text);
  if (!validation.ok) {
    reportMalformed(validation.error, validation.path);
    return;
  }
  process.stdout.write(serializeResult(evaluateRound(validation.input)));
}

main(process.argv.slice(2));
