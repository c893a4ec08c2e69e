import { ChildProcess, spawn } from 'child_process';
import { join } from 'path';

const root = join(__dirname, '..', '..');

/** The real server as a separate OS process (`src/main.ts` through ts-node), for restart and multi-process tests. */
export class AppProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly output: () => string,
  ) {}

  static async start(env: Record<string, string>, timeoutMs = 90_000): Promise<AppProcess> {
    const child = spawn(process.execPath, [...(process.env.APP_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.APP_CPU_PROF] : []), join(root, 'scripts/run-ts.js'), join(root, 'src/main.ts')], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'info', JOBS_ENABLED: 'false', DEMO_HISTORY: 'false', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output.slice(-3000)}`)), timeoutMs);
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
