/**
 * The change feed HA standbys use to keep their caches exact: a trigger on the data table
 * NOTIFYs the key of every row written or deleted, in the writing transaction, so the
 * notification is delivered exactly when the write commits. A standby LISTENs on one
 * dedicated connection and hands each key to `onChange`.
 *
 * `sync()` is what makes read-your-writes hold across nodes: it sends a NOTIFY of its own and
 * resolves once that comes back. PostgreSQL delivers notifications in commit order, so by then
 * every write committed before the call — in particular any write a client saw acknowledged
 * before it sent its read here — has been delivered and handled. Concurrent callers share one
 * round trip; at most one sync is in flight.
 *
 * A lost LISTEN connection may have missed notifications: the feed reports `undefined` (drop
 * everything) once reconnected, and `sync()` fails while it is down.
 */
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { ServiceUnavailable } from '../errors.js';

/** Keys longer than this (bytes) are announced as "everything changed": NOTIFY payloads stop at 8000. */
const MAX_KEY_PAYLOAD = 7900;
const SYNC_TIMEOUT_MS = 2000;
const RECONNECT_DELAY_MS = 500;

/** Channel names for a data table: short (PostgreSQL identifiers stop at 63 bytes) and per table. */
export function changeChannels(table: string): { changes: string; sync: string; applicationName: string } {
  const tag = createHash('sha256').update(table).digest('hex').slice(0, 16);
  return { changes: `arca_changes_${tag}`, sync: `arca_sync_${tag}`, applicationName: `arca change feed ${tag}` };
}

/** Trigger DDL: the payload is the stored key (path without its leading "/" + name), or '' for "everything". */
export function changeTriggerSql(table: string): string[] {
  const { changes } = changeChannels(table);
  return [
    `CREATE OR REPLACE FUNCTION ${changes}_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE changed TEXT;
      BEGIN
        IF TG_OP = 'DELETE' THEN changed := substr(OLD.path, 2) || OLD.key;
        ELSE changed := substr(NEW.path, 2) || NEW.key; END IF;
        IF octet_length(changed) > ${MAX_KEY_PAYLOAD} THEN changed := ''; END IF;
        PERFORM pg_notify('${changes}', changed);
        RETURN NULL;
      END $$`,
    `CREATE OR REPLACE TRIGGER ${changes}_notify AFTER INSERT OR UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION ${changes}_notify()`,
  ];
}

