export interface RunResult {
  code: number;
  signal: string | null;
  stdout: Buffer;
  stderr: string;
  text: string;
}
export function run(
  cmd: string,
  args: string[],
  opts?: { input?: string | Buffer; cwd?: string; env?: NodeJS.ProcessEnv; allowFail?: boolean; timeoutMs?: number },
): Promise<RunResult>;
export function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]>;
export function sleep(ms: number): Promise<void>;
