/**
 * The `syslog` audit device: one message per entry to the local syslog socket with
 * `facility` (default AUTH) and `tag` (default "arca"), severity info. Node has no Unix datagram
 * sockets, and /dev/log is usually one, so lines go through a long-lived util-linux `logger`
 * process (which speaks both datagram and stream sockets). Enabling fails with a clear error
 * when there is no local syslog socket or no `logger` program.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { InvalidRequest } from '../../../errors.js';
import { createBatcher } from './batch.js';
import type { AuditDevice } from './types.js';

const FACILITIES = new Set(['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7']);

export interface SyslogDeviceOptions {
  /** The local syslog socket; /dev/log unless a test says otherwise. */
  socketPath?: string;
  loggerProgram?: string;
}

export function createSyslogDeviceFactory(deps: SyslogDeviceOptions = {}) {
  const socketPath = deps.socketPath ?? '/dev/log';
  const program = deps.loggerProgram ?? 'logger';
  return async (options: Record<string, string>): Promise<AuditDevice> => {
    const facility = (options.facility ?? 'AUTH').toLowerCase();
    if (!FACILITIES.has(facility)) throw new InvalidRequest('syslog audit device: unknown facility');
    const tag = options.tag ?? 'arca';
    if (!/^[\w.-]{1,48}$/.test(tag)) throw new InvalidRequest('syslog audit device: tag must be 1-48 letters, digits, ".", "-" or "_"');
    if (!existsSync(socketPath)) throw new InvalidRequest(`syslog audit device: no local syslog socket at ${socketPath}`);

    let child: ChildProcessWithoutNullStreams | undefined;
    let failure: Error | undefined;
    const start = async (): Promise<ChildProcessWithoutNullStreams> => {
      const proc = spawn(program, ['--socket-errors=on', '-u', socketPath, '-t', tag, '-p', `${facility}.info`, '--size', '1048576'], { stdio: 'pipe' });
      failure = undefined;
      await new Promise<void>((resolve, reject) => {
        proc.once('spawn', resolve);
        proc.once('error', reject);
      });
      proc.on('exit', () => { failure = new Error('syslog logger process exited'); if (child === proc) child = undefined; });
      proc.stdin.on('error', (err) => { failure = err; });
      proc.stdout.resume();
      proc.stderr.resume();
      return proc;
    };
    const batch = createBatcher(async (lines) => {
      child ??= await start();
      const proc = child;
      if (failure) throw failure;
      await new Promise<void>((resolve, reject) => proc.stdin.write(lines.join(''), (err) => (err ? reject(err) : resolve())));
      if (failure) throw failure;
    });
    try {
      child = await start();
    } catch {
      throw new InvalidRequest('syslog audit device: the "logger" program is not available');
    }
    return {
      write: (line) => batch.push(line.endsWith('\n') ? line : line + '\n'),
      async reopen() { child?.stdin.end(); child = undefined; },
      async close() { child?.stdin.end(); child = undefined; },
    };
  };
}
