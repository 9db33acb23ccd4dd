/**
 * Turns one parsed config document (HCL via hcl2json, or JSON) into a ConfigLayer.
 * Accepts both shapes Vault accepts: labelled blocks as `{label: {...}}`, `{label: [{...}]}`
 * or `[{label: {...}}]`. Every unknown stanza or key is collected and reported at once.
 */
import { InvalidRequest } from '../errors.js';
import type { ConfigLayer } from './layer.js';
import type { ListenerConfig, LogLevel, SealStanza, TelemetryConfig } from './types.js';
import { DEFAULT_LISTEN_ADDRESS, DEFAULT_MAX_REQUEST_SIZE } from './types.js';
import { isPlainObject, toBool, toDurationSeconds, toInt, toStr } from './values.js';
import { validCidrs } from '../core/tokens/cidr.js';

const TOP_LEVEL = new Set([
  'storage', 'backend', 'listener', 'seal', 'entropy', 'telemetry', 'api_addr', 'cluster_addr',
  'cluster_name', 'ui', 'log_level', 'log_format', 'default_lease_ttl', 'max_lease_ttl', 'disable_mlock',
]);
const LISTENER_KEYS = new Set([
  'address', 'tls_cert_file', 'tls_key_file', 'tls_min_version', 'tls_disable', 'max_request_size',
  'max_request_duration', 'x_forwarded_for_authorized_addrs', 'x_forwarded_for_hop_skips',
  'x_forwarded_for_reject_not_authorized', 'x_forwarded_for_reject_not_present',
]);
const TELEMETRY_KEYS = new Set(['unauthenticated_metrics_access', 'prometheus_retention_time', 'disable_hostname']);
const KNOWN_STORAGE_KEYS: Record<string, Set<string>> = { sqlite: new Set(['path']), inmem: new Set() };
const LOG_LEVELS: Record<string, LogLevel> = {
  trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', warning: 'warn', error: 'error', err: 'error',
};

interface Labelled { label: string; body: Record<string, unknown> }

export function decodeConfig(doc: unknown, file: string): ConfigLayer {
  if (!isPlainObject(doc)) throw new InvalidRequest(`${file}: config must be an object`);
  const unknown: string[] = [];
  const layer: ConfigLayer = { listeners: [], seals: [] };
  const at = (key: string) => `${file}: ${key}`;

  for (const key of Object.keys(doc)) if (!TOP_LEVEL.has(key)) unknown.push(key);

  for (const stanza of ['storage', 'backend'] as const) {
    if (doc[stanza] === undefined) continue;
    const blocks = labelled(doc[stanza], at(stanza));
    if (blocks.length !== 1 || layer.storage) throw new InvalidRequest(`${file}: only one storage stanza is allowed`);
    const { label, body } = blocks[0];
    const allowed = KNOWN_STORAGE_KEYS[label];
    if (allowed) for (const k of Object.keys(body)) if (!allowed.has(k)) unknown.push(`${stanza}.${label}.${k}`);
    const options: Record<string, unknown> = { ...body };
    if (label === 'sqlite' && body.path !== undefined) options.path = toStr(body.path, at(`${stanza}.sqlite.path`));
    layer.storage = { type: label, options };
  }

  if (doc.listener !== undefined) {
    for (const { label, body } of labelled(doc.listener, at('listener'))) {
      if (label !== 'tcp') throw new InvalidRequest(`${file}: unsupported listener type "${label}" (only "tcp")`);
      for (const k of Object.keys(body)) if (!LISTENER_KEYS.has(k)) unknown.push(`listener.tcp.${k}`);
      layer.listeners.push(decodeListener(body, at(`listener[${layer.listeners.length}]`)));
    }
  }

  if (doc.seal !== undefined) {
    for (const { label, body } of labelled(doc.seal, at('seal'))) layer.seals.push(decodeSeal(label, body, at(`seal.${label}`)));
  }

  if (doc.entropy !== undefined) {
    const blocks = labelled(doc.entropy, at('entropy'));
    if (blocks.length !== 1) throw new InvalidRequest(`${file}: only one entropy stanza is allowed`);
    const { label, body } = blocks[0];
    if (label !== 'seal') throw new InvalidRequest(`${file}: entropy source must be "seal"`);
    for (const k of Object.keys(body)) if (k !== 'mode') unknown.push(`entropy.seal.${k}`);
    if (body.mode !== 'augmentation') throw new InvalidRequest(`${file}: entropy.seal.mode must be "augmentation"`);
    layer.entropy = { mode: 'augmentation', sealType: label };
  }

  if (doc.telemetry !== undefined) {
    const body = mergeBlocks(doc.telemetry, at('telemetry'));
    for (const k of Object.keys(body)) if (!TELEMETRY_KEYS.has(k)) unknown.push(`telemetry.${k}`);
    const telemetry: Partial<TelemetryConfig> = {};
    if (body.unauthenticated_metrics_access !== undefined) {
      telemetry.unauthenticatedMetricsAccess = toBool(body.unauthenticated_metrics_access, at('telemetry.unauthenticated_metrics_access'));
    }
    if (body.prometheus_retention_time !== undefined) {
      telemetry.prometheusRetentionTimeSeconds = toDurationSeconds(body.prometheus_retention_time, at('telemetry.prometheus_retention_time'));
    }
    if (body.disable_hostname !== undefined) telemetry.disableHostname = toBool(body.disable_hostname, at('telemetry.disable_hostname'));
    layer.telemetry = telemetry;
  }

  if (doc.api_addr !== undefined) layer.apiAddr = toStr(doc.api_addr, at('api_addr'));
  if (doc.cluster_addr !== undefined) layer.clusterAddr = toStr(doc.cluster_addr, at('cluster_addr'));
  if (doc.cluster_name !== undefined) layer.clusterName = toStr(doc.cluster_name, at('cluster_name'));
  if (doc.ui !== undefined) layer.ui = toBool(doc.ui, at('ui'));
  if (doc.disable_mlock !== undefined) layer.disableMlock = toBool(doc.disable_mlock, at('disable_mlock'));
  if (doc.default_lease_ttl !== undefined) layer.defaultLeaseTtlSeconds = toDurationSeconds(doc.default_lease_ttl, at('default_lease_ttl'));
  if (doc.max_lease_ttl !== undefined) layer.maxLeaseTtlSeconds = toDurationSeconds(doc.max_lease_ttl, at('max_lease_ttl'));
  if (doc.log_level !== undefined) {
    const level = LOG_LEVELS[toStr(doc.log_level, at('log_level')).trim().toLowerCase()];
    if (!level) throw new InvalidRequest(`${file}: log_level must be one of trace, debug, info, warn, error`);
    layer.logLevel = level;
  }
  if (doc.log_format !== undefined) {
    const format = toStr(doc.log_format, at('log_format')).trim().toLowerCase();
    if (format !== 'standard' && format !== 'json') throw new InvalidRequest(`${file}: log_format must be "standard" or "json"`);
    layer.logFormat = format;
  }

  if (unknown.length > 0) {
    throw new InvalidRequest(`${file}: unknown configuration ${unknown.length === 1 ? 'key' : 'keys'}: ${unknown.join(', ')}`);
  }
  return layer;
}