export interface ChangeFeedOptions {
  connectionUrl: string;
  table: string;
  /** Resolves once the table and its trigger exist. */
  ready(): Promise<void>;
  /** Sends the sync NOTIFY (any connection but the listener's). */
  query(sql: string, params: unknown[]): Promise<unknown>;
  /** A changed key as stored (escaped), or undefined when anything may have changed. Awaited in order. */
  onChange(key: string | undefined): Promise<void> | void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export interface ChangeFeed {
  /** True while listening: only then can `sync()` succeed. */
  readonly listening: boolean;
  /** Resolves once every change committed before this call has been handled. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

interface SyncBatch {
  token: string;
  promise: Promise<void>;
  resolve(): void;
  reject(err: Error): void;
  timer?: NodeJS.Timeout;
}

export function createChangeFeed(options: ChangeFeedOptions): ChangeFeed {
  const channels = changeChannels(options.table);
  const feedId = randomUUID();
  let client: pg.Client | undefined;
  let listening = false;
  let closed = false;
  /** Set after the first failed attempt, so a database that stays down is logged once. */
  let retrying = false;
  let sequence = 0;
  /** Handling runs one notification at a time, in delivery order; sync answers queue behind it. */
  let handling: Promise<void> = Promise.resolve();
  let inFlight: SyncBatch | undefined;
  let next: SyncBatch | undefined;

  function handle(work: () => Promise<void> | void): void {
    handling = handling.then(work).catch((err: unknown) => {
      options.log('error', `ha: applying a change from another node failed: ${(err as Error).message}`);
    });
  }

  function newBatch(): SyncBatch {
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
    promise.catch(() => {});
    return { token: `${feedId}:${++sequence}`, promise, resolve, reject };
  }

  function send(batch: SyncBatch): void {
    inFlight = batch;
    batch.timer = setTimeout(() => finish(batch, new ServiceUnavailable('the change feed did not answer in time')), SYNC_TIMEOUT_MS);
    batch.timer.unref();
    options.query('SELECT pg_notify($1, $2)', [channels.sync, batch.token])
      .catch((err: unknown) => finish(batch, new ServiceUnavailable(`the change feed could not sync: ${(err as Error).message}`)));
  }

  function finish(batch: SyncBatch, error?: Error): void {
    if (inFlight !== batch) return;
    clearTimeout(batch.timer);
    inFlight = undefined;
    if (error) batch.reject(error);
    else batch.resolve();
    if (next) {
      const waiting = next;
      next = undefined;
      if (listening) send(waiting);
      else waiting.reject(new ServiceUnavailable('the change feed is not connected'));
    }
  }

  function failAll(error: Error): void {
    if (inFlight) finish(inFlight, error);
    if (next) { next.reject(error); next = undefined; }
  }

  function onNotification(message: pg.Notification): void {
    if (message.channel === channels.changes) {
      const key = message.payload ?? '';
      handle(() => options.onChange(key === '' ? undefined : key));
    } else if (message.channel === channels.sync && inFlight && message.payload === inFlight.token) {
      const batch = inFlight;
      handle(() => finish(batch));
    }
  }

  async function connect(): Promise<void> {
    while (!closed) {
      const candidate = new pg.Client({ connectionString: options.connectionUrl, application_name: channels.applicationName });
      try {
        await options.ready();
        candidate.on('notification', onNotification);
        candidate.on('error', () => lost(candidate));
        candidate.on('end', () => lost(candidate));
        await candidate.connect();
        await candidate.query(`LISTEN ${channels.changes}`);
        await candidate.query(`LISTEN ${channels.sync}`);
        const trigger = await candidate.query('SELECT 1 FROM pg_trigger WHERE tgname = $1', [`${channels.changes}_notify`]);
        if (trigger.rowCount === 0) {
          // skip_create_table without our trigger: no notifications would ever come.
          options.log('warn', `ha: standbys forward every request: trigger ${channels.changes}_notify is missing on ${options.table}`);
          candidate.removeAllListeners('end');
          await candidate.end().catch(() => {});
          return;
        }
        if (closed) { await candidate.end().catch(() => {}); return; }
        client = candidate;
        listening = true;
        retrying = false;
        // Anything may have changed while nobody listened.
        handle(() => options.onChange(undefined));
        return;
      } catch (err) {
        candidate.removeAllListeners('end');
        await candidate.end().catch(() => {});
        if (!retrying) options.log('warn', `ha: listening for changes failed, retrying every ${RECONNECT_DELAY_MS} ms: ${(err as Error).message}`);
        retrying = true;
        await new Promise((r) => setTimeout(r, RECONNECT_DELAY_MS).unref());
      }
    }
  }

  function lost(which: pg.Client): void {
    if (client !== which) return;
    client = undefined;
    listening = false;
    failAll(new ServiceUnavailable('the change feed lost its connection'));
    which.end().catch(() => {});
    if (!closed) {
      options.log('warn', 'ha: the change feed connection was lost; reconnecting');
      setTimeout(() => void connect(), RECONNECT_DELAY_MS).unref();
    }
  }

  void connect();

  return {
    get listening() { return listening; },

    sync(): Promise<void> {
      if (!listening) return Promise.reject(new ServiceUnavailable('the change feed is not connected'));
      // A sync already sent may predate the caller's view of the world: wait for the next one.
      if (!inFlight) {
        const batch = newBatch();
        send(batch);
        return batch.promise;
      }
      next ??= newBatch();
      return next.promise;
    },

    async close(): Promise<void> {
      closed = true;
      listening = false;
      failAll(new ServiceUnavailable('the change feed is closed'));
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
