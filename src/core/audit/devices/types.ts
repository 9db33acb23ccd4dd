/** One audit device: where formatted lines go. */
export interface AuditDevice {
  /** Resolves once the line is written; rejects if it could not be. */
  write(line: string): Promise<void>;
  /** Reopen files / reconnect (SIGHUP, logrotate). */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

/** Creates and test-writes a device; throws InvalidRequest with a clear message when it cannot. */
export type DeviceFactory = (options: Record<string, string>) => Promise<AuditDevice>;
