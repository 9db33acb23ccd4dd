/**
 * Wraps an auth method's credential check with user lockout: a locked alias is refused with
 * 403 before anything is checked; a failed check counts against the alias; a success clears it.
 */
import { PermissionDenied } from '../../errors.js';
import type { LogicalRequest } from '../../framework/logical.js';
import type { MountEntry } from '../../core/mounts/entry.js';
import { lockoutConfigOf, type LockoutTracker } from './lockout.js';

export type CheckOutcome<T> = { ok: true; value: T } | { ok: false; error: Error; count: boolean };

export async function guardedLogin<T>(
  tracker: LockoutTracker | undefined,
  mount: MountEntry,
  req: Pick<LogicalRequest, 'mountAccessor'>,
  alias: string,
  check: () => Promise<CheckOutcome<T>>,
): Promise<T> {
  const config = lockoutConfigOf(mount.config);
  if (await tracker?.isLocked(req.mountAccessor, alias, config)) throw new PermissionDenied();
  const outcome = await check();
  if (outcome.ok) {
    await tracker?.recordSuccess(req.mountAccessor, alias);
    return outcome.value;
  }
  if (outcome.count) await tracker?.recordFailure(req.mountAccessor, alias, config);
  throw outcome.error;
}
