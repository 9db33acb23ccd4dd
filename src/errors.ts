/**
 * The one error model. Every failure a client can cause is an ArcaError with a stable code;
 * http/ maps the class to a status from a single table and never looks at message text.
 * Messages never contain secret material or submitted values.
 */
export class ArcaError extends Error {
  /** Stable machine-readable code. */
  readonly code: string = 'internal';
  /** HTTP status the API answers with. */
  readonly status: number = 500;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class InvalidRequest extends ArcaError {
  override readonly code = 'invalid_request';
  override readonly status = 400;
}

export class PermissionDenied extends ArcaError {
  override readonly code = 'permission_denied';
  override readonly status = 403;
  constructor(message = 'permission denied') {
    super(message);
  }
}

export class NotFound extends ArcaError {
  override readonly code = 'not_found';
  override readonly status = 404;
}

export class UnsupportedOperation extends ArcaError {
  override readonly code = 'unsupported_operation';
  override readonly status = 405;
  constructor(message = 'unsupported operation') {
    super(message);
  }
}

export class PayloadTooLarge extends ArcaError {
  override readonly code = 'payload_too_large';
  override readonly status = 413;
}

export class UnsupportedMediaType extends ArcaError {
  override readonly code = 'unsupported_media_type';
  override readonly status = 415;
}

export class TooManyRequests extends ArcaError {
  override readonly code = 'too_many_requests';
  override readonly status = 429;
}

/** The barrier is sealed: every path that needs it answers 503. */
export class SealedError extends ArcaError {
  override readonly code = 'sealed';
  override readonly status = 503;
  constructor(message = 'Vault is sealed') {
    super(message);
  }
}

/** The server cannot answer in time or at all right now (not sealed: that is SealedError). */
export class ServiceUnavailable extends ArcaError {
  override readonly code = 'unavailable';
  override readonly status = 503;
}

/** An HA standby started a local read and found it must go to the active node after all. */
export class ForwardToActive extends Error {
  constructor(reason: string) {
    super(`forward to the active node: ${reason}`);
  }
}

/** An HA standby cannot serve the request itself and found no active node to send it to. */
export class StandbyError extends ArcaError {
  override readonly code = 'standby';
  override readonly status = 503;
  constructor(message = 'local node not active but active cluster node not found') {
    super(message);
  }
}

export class NotInitialized extends ArcaError {
  override readonly code = 'not_initialized';
  override readonly status = 400;
  constructor(message = 'Vault is not initialized') {
    super(message);
  }
}

/** Decryption, MAC or unseal failure. One generic message: no oracle about why. */
export class IntegrityError extends ArcaError {
  override readonly code = 'integrity';
  override readonly status = 500;
  constructor(message = 'integrity check failed') {
    super(message);
  }
}

/** A fault in an external system (HSM, KMS, database); message names the cause, never a secret. */
export class UpstreamError extends ArcaError {
  override readonly code = 'upstream';
  override readonly status = 502;
}

export class StorageError extends ArcaError {
  override readonly code = 'storage';
  override readonly status = 500;
}

export class AuditFailure extends ArcaError {
  override readonly code = 'audit_failed';
  override readonly status = 500;
  constructor(message = 'audit logging failed; request refused') {
    super(message);
  }
}

export function isArcaError(err: unknown): err is ArcaError {
  return err instanceof ArcaError;
}
