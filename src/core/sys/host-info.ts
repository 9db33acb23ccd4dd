/**
 * sys/host-info: the host the server runs on (CPUs, CPU times, the root filesystem, host and
 * memory figures), with gopsutil's key names as Vault returns them. Only what Node and Linux's
 * /proc report is included; a part that cannot be read is left out with a warning.
 */
import { cpus, freemem, hostname, machine, platform, release, totalmem, uptime } from 'node:os';
import { readdir, readFile, statfs } from 'node:fs/promises';
import { path } from '../../framework/path.js';

function percent(part: number, whole: number): number {
  return whole > 0 ? (part / whole) * 100 : 0;
}

async function diskUsage(mountPoint: string): Promise<Record<string, unknown>> {
  const s = await statfs(mountPoint);
  const total = s.blocks * s.bsize;
  const free = s.bavail * s.bsize;
  const used = (s.blocks - s.bfree) * s.bsize;
  const inodesUsed = s.files - s.ffree;
  return {
    path: mountPoint, total, free, used, usedPercent: percent(used, used + free),
    inodesTotal: s.files, inodesUsed, inodesFree: s.ffree, inodesUsedPercent: percent(inodesUsed, s.files),
  };
}

/** MemAvailable from /proc/meminfo (Linux), in bytes. */
async function memAvailable(): Promise<number> {
  const text = await readFile('/proc/meminfo', 'utf8');
  const match = /^MemAvailable:\s+(\d+) kB$/m.exec(text);
  if (!match) throw new Error('MemAvailable missing from /proc/meminfo');
  return Number(match[1]) * 1024;
}

async function processCount(): Promise<number> {
  return (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).length;
}

export async function collectHostInfo(now = new Date()): Promise<{ data: Record<string, unknown>; warnings: string[] }> {
  const warnings: string[] = [];
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      warnings.push(`${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      return undefined;
    }
  };
  const linux = platform() === 'linux';
  const processors = cpus();
  const seconds = (ms: number) => ms / 1000;

  const total = totalmem();
  const available = (linux ? await attempt('memory', memAvailable) : undefined) ?? freemem();
  const disk = await attempt('disk', () => diskUsage('/'));
  const procs = linux ? await attempt('host', processCount) : undefined;
  const up = uptime();

  const data: Record<string, unknown> = {
    cpu: processors.map((c, index) => ({ cpu: index, modelName: c.model, mhz: c.speed })),
    cpu_times: processors.map((c, index) => ({
      cpu: `cpu${index}`, user: seconds(c.times.user), system: seconds(c.times.sys), idle: seconds(c.times.idle),
      nice: seconds(c.times.nice), irq: seconds(c.times.irq),
    })),
    disk: disk ? [disk] : [],
    host: {
      hostname: hostname(),
      uptime: Math.floor(up),
      bootTime: Math.floor(now.getTime() / 1000 - up),
      ...(procs !== undefined ? { procs } : {}),
      os: platform(),
      kernelVersion: release(),
      kernelArch: machine(),
    },
    memory: { total, available, used: total - available, usedPercent: percent(total - available, total), free: freemem() },
    timestamp: now.toISOString(),
  };
  return { data, warnings };
}

export function hostInfoPaths() {
  return {
    paths: [
      path({
        pattern: 'host-info',
        synopsis: 'CPU, memory, disk and host figures of the machine the server runs on.',
        operations: {
          read: async () => {
            const { data, warnings } = await collectHostInfo();
            return { data, ...(warnings.length > 0 ? { warnings } : {}) };
          },
        },
      }),
    ],
  };
}
