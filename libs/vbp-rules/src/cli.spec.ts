import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { EXAMPLES_DIR } from './spec-helpers';

const REPO_ROOT = resolve(__dirname, '../../..');

/** Runs the command exactly as the contract documents it (each run costs about a second). */
function evaluateCommand(file: string) {
  const run = spawnSync('npm', ['run', '-s', 'evaluate', '--', file], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run -s evaluate', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vbp-cli-'));

  it('prints the result JSON and nothing else, exit 0', () => {
    const example = join(EXAMPLES_DIR, '004-region-round-robin-and-backups');
    const run = evaluateCommand(`${example}.input.json`);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(readFileSync(`${example}.expected.json`, 'utf8')));
  }, 60_000);

  it('on malformed input prints nothing to stdout, one JSON error object to stderr, exit 2', () => {
    const input = JSON.parse(readFileSync(join(EXAMPLES_DIR, '001-lowest-anchor-one-winner-revival.input.json'), 'utf8'));
    input.lots[0].bids[2].unitPrice = '0.50001';
    const file = join(scratch, 'five-decimals.json');
    writeFileSync(file, JSON.stringify(input));
    const run = evaluateCommand(file);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stderr)).toEqual({ error: 'more than 4 decimals', path: 'lots[0].bids[2].unitPrice' });
  }, 60_000);

  it.each([
    ['a zero unit price', (input: any) => (input.lots[0].bids[1].unitPrice = '0.0000'), 'lots[0].bids[1].unitPrice'],
    ['a zero ceiling', (input: any) => (input.lots[0].specs[0].ceilingUnitPrice = '0'), 'lots[0].specs[0].ceilingUnitPrice'],
    ['a zero comparable factor', (input: any) => (input.lots[0].specs[1].comparableFactor = '0.00'), 'lots[0].specs[1].comparableFactor'],
  ])('refuses %s: exit 2 with the path of the zero', (_name, mutate, path) => {
    const input = JSON.parse(readFileSync(join(EXAMPLES_DIR, '001-lowest-anchor-one-winner-revival.input.json'), 'utf8'));
    mutate(input);
    const file = join(scratch, `zero-${path.replace(/[^a-zA-Z0-9]/g, '_')}.json`);
    writeFileSync(file, JSON.stringify(input));
    const run = evaluateCommand(file);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toEqual({ error: 'must be > 0', path });
  }, 60_000);

  it('reports text that is not JSON at path "", exit 2', () => {
    const file = join(scratch, 'not-json.json');
    writeFileSync(file, '{"ruleSet": ');
    const run = evaluateCommand(file);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(JSON.parse(run.stderr)).toEqual({ error: 'input is not valid JSON', path: '' });
  }, 60_000);
});
