/**
 * Static-role password rotation: `rotate(name)` sets a fresh password with the role's rotation
 * statements and stores it; a timer on the active node (the only node where mounts are loaded)
 * rotates roles whose period or schedule has come due. Rotations of one role never overlap; a
 * failed rotation keeps the old password and is retried after a back-off.
 */
import { InvalidRequest } from '../../errors.js';
import { parseCron } from './cron.js';
import { pluginFor, type EngineContext } from './deps.js';
import { renderStatements } from './statements.js';
import type { StaticRoleEntry } from './store.js';

const RETRY_AFTER_MS = 10_000;

export function nextRotationTime(entry: StaticRoleEntry): number {
  if (entry.rotation_schedule) return parseCron(entry.rotation_schedule).next(entry.last_vault_rotation);
  return entry.last_vault_rotation + entry.rotation_period * 1000;
}

export function createStaticRotation(ctx: EngineContext) {
  const locks = new Map<string, Promise<unknown>>();
  const retryAt = new Map<string, number>();
  const log = ctx.deps.log ?? (() => {});
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let stopped = true;

  function serialize<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = locks.get(name) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(fn);
    locks.set(name, next);
    void next.finally(() => { if (locks.get(name) === next) locks.delete(name); }).catch(() => {});
    return next;
  }

  /** Sets a new password in the database and stores it; `entry` is used for a role not yet stored. */
  async function rotateNow(name: string, entry: StaticRoleEntry): Promise<StaticRoleEntry> {
    const config = await ctx.entries.getConfig(entry.db_name);
    if (!config) throw new InvalidRequest('database configuration not found');
    const password = await ctx.deps.generatePassword(config.password_policy || undefined);
    const statements = entry.rotation_statements.length > 0 ? entry.rotation_statements : pluginFor(config).defaultStaticRotationStatements;
    await ctx.connection(entry.db_name, config)
      .execute(renderStatements(statements, { name: entry.username, username: entry.username, password }));
    const updated: StaticRoleEntry = { ...entry, password, last_vault_rotation: ctx.now() };
    await ctx.entries.putStaticRole(name, updated);
    retryAt.delete(name);
    return updated;
  }

  async function rotate(name: string, fresh?: StaticRoleEntry): Promise<StaticRoleEntry> {
    return serialize(name, async () => {
      const entry = fresh ?? (await ctx.entries.getStaticRole(name));
      if (!entry) throw new InvalidRequest('static role not found');
      return rotateNow(name, entry);
    });
  }

  async function tick(): Promise<void> {
    const now = ctx.now();
    for (const name of await ctx.entries.listStaticRoles()) {
      if (stopped) return;
      const entry = await ctx.entries.getStaticRole(name);
      if (!entry) continue;
      if (nextRotationTime(entry) > now || (retryAt.get(name) ?? 0) > now) continue;
      try {
        await serialize(name, async () => {
          const current = await ctx.entries.getStaticRole(name);
          if (current && nextRotationTime(current) <= ctx.now()) await rotateNow(name, current);
        });
        log('info', 'database: rotated a static role password');
      } catch (err) {
        retryAt.set(name, ctx.now() + RETRY_AFTER_MS);
        log('warn', `database: static role rotation failed, retrying later: ${(err as Error).message}`);
      }
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      ticking = tick()
        .catch((err: unknown) => log('error', `database: rotation check failed: ${(err as Error).message}`))
        .finally(() => { ticking = undefined; schedule(); });
    }, ctx.deps.rotationTickMs ?? 5_000);
    timer.unref();
  }

  return {
    rotate,
    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await ticking;
      await Promise.allSettled([...locks.values()]);
    },
  };
}

export type StaticRotation = ReturnType<typeof createStaticRotation>;
