/**
 * One way to report a provider call that failed: an UpstreamError naming the service, the
 * operation and the provider's error code (never its message text, never a value we sent).
 */
import { UpstreamError } from '../../../errors.js';

export function errorCode(err: unknown): string {
  const e = err as any;
  const net = typeof e?.code === 'string' && /^E[A-Z]+$/.test(e.code) ? e.code : undefined;
  const body = e?.details?.error?.code ?? (typeof e?.details === 'object' ? e?.details?.code : undefined);
  const status = e?.statusCode ?? e?.$metadata?.httpStatusCode;
  return String(net ?? body ?? (e?.name && e.name !== 'Error' ? e.name : undefined) ?? (status ? `HTTP ${status}` : 'unknown error'));
}

/** A provider call failed; `providerCode` is the provider's error code. */
export class KmsCallError extends UpstreamError {
  constructor(message: string, readonly providerCode: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const hasCode = (err: unknown, ...codes: string[]): boolean => err instanceof KmsCallError && codes.includes(err.providerCode);

export async function call<T>(service: string, operation: string, work: () => Promise<T>, codeOf: (err: unknown) => string = errorCode): Promise<T> {
  try {
    return await work();
  } catch (err) {
    const code = codeOf(err);
    throw new KmsCallError(`keymgmt: ${service} ${operation} failed (${code})`, code, { cause: err });
  }
}
