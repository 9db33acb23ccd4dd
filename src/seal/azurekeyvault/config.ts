/**
 * `seal "azurekeyvault"` parameters (Vault's names; SEALS.md §2.1). A stanza value wins; a
 * missing one falls back to the environment the composition root passes in: AZURE_TENANT_ID,
 * AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_ENVIRONMENT (default AZUREPUBLICCLOUD),
 * AZURE_AD_RESOURCE (`resource`, default the environment's Key Vault suffix, vault.azure.net;
 * managedhsm.azure.net for Managed HSM), VAULT_AZUREKEYVAULT_VAULT_NAME,
 * VAULT_AZUREKEYVAULT_KEY_NAME (then go-kms-wrapping's AZUREKEYVAULT_WRAPPER_VAULT_NAME /
 * _KEY_NAME). Without a client secret the seal uses managed identity (MSI).
 *
 * Arca additions for private endpoints and the test stand-in (Vault has none of these):
 * `vault_url` (replaces https://<vault_name>.<resource>; the Key Vault challenge's resource is
 * then not required to match the URL's host), `authority_host` (replaces the environment's
 * Entra ID host; instance discovery is skipped) and `tls_ca_cert` (PEM file trusted for both).
 */
import { readFileSync } from 'node:fs';
import { InvalidRequest } from '../../errors.js';

export type Env = Readonly<Record<string, string | undefined>>;
export type ReadText = (path: string) => string;

export interface AzureKeyVaultSealConfig {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  environment: string;
  vaultUrl: string;
  keyName: string;
  authorityHost: string;
  /** True when vault_url / authority_host replaced the cloud's own hosts. */
  customVaultUrl: boolean;
  customAuthority: boolean;
  caCert?: string;
}

/** Vault's environment names → Entra ID authority and Key Vault DNS suffix. */
export const AZURE_ENVIRONMENTS: Readonly<Record<string, { authority: string; keyVaultSuffix: string }>> = {
  AZUREPUBLICCLOUD: { authority: 'https://login.microsoftonline.com', keyVaultSuffix: 'vault.azure.net' },
  AZURECHINACLOUD: { authority: 'https://login.chinacloudapi.cn', keyVaultSuffix: 'vault.azure.cn' },
  AZUREUSGOVERNMENTCLOUD: { authority: 'https://login.microsoftonline.us', keyVaultSuffix: 'vault.usgovcloudapi.net' },
  AZUREGERMANCLOUD: { authority: 'https://login.microsoftonline.de', keyVaultSuffix: 'vault.microsoftazure.de' },
};

export const KNOWN_PARAMETERS: readonly string[] = [
  'tenant_id', 'client_id', 'client_secret', 'environment', 'vault_name', 'key_name', 'resource',
  'vault_url', 'authority_host', 'tls_ca_cert', 'name', 'priority', 'disabled',
];

const ENV_FALLBACKS: Readonly<Record<string, readonly string[]>> = {
  tenant_id: ['AZURE_TENANT_ID'],
  client_id: ['AZURE_CLIENT_ID'],
  client_secret: ['AZURE_CLIENT_SECRET'],
  environment: ['AZURE_ENVIRONMENT'],
  resource: ['AZURE_AD_RESOURCE'],
  vault_name: ['VAULT_AZUREKEYVAULT_VAULT_NAME', 'AZUREKEYVAULT_WRAPPER_VAULT_NAME'],
  key_name: ['VAULT_AZUREKEYVAULT_KEY_NAME', 'AZUREKEYVAULT_WRAPPER_KEY_NAME'],
};

function httpsUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidRequest(`seal "azurekeyvault": ${name} must be an https URL`);
  }
  if (url.protocol !== 'https:') throw new InvalidRequest(`seal "azurekeyvault": ${name} must be an https URL`);
  return url.origin;
}

export function parseAzureKeyVaultSealConfig(options: Readonly<Record<string, string>>, env: Env, read: ReadText = (p) => readFileSync(p, 'utf8')): AzureKeyVaultSealConfig {
  for (const name of Object.keys(options)) {
    if (!KNOWN_PARAMETERS.includes(name)) throw new InvalidRequest(`seal "azurekeyvault": unknown parameter "${name}"`);
  }
  const value = (name: string): string | undefined =>
    [options[name], ...(ENV_FALLBACKS[name] ?? []).map((v) => env[v])].find((v) => v !== undefined && v !== '');
  const environmentName = (value('environment') ?? 'AZUREPUBLICCLOUD').toUpperCase();
  const environment = AZURE_ENVIRONMENTS[environmentName];
  if (!environment) throw new InvalidRequest(`seal "azurekeyvault": unknown environment (one of ${Object.keys(AZURE_ENVIRONMENTS).join(', ')})`);
  const keyName = value('key_name');
  if (!keyName) throw new InvalidRequest('seal "azurekeyvault": missing key_name (or VAULT_AZUREKEYVAULT_KEY_NAME)');
  if (!/^[A-Za-z0-9-]{1,127}$/.test(keyName)) throw new InvalidRequest('seal "azurekeyvault": key_name may hold only letters, digits and dashes');
  let vaultUrl: string;
  const override = options.vault_url;
  if (override) {
    vaultUrl = httpsUrl(override, 'vault_url');
  } else {
    const vaultName = value('vault_name');
    if (!vaultName) throw new InvalidRequest('seal "azurekeyvault": missing vault_name (or VAULT_AZUREKEYVAULT_VAULT_NAME)');
    if (!/^[A-Za-z0-9-]{3,24}$/.test(vaultName)) throw new InvalidRequest('seal "azurekeyvault": vault_name must be 3-24 letters, digits or dashes');
    const resource = (value('resource') ?? environment.keyVaultSuffix).replace(/^https?:\/\//, '').replace(/\/+$/, '');
    vaultUrl = `https://${vaultName}.${resource}`;
  }
  const clientSecret = value('client_secret');
  const tenantId = value('tenant_id');
  const clientId = value('client_id');
  if (clientSecret && (!tenantId || !clientId)) throw new InvalidRequest('seal "azurekeyvault": client_secret needs tenant_id and client_id');
  let caCert: string | undefined;
  if (options.tls_ca_cert) {
    try {
      caCert = read(options.tls_ca_cert);
    } catch {
      throw new InvalidRequest('seal "azurekeyvault": cannot read tls_ca_cert file');
    }
  }
  return {
    tenantId, clientId, clientSecret,
    environment: environmentName,
    vaultUrl,
    keyName,
    authorityHost: options.authority_host ? httpsUrl(options.authority_host, 'authority_host') : environment.authority,
    customVaultUrl: Boolean(override),
    customAuthority: Boolean(options.authority_host),
    caCert,
  };
}
