import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_DIR, tempDir } from '../test/harness.ts';

/** The Redis the brief's CI provides; each run uses its own prefix and deletes its keys afterwards. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run user -- <args>` as a real child process (from source), with `stdin` piped in. */
function userCli(args: string[], env: Record<string, string>, stdin = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'src/auth/user-cli.ts', ...args],
      { cwd: SERVER_DIR, env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
    child.stdin!.end(stdin);
  });
}

const listedAs = async (baseEnv: Record<string, string>, username: string) =>
  userCli(['list'], baseEnv).then((r) => r.stdout.split('\n').find((line) => line.startsWith(`${username} `)));

function cliContract(name: string, storeEnv: () => Record<string, string>) {
  describe(`npm run user on the ${name} store`, () => {
    it('adds a lead from a password on stdin, then changes the role, deactivates, reactivates and resets the password', async () => {
      const env = storeEnv();
      const added = await userCli(['add', '--username', 'first.lead', '--display-name', 'First Lead', '--role', 'lead', '--password-stdin'], env, 'a long river stone\n');
      expect(added).toMatchObject({ code: 0, stdout: 'created first.lead (First Lead, lead)\n' });
      expect((await userCli(['set-role', '--username', 'first.lead', '--role', 'writer'], env)).code).toBe(0);
      expect((await userCli(['deactivate', '--username', 'first.lead'], env)).code).toBe(0);
      expect(await listedAs(env, 'first.lead')).toBe('first.lead (First Lead, writer, deactivated)');
      expect((await userCli(['activate', '--username', 'first.lead'], env)).code).toBe(0);
      const reset = await userCli(['reset-password', '--username', 'first.lead', '--password-stdin'], env, 'another long phrase\n');
      expect(reset.code).toBe(0);
      expect(await listedAs(env, 'first.lead')).toBe('first.lead (First Lead, writer)');
    });

    it('refuses a taken username, a weak password and an unknown user with exit 1, an unknown role with exit 2', async () => {
      const env = storeEnv();
      const add = (username: string, password: string, role = 'writer') =>
        userCli(['add', '--username', username, '--display-name', 'Someone', '--role', role, '--password-stdin'], env, password);
      expect((await add('taken', 'a long river stone')).code).toBe(0);
      expect(await add('TAKEN', 'a long river stone')).toMatchObject({ code: 1, stderr: expect.stringContaining('The username "TAKEN" is taken') });
      expect(await add('weak', 'password123')).toMatchObject({ code: 1, stderr: expect.stringContaining('most common passwords') });
      expect(await add('short', 'abc12')).toMatchObject({ code: 1, stderr: expect.stringContaining('at least 10 characters') });
      expect(await add('boss', 'a long river stone', 'boss')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown role "boss"') });
      expect(await userCli(['deactivate', '--username', 'ghost'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('no user "ghost"') });
      expect(await userCli(['add', '--username', 'nopass', '--display-name', 'N', '--role', 'reader'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('--password-stdin') });
      expect((await userCli(['promote'], env)).code).toBe(2);
    });
  });
}

cliContract('sqlite', () => ({ DATA_DIR: tempDir('copydesk-user-cli-') }));

const prefixes: string[] = [];
cliContract('redis', () => {
  const prefix = `copydesk-user-cli-test:${randomUUID().slice(0, 8)}:`;
  prefixes.push(prefix);
  return { REDIS_URL, REDIS_PREFIX: prefix };
});

afterAll(async () => {
  const client = createClient({ url: REDIS_URL });
  await client.connect();
  for (const prefix of prefixes) {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length) await client.del(keys);
  }
  await client.quit();
});
