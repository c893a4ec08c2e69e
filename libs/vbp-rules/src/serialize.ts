import { RoundResult } from './types';

/** The result as the command prints it: deterministic (key order is fixed by construction), newline-terminated. */
export function serializeResult(result: RoundResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