function decodeListener(body: Record<string, unknown>, where: string): ListenerConfig {
  const listener: ListenerConfig = {
    type: 'tcp',
    address: body.address === undefined ? DEFAULT_LISTEN_ADDRESS : toStr(body.address, `${where}.address`),
    tlsDisable: body.tls_disable === undefined ? false : toBool(body.tls_disable, `${where}.tls_disable`),
    tlsMinVersion: 'tls12',
    maxRequestSize: DEFAULT_MAX_REQUEST_SIZE,
  };
  if (body.tls_cert_file !== undefined) listener.tlsCertFile = toStr(body.tls_cert_file, `${where}.tls_cert_file`);
  if (body.tls_key_file !== undefined) listener.tlsKeyFile = toStr(body.tls_key_file, `${where}.tls_key_file`);
  if (body.tls_min_version !== undefined) {
    const version = toStr(body.tls_min_version, `${where}.tls_min_version`);
    if (version !== 'tls12' && version !== 'tls13') throw new InvalidRequest(`${where}.tls_min_version must be "tls12" or "tls13"`);
    listener.tlsMinVersion = version;
  }
  if (body.max_request_size !== undefined) {
    const size = toInt(body.max_request_size, `${where}.max_request_size`);
    if (size !== 0) listener.maxRequestSize = size;
  }
  if (body.max_request_duration !== undefined) {
    listener.maxRequestDurationSeconds = toDurationSeconds(body.max_request_duration, `${where}.max_request_duration`);
  }
  if (body.x_forwarded_for_authorized_addrs !== undefined) {
    const raw = body.x_forwarded_for_authorized_addrs;
    const addrs = (Array.isArray(raw) ? raw.map((a, i) => toStr(a, `${where}.x_forwarded_for_authorized_addrs[${i}]`)) : toStr(raw, `${where}.x_forwarded_for_authorized_addrs`).split(','))
      .map((a) => a.trim()).filter((a) => a !== '');
    if (!validCidrs(addrs)) throw new InvalidRequest(`${where}.x_forwarded_for_authorized_addrs must be a list of CIDR blocks`);
    const flag = (key: string) => (body[key] === undefined ? true : toBool(body[key], `${where}.${key}`));
    listener.xForwardedFor = {
      authorizedAddrs: addrs,
      hopSkips: body.x_forwarded_for_hop_skips === undefined ? 0 : toInt(body.x_forwarded_for_hop_skips, `${where}.x_forwarded_for_hop_skips`),
      rejectNotAuthorized: flag('x_forwarded_for_reject_not_authorized'),
      rejectNotPresent: flag('x_forwarded_for_reject_not_present'),
    };
  }
  if (!listener.tlsDisable && (!listener.tlsCertFile || !listener.tlsKeyFile)) {
    throw new InvalidRequest(`${where}: tls_cert_file and tls_key_file are required unless tls_disable is set`);
  }
  return listener;
}

function decodeSeal(type: string, body: Record<string, unknown>, where: string): SealStanza {
  const options: Record<string, string> = {};
  let disabled = false;
  for (const [k, v] of Object.entries(body)) {
    if (k === 'disabled') disabled = toBool(v, `${where}.disabled`);
    else options[k] = toStr(v, `${where}.${k}`);
  }
  return { type, disabled, options };
}

/** `{label: body|body[]}` or `[{label: body}]` → flat list. */
function labelled(value: unknown, where: string): Labelled[] {
  const out: Labelled[] = [];
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (!isPlainObject(item)) throw new InvalidRequest(`${where}: expected a labelled block`);
    for (const [label, raw] of Object.entries(item)) {
      for (const body of Array.isArray(raw) ? raw : [raw]) {
        if (!isPlainObject(body)) throw new InvalidRequest(`${where} "${label}": expected a block`);
        out.push({ label, body });
      }
    }
  }
  return out;
}

/** An unlabelled block given once or several times: later keys win. */
function mergeBlocks(value: unknown, where: string): Record<string, unknown> {
  const items = Array.isArray(value) ? value : [value];
  const out: Record<string, unknown> = {};
  for (const item of items) {
    if (!isPlainObject(item)) throw new InvalidRequest(`${where}: expected a block`);
    Object.assign(out, item);
  }
  return out;
}
