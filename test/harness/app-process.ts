import { ChildProcess, spawn } from 'child_process';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';

const root = join(__dirname, '..', '..');

/** The real server as a separate OS process (`src/main.ts` through ts-node), for restart and multi-process tests. */
export class AppProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly output: () => string,
  ) {}

  /** `appRoot`: a copy of the repository to run instead of this one. */
  static async start(env: Record<string, string>, timeoutMs = 90_000, appRoot = root): Promise<AppProcess> {
    const child = spawn(process.execPath, [...(process.env.APP_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.APP_CPU_PROF] : []), join(appRoot, 'scripts/run-ts.js'), join(appRoot, 'src/main.ts')], {
      cwd: appRoot,
      env: { ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'info', JOBS_ENABLED: 'false', DEMO_HISTORY: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGTERM'); // it stops its embedded database on the way out
        reject(new Error(`server did not start in time:\n${output.slice(-3000)}`));
      }, timeoutMs);
      const poll = setInterval(() => {
        const match = /"url":"(http:\/\/[^"]+)\/graphql"/.exec(output) ?? /platform ready at (http:\/\/\S+)\/graphql/.exec(output);
        if (match) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve(match[1].replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1'));
        }
      }, 100);
      child.on('exit', (code) => {
        clearInterval(poll);
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${output.slice(-3000)}`));
      });
    });
    return new AppProcess(child, url, () => output);
  }

  /** Stops it as an operator would (SIGTERM) and waits for a clean exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    return new Promise((resolve) => {
      this.child.once('exit', (code) => resolve(code));
      this.child.kill(signal);
    });
  }
}

export interface ExitedApp {
  code: number | null;
  /** From spawn to exit. */
  ms: number;
  stdout: string;
  stderr: string;
}

/** Spawns the app (through ts-node) without waiting for anything. */
export function spawnApp(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [join(root, 'scripts/run-ts.js'), join(root, 'src/main.ts')], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'info', JOBS_ENABLED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the app until it exits by itself (a start that must fail); kills it after `timeoutMs`. */
export function runAppUntilExit(env: Record<string, string>, timeoutMs = 40_000): Promise<ExitedApp> {
  const started = Date.now();
  const child = spawnApp(env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      // let the pipes drain
      setImmediate(() => resolve({ code, ms: Date.now() - started, stdout, stderr }));
    });
  });
}

/**
 * Pids of running PostgreSQL servers (postmasters) whose command line contains `fragment` (e.g. a data folder).
 * A backend the server has just forked shows the server's command line until it names itself; it is left out
 * (its parent matches too), so one server counts once.
 */
export function postgresServers(fragment: string): number[] {
  if (!existsSync('/proc')) return [];
  const matches = new Map<number, number>(); // pid → parent pid
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let commandLine: string;
    let parent: number;
    try {
      commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      // stat: "pid (comm) state ppid …"; comm may hold spaces, so read after its closing parenthesis
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      continue; // gone meanwhile
    }
    if (commandLine.includes('postgres') && commandLine.includes(' -D ') && commandLine.includes(fragment)) matches.set(Number(entry), parent);
  }
  return [...matches].filter(([, parent]) => !matches.has(parent)).map(([pid]) => pid);
}

/** Waits (up to `ms`) until no PostgreSQL server names `fragment`; returns the pids still running. */
export async function postgresServersAfter(fragment: string, ms = 5_000): Promise<number[]> {
  const until = Date.now() + ms;
  let pids = postgresServers(fragment);
  while (pids.length && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    pids = postgresServers(fragment);
  }
  return pids;
}
