/** code/:name — GET generates the current code, POST validates one (each code accepted once). */
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { TotpDeps } from './deps.js';
import { base32Decode, timeStep, totp, validateTotp } from './otp.js';

const fields = {
  name: { type: 'string', required: true },
  code: { type: 'string', default: '' },
} as const;

/** Go's time.Duration.String() for whole seconds, as Vault reports `period`: "30s", "1m0s", "1h0m0s". */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

function forgetExpired(used: Map<string, number>, nowMs: number): void {
  for (const [k, until] of used) if (until <= nowMs) used.delete(k);
}

export function codePaths(deps: TotpDeps) {
  return [
    path({
      pattern: 'code/:name',
      fields,
      synopsis: 'Request time-based one-time use password or validate a password for a certain key.',
      operations: {
        read: async (_req, data) => {
          const key = await deps.store.get(data.name);
          if (!key) throw new InvalidRequest('unknown key');
          const now = Math.floor(deps.now().getTime() / 1000);
          const code = totp(base32Decode(key.key), now, key);
          const stepStart = Number(timeStep(now, key.period)) * key.period;
          return { data: { code, generated: now, expire_time: stepStart + key.period, period: goDuration(key.period) } };
        },
        update: async (_req, data) => {
          const key = await deps.store.get(data.name);
          if (!key) throw new InvalidRequest('unknown key');
          const code = data.code;
          if (code === '') throw new InvalidRequest('the code value is required');
          if (code.trim() !== code || code.length !== key.digits) throw new InvalidRequest('invalid number of digits for the code');
          const nowMs = deps.now().getTime();
          forgetExpired(deps.usedCodes, nowMs);
          const usedName = `${data.name}_${code}`;
          if (deps.usedCodes.has(usedName)) throw new InvalidRequest('code already used; wait until the next time period');
          const valid = validateTotp(base32Decode(key.key), code, Math.floor(nowMs / 1000), key, key.skew);
          // As Vault: remember the code (valid or not) for the whole window it could be valid in.
          deps.usedCodes.set(usedName, nowMs + key.period * (2 + key.skew) * 1000);
          return { data: { valid } };
        },
      },
    }),
  ];
}
