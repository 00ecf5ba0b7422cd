import { parseArgs } from 'node:util';
import { Role } from '@copydesk/protocol';
import { parseEnvOrExit } from '../env.ts';
import { HttpError } from '../http/errors.ts';
import { createLogger } from '../logger.ts';
import { openConfiguredStore } from '../storage/open-store.ts';
import type { Store, UserRecord } from '../storage/store.ts';
import { createAccount, resetPassword, updateAccount } from './accounts.ts';

/**
 * `npm run user -- <command>` (in the image: `node server/dist/auth/user-cli.js <command>`): accounts
 * for operators, on the store the server's configuration names (REDIS_URL + REDIS_PREFIX, else
 * DATA_DIR). Passwords only ever come from stdin, never from arguments (they would land in shell
 * history and `ps`). Exit codes: 0 done, 1 refused (taken username, weak password, unknown user), 2 usage.
 */
const USAGE = `usage:
  npm run user -- add --username <u> --display-name "<name>" --role <reader|writer|lead> --password-stdin
  npm run user -- set-role --username <u> --role <reader|writer|lead>
  npm run user -- deactivate --username <u>
  npm run user -- activate --username <u>
  npm run user -- reset-password --username <u> --password-stdin
  npm run user -- list`;

class UsageError extends Error {}

const [command, ...rest] = process.argv.slice(2);
let options: { username?: string; 'display-name'?: string; role?: string; 'password-stdin'?: boolean };
try {
  options = parseArgs({
    args: rest,
    options: { username: { type: 'string' }, 'display-name': { type: 'string' }, role: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    strict: true,
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

function required(name: 'username' | 'display-name' | 'role'): string {
  const value = options[name]?.trim();
  if (!value) throw new UsageError(`--${name} is required for ${command}`);
  return value;
}
function role(): Role {
  const parsed = Role.safeParse(required('role'));
  if (!parsed.success) throw new UsageError(`unknown role "${options.role}": use reader, writer or lead`);
  return parsed.data;
}
async function passwordFromStdin(): Promise<string> {
  if (!options['password-stdin']) throw new UsageError(`${command} reads the password from stdin: pass --password-stdin`);
  if (process.stdin.isTTY) process.stderr.write('password (then Enter and Ctrl-D): ');
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  return input.replace(/\r?\n$/, '');
}
async function existing(store: Store): Promise<UserRecord> {
  const username = required('username');
  const user = await store.users.findByUsername(username);
  if (!user) throw new HttpError('not_found', `no user "${username}"`);
  return user;
}
const describe = (u: UserRecord) => `${u.username} (${u.displayName}, ${u.role}${u.deactivatedAt ? ', deactivated' : ''})`;

async function run(store: Store): Promise<string> {
  switch (command) {
    case 'add': {
      const fields = { username: required('username'), displayName: required('display-name'), role: role() };
      const user = await createAccount(store, { ...fields, password: await passwordFromStdin() });
      return `created ${describe(user)}`;
    }
    case 'set-role': {
      const newRole = role();
      return `updated ${describe(await updateAccount(store, (await existing(store)).id, { role: newRole }))}`;
    }
    case 'deactivate':
    case 'activate':
      return `updated ${describe(await updateAccount(store, (await existing(store)).id, { active: command === 'activate' }))}`;
    case 'reset-password': {
      const user = await existing(store);
      await resetPassword(store, user.id, await passwordFromStdin());
      return `new password set for ${describe(user)}; their sessions ended`;
    }
    case 'list':
      return (await store.users.list()).map(describe).join('\n') || 'no users yet';
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
  }
}

// A mistyped command never opens (or creates) a store.
if (!['add', 'set-role', 'deactivate', 'activate', 'reset-password', 'list'].includes(command ?? '')) {
  console.error(`${command ? `unknown command "${command}"` : 'a command is required'}\n${USAGE}`);
  process.exit(2);
}
const env = parseEnvOrExit({ ...process.env, SEED_DEMO: 'false' });
const store = await openConfiguredStore(env, createLogger(process.env.LOG_LEVEL ?? 'warn'));
try {
  console.log(await run(store));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n${USAGE}`);
    process.exitCode = 2;
  } else if (error instanceof HttpError) {
    console.error(`user ${command} failed: ${error.message}`);
    process.exitCode = 1;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
} finally {
  await store.close();
}
