/**
 * High availability on PostgreSQL: a lock row with a short TTL that the active node renews,
 * a generation that changes with every new holder, and fenced writes that only land while the
 * writer still holds the lock at the generation it was given. Time comes from the database
 * (now()), so node clocks do not matter.
 *
 * Fencing is one statement per write: a CTE takes `FOR SHARE` on the lock row and the write
 * only happens if that row still names this holder, this generation, and an unexpired TTL. A
 * takeover (an UPDATE of the row) and a fenced write therefore serialise on the row lock; once
 * the row has moved on, no write from the old holder can land.
 */
import type pg from 'pg';
import { InvalidRequest } from '../errors.js';
import type { HALock } from './types.js';

export const DEFAULT_HA_TABLE = 'arca_ha_locks';
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export interface Fence {
  lockKey: string;
  holderId: string;
  generation: number;
}

export interface NodeInfo {
  holderId: string;
  apiAddr: string;
  clusterAddr: string;
  hostname: string;
  lastSeen: Date;
}

export function haTables(haTable = DEFAULT_HA_TABLE) {
  if (!IDENTIFIER.test(haTable)) throw new InvalidRequest('postgresql storage "ha_table" must be a plain lower-case identifier');
  const nodes = `${haTable}_nodes`;
  return {
    schema: [
      `CREATE TABLE IF NOT EXISTS ${haTable} (ha_key TEXT COLLATE "C" PRIMARY KEY, ha_identity TEXT NOT NULL,
        ha_value TEXT NOT NULL, generation BIGINT NOT NULL, valid_until TIMESTAMPTZ NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS ${nodes} (identity TEXT PRIMARY KEY, api_addr TEXT NOT NULL,
        cluster_addr TEXT NOT NULL, hostname TEXT NOT NULL, last_seen TIMESTAMPTZ NOT NULL)`,
    ],
    tryLock: `INSERT INTO ${haTable} AS l (ha_key, ha_identity, ha_value, generation, valid_until)
      VALUES ($1, $2, $3, 1, now() + $4 * interval '1 millisecond')
      ON CONFLICT (ha_key) DO UPDATE SET ha_identity = EXCLUDED.ha_identity, ha_value = EXCLUDED.ha_value,
        generation = CASE WHEN l.ha_identity = EXCLUDED.ha_identity THEN l.generation ELSE l.generation + 1 END,
        valid_until = EXCLUDED.valid_until
      WHERE l.ha_identity = EXCLUDED.ha_identity OR l.valid_until < now()
      RETURNING generation`,
    unlock: `UPDATE ${haTable} SET valid_until = now() - interval '1 millisecond' WHERE ha_key = $1 AND ha_identity = $2`,
    holder: `SELECT ha_identity, ha_value FROM ${haTable} WHERE ha_key = $1 AND valid_until > now()`,
    /** `FROM fence` yields one row while the fence holds. Parameters $1..$3 = key, holder, generation. */
    fenceCte: `fence AS (SELECT 1 FROM ${haTable} WHERE ha_key = $1 AND ha_identity = $2 AND generation = $3
      AND valid_until > now() FOR SHARE)`,
    heartbeat: `INSERT INTO ${nodes} (identity, api_addr, cluster_addr, hostname, last_seen) VALUES ($1, $2, $3, $4, now())
      ON CONFLICT (identity) DO UPDATE SET api_addr = EXCLUDED.api_addr, cluster_addr = EXCLUDED.cluster_addr,
        hostname = EXCLUDED.hostname, last_seen = now()`,
    nodes: `SELECT identity, api_addr, cluster_addr, hostname, last_seen FROM ${nodes}
      WHERE last_seen > now() - interval '30 seconds' ORDER BY identity`,
  };
}

export type HaSql = ReturnType<typeof haTables>;

export function createPostgresHALock(pool: pg.Pool, sql: HaSql, lockKey: string, ready: () => Promise<void>): HALock & {
  heartbeat(node: Omit<NodeInfo, 'lastSeen'>): Promise<void>;
  nodes(): Promise<NodeInfo[]>;
} {
  return {
    async tryLock(holderId, value, ttlMs) {
      await ready();
      const { rows } = await pool.query<{ generation: string }>(sql.tryLock, [lockKey, holderId, value, ttlMs]);
      return rows.length === 1 ? Number(rows[0].generation) : undefined;
    },
    async unlock(holderId) {
      await ready();
      await pool.query(sql.unlock, [lockKey, holderId]);
    },
    async lockValue() {
      await ready();
      const { rows } = await pool.query<{ ha_identity: string; ha_value: string }>(sql.holder, [lockKey]);
      return rows[0] ? { holderId: rows[0].ha_identity, value: rows[0].ha_value } : undefined;
    },
    async heartbeat(node) {
      await ready();
      await pool.query(sql.heartbeat, [node.holderId, node.apiAddr, node.clusterAddr, node.hostname]);
    },
    async nodes() {
      await ready();
      const { rows } = await pool.query<{ identity: string; api_addr: string; cluster_addr: string; hostname: string; last_seen: Date }>(sql.nodes);
      return rows.map((r) => ({ holderId: r.identity, apiAddr: r.api_addr, clusterAddr: r.cluster_addr, hostname: r.hostname, lastSeen: r.last_seen }));
    },
  };
}
