/** code/:name — GET generates the current code, POST validates one (each code accepted once). */
import { formatDuration } from '../../util/duration.js';
import { InvalidRequest } from '../../errors.js';
import { path } from '../../framework/path.js';
import type { TotpDeps } from './deps.js';
import { base32Decode, timeStep, totp, validateTotp } from './otp.js';

const fields = {
  name: { type: 'string', required: true },
  code: { type: 'string', default: '' },
} as const;

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
          return { data: { code, generated: now, expire_time: stepStart + key.period, period: formatDuration(key.period) } };
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
