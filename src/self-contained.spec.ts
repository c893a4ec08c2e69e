// The repository stands on its own: a clone with nothing beside it passes its tests, and no code, test,
// script or document reads or points outside it.
import { spawnSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, extname, join, relative, resolve, sep } from 'path';

const ROOT = resolve(__dirname, '..');
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.data', 'dist', 'coverage']);
const TEXT_EXTENSIONS = new Set(['.ts', '.js', '.json', '.md', '.gql', '.csv', '.sh', '.yml', '.yaml', '']);

/** The repository's files: what git tracks (plus new, unignored files), or a walk when there is no git. */
function repositoryFiles(): string[] {
  const git = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
  if (git.status === 0 && git.stdout.length > 0) {
    return git.stdout.split('\0').filter((file) => file && existsSync(join(ROOT, file)));
  }
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (entry.isFile()) {
        files.push(path);
      }
    }
  };
  walk('');
  return files;
}

function leavesRepository(fromFile: string, target: string): boolean {
  const absolute = resolve(ROOT, dirname(fromFile), target);
  const rel = relative(ROOT, absolute);
  return rel === '..' || rel.startsWith(`..${sep}`);
}

// Spelled in pieces so that this file does not trip its own scan.
const SIBLING_FOLDER = ['..', 'shared'].join('/');
const MACHINE_FOLDER = ['', 'work', ''].join('/');

describe('the repository is self-contained', () => {
  const files = repositoryFiles();
  const textFiles = files.filter((file) => TEXT_EXTENSIONS.has(extname(file)) && statSync(join(ROOT, file)).size < 2_000_000);

  it('finds the repository files', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'docs/evaluation-contract.md']));
  });

  it('no file names the sibling shared folder or a path on the build machine', () => {
    const offenders = textFiles.filter((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return text.includes(SIBLING_FOLDER) || text.includes(`shared${'/'}contract`) || text.includes(`shared${'/'}docs`) || text.includes(MACHINE_FOLDER);
    });
    expect(offenders).toEqual([]);
  });

  it('no relative path in code, scripts or documents climbs out of the repository', () => {
    const offenders: string[] = [];
    // '../x' in quotes or backticks, or a Markdown link target; relative to the file that holds it.
    const quoted = /['"`]((?:\.\.\/)+[^'"`\s)]*)['"`]/g;
    const linked = /\]\(((?:\.\.\/)+[^)\s#]*)/g;
    for (const file of textFiles) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const pattern of [quoted, linked]) {
        for (const match of text.matchAll(pattern)) {
          if (leavesRepository(file, match[1])) offenders.push(`${file}: ${match[1]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the evaluation engine specs pass from a copy of the repository with nothing beside it', () => {
    const parent = mkdtempSync(join(tmpdir(), 'vbp-alone-'));
    const copy = join(parent, 'repo');
    try {
      mkdirSync(copy);
      for (const file of files) {
        mkdirSync(dirname(join(copy, file)), { recursive: true });
        cpSync(join(ROOT, file), join(copy, file));
      }
      // Installed packages are what `npm install` would put there; everything else comes from the copy.
      symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
      const run = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules/jest/bin/jest.js'), '--ci', '--selectProjects', 'unit', '--', 'libs/vbp-rules/src/examples.spec.ts', 'libs/vbp-rules/src/validate.spec.ts'],
        { cwd: copy, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FORCE_COLOR: '0' } },
      );
      const summary = `${run.stdout}\n${run.stderr}`;
      expect(summary).toMatch(/Test Suites: 2 passed, 2 total/);
      expect(run.status).toBe(0);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  }, 120_000);
});
