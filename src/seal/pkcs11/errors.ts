/**
 * PKCS#11 failures as typed errors with a one-line cause. Every CKR_* is named, none is
 * swallowed; the PIN never appears in a message.
 */
import { ArcaError, IntegrityError, UpstreamError } from '../../errors.js';

export type HsmFault =
  | 'library_missing'
  | 'pin_incorrect'
  | 'token_absent'
  | 'key_missing'
  | 'mechanism_unsupported'
  | 'session'
  | 'device';

/** An HSM fault. `fault` says which; the message is one line naming the cause. */
export class HsmError extends UpstreamError {
  constructor(readonly fault: HsmFault, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** CKR_* names that mean "this session (or the module) went away: reopen and retry once". */
export const SESSION_LOST = new Set([
  'CKR_SESSION_HANDLE_INVALID', 'CKR_SESSION_CLOSED', 'CKR_USER_NOT_LOGGED_IN', 'CKR_DEVICE_ERROR',
  'CKR_DEVICE_REMOVED', 'CKR_TOKEN_NOT_PRESENT', 'CKR_CRYPTOKI_NOT_INITIALIZED',
  'CKR_OBJECT_HANDLE_INVALID', 'CKR_KEY_HANDLE_INVALID',
]);

const PIN_FATAL = new Set(['CKR_PIN_INCORRECT', 'CKR_PIN_LOCKED', 'CKR_PIN_EXPIRED', 'CKR_PIN_INVALID', 'CKR_PIN_LEN_RANGE']);
const TOKEN_ABSENT = new Set(['CKR_TOKEN_NOT_PRESENT', 'CKR_SLOT_ID_INVALID', 'CKR_DEVICE_REMOVED', 'CKR_TOKEN_NOT_RECOGNIZED']);
const MECHANISM = new Set(['CKR_MECHANISM_INVALID', 'CKR_MECHANISM_PARAM_INVALID', 'CKR_KEY_TYPE_INCONSISTENT', 'CKR_KEY_FUNCTION_NOT_PERMITTED']);
/** Answers a decrypt/verify gives for a forged or damaged blob: one IntegrityError, no oracle. */
export const DATA_INVALID = new Set([
  'CKR_ENCRYPTED_DATA_INVALID', 'CKR_ENCRYPTED_DATA_LEN_RANGE', 'CKR_SIGNATURE_INVALID', 'CKR_SIGNATURE_LEN_RANGE',
  'CKR_DATA_LEN_RANGE', 'CKR_DATA_INVALID',
]);

/** The CKR_* name of a pkcs11js error, or undefined. */
export function ckrName(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const match = /^(CKR_[A-Z0-9_]+)/.exec(err.message);
  return match?.[1];
}

/** Maps anything thrown during `action` to a typed error. ArcaErrors pass through. */
export function hsmFailure(err: unknown, action: string): ArcaError {
  if (err instanceof ArcaError) return err;
  const name = ckrName(err);
  if (name === undefined) return new HsmError('device', `pkcs11: ${action} failed: ${(err as Error)?.message?.split('\n')[0] ?? 'unknown error'}`, { cause: err });
  if (PIN_FATAL.has(name)) {
    return new HsmError('pin_incorrect', `pkcs11: the token refused the PIN (${name}); not retrying, correct the PIN and restart`, { cause: err });
  }
  if (TOKEN_ABSENT.has(name)) return new HsmError('token_absent', `pkcs11: token not present (${name}) during ${action}`, { cause: err });
  if (MECHANISM.has(name)) return new HsmError('mechanism_unsupported', `pkcs11: ${action}: mechanism or key not usable (${name})`, { cause: err });
  if (SESSION_LOST.has(name)) return new HsmError('session', `pkcs11: ${action}: session lost (${name})`, { cause: err });
  if (DATA_INVALID.has(name)) return new IntegrityError();
  return new HsmError('device', `pkcs11: ${action} failed (${name})`, { cause: err });
}
