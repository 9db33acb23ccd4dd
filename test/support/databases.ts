/** The machine's database servers, as the tests reach them. */
import { connect } from 'node:net';

export const POSTGRES_URL = process.env.ARCA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MARIADB_URL = process.env.ARCA_TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

export const postgresReachable = () => portOpen(5432);
export const mariadbReachable = () => portOpen(3306);
