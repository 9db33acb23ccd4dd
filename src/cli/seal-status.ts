/** `arca status` / `operator unseal` output: Vault's seal-status table plus HA facts from sys/leader. */
import { ApiError, type Client } from './client.js';
import { println, type CliContext } from './command.js';
import { columns, json, type OutputFormat } from './format.js';

export interface SealStatus {
  type: string; initialized: boolean; sealed: boolean; t: number; n: number; progress: number; nonce: string;
  version?: string; build_date?: string; migration?: boolean; cluster_name?: string; cluster_id?: string;
  recovery_seal?: boolean; recovery_seal_type?: string; storage_type?: string;
  [key: string]: unknown;
}

interface Leader {
  ha_enabled: boolean; is_self?: boolean; active_time?: string; leader_address?: string; leader_cluster_address?: string;
}

async function leaderStatus(client: Client): Promise<Leader> {
  try {
    const res = await client.get('sys/leader', { accept: [404] });
    if (res.status === 404) return { ha_enabled: false };
    return res.body as Leader;
  } catch (err) {
    // Sealed with HA: the leader cannot be asked, which itself means HA is on.
    if (err instanceof ApiError && err.errors.some((e) => e.includes('Vault is sealed'))) return { ha_enabled: true };
    throw err;
  }
}

export function sealStatusRows(status: SealStatus, leader: Leader): string[][] {
  const rows: string[][] = [['Seal Type', status.type]];
  const prefix = status.recovery_seal ? 'Recovery ' : '';
  if (status.recovery_seal) rows.push(['Recovery Seal Type', status.recovery_seal_type ?? '']);
  rows.push(['Initialized', String(status.initialized)], ['Sealed', String(status.sealed)]);
  rows.push([`Total ${prefix}Shares`, String(status.n)], ['Threshold', String(status.t)]);
  if (status.sealed) rows.push(['Unseal Progress', `${status.progress}/${status.t}`], ['Unseal Nonce', status.nonce ?? '']);
  if (status.migration) rows.push(['Seal Migration in Progress', 'true']);
  if (status.version) rows.push(['Version', status.version]);
  if (status.build_date) rows.push(['Build Date', status.build_date]);
  if (status.storage_type) rows.push(['Storage Type', status.storage_type]);
  if (status.cluster_name && status.cluster_id) rows.push(['Cluster Name', status.cluster_name], ['Cluster ID', status.cluster_id]);
  rows.push(['HA Enabled', String(leader.ha_enabled)]);
  if (leader.ha_enabled && !status.sealed) {
    rows.push(['HA Cluster', leader.leader_cluster_address ?? '']);
    rows.push(['HA Mode', leader.is_self ? 'active' : 'standby']);
    if (leader.is_self && leader.active_time) rows.push(['Active Since', leader.active_time]);
    if (!leader.is_self && leader.leader_address) rows.push(['Active Node Address', leader.leader_address]);
  }
  return rows;
}

export async function printSealStatus(ctx: CliContext, client: Client, status: SealStatus, format: OutputFormat): Promise<void> {
  const leader = await leaderStatus(client);
  if (format === 'json') {
    println(ctx.stdout, json({ ...status, ...leader }));
    return;
  }
  println(ctx.stdout, columns([['Key', 'Value'], ['---', '-----'], ...sealStatusRows(status, leader)]));
}
