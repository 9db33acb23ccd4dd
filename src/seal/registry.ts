/**
 * Seal type → factory. The composition root passes the stanzas and the environment in; with
 * no stanza, `ARCA_SEAL_TYPE` / `VAULT_SEAL_TYPE` / `BAO_SEAL_TYPE` can name an auto seal whose
 * parameters then come from the environment alone (as Vault and OpenBao allow).
 */
import { InvalidRequest } from '../errors.js';
import type { SealStanza } from '../config/types.js';
import { createShamirSeal } from './shamir.js';
import type { Seal } from './types.js';
import type { Env, FileReader } from './pkcs11/config.js';

export type { Env } from './pkcs11/config.js';

export interface SealFactoryDeps {
  env: Env;
  files?: FileReader;
}

type SealFactory = (options: Readonly<Record<string, string>>, deps: SealFactoryDeps) => Promise<Seal>;

/**
 * Each seal's module (and its SDK: the cloud SDKs alone add tens of megabytes of resident
 * memory) is loaded only when a stanza names it.
 */
const FACTORIES: ReadonlyMap<string, SealFactory> = new Map<string, SealFactory>([
  ['shamir', async () => createShamirSeal()],
  ['pkcs11', async (options, deps) => {
    const [{ parsePkcs11Config }, { createPkcs11Seal }] = await Promise.all([import('./pkcs11/config.js'), import('./pkcs11/seal.js')]);
    return createPkcs11Seal(parsePkcs11Config(options, deps.env, deps.files));
  }],
  ['transit', async (options, deps) => {
    const [{ parseTransitSealConfig }, { createTransitSeal }] = await Promise.all([import('./transit/config.js'), import('./transit/seal.js')]);
    return createTransitSeal(parseTransitSealConfig(options, deps.env, deps.files && ((path) => deps.files!.read(path))));
  }],
  ['awskms', async (options, deps) => {
    const [{ parseAwsKmsSealConfig }, { createAwsKmsSeal }] = await Promise.all([import('./awskms/config.js'), import('./awskms/seal.js')]);
    return createAwsKmsSeal(parseAwsKmsSealConfig(options, deps.env));
  }],
  ['gcpckms', async (options, deps) => {
    const [{ parseGcpCkmsSealConfig }, { createGcpCkmsSeal }] = await Promise.all([import('./gcpckms/config.js'), import('./gcpckms/seal.js')]);
    return createGcpCkmsSeal(parseGcpCkmsSealConfig(options, deps.env));
  }],
  ['azurekeyvault', async (options, deps) => {
    const [{ parseAzureKeyVaultSealConfig }, { createAzureKeyVaultSeal }] = await Promise.all([import('./azurekeyvault/config.js'), import('./azurekeyvault/seal.js')]);
    return createAzureKeyVaultSeal(parseAzureKeyVaultSealConfig(options, deps.env, deps.files && ((path) => deps.files!.read(path))));
  }],
]);

export function createSealFromStanza(stanza: SealStanza, deps: SealFactoryDeps): Promise<Seal> {
  const factory = FACTORIES.get(stanza.type);
  if (!factory) throw new InvalidRequest(`seal type "${stanza.type}" is not available in this build`);
  return factory(stanza.options, deps);
}

export function sealTypeFromEnv(env: Env): string | undefined {
  for (const name of ['ARCA_SEAL_TYPE', 'VAULT_SEAL_TYPE', 'BAO_SEAL_TYPE']) {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

export interface ChosenSeals {
  /** The enabled seal: what wraps from now on. */
  seal: Seal;
  /** The stanza marked `disabled = "true"`: the seal being migrated away from. */
  migrationSeal?: Seal;
}

/** Enabled seal (Shamir when none is configured) and, during a migration, the disabled one. */
export async function chooseSeals(stanzas: readonly SealStanza[], deps: SealFactoryDeps): Promise<ChosenSeals> {
  const enabled = stanzas.filter((s) => !s.disabled);
  const disabled = stanzas.filter((s) => s.disabled);
  if (enabled.length > 1 || disabled.length > 1) throw new InvalidRequest('at most one enabled and one disabled seal stanza are allowed');
  let seal: Seal;
  if (enabled.length === 1) seal = await createSealFromStanza(enabled[0], deps);
  else if (disabled.length === 1) seal = createShamirSeal(); // auto → Shamir: `disabled` alone means Shamir next
  else {
    const type = sealTypeFromEnv(deps.env);
    seal = await createSealFromStanza({ type: type ?? 'shamir', disabled: false, options: {} }, deps);
  }
  // Shamir → auto needs no disabled stanza (Vault infers it from the stored seal type).
  const migrationSeal = disabled.length === 1 ? await createSealFromStanza(disabled[0], deps) : seal.autoUnseal ? createShamirSeal() : undefined;
  if (migrationSeal && migrationSeal.type === 'shamir' && seal.type === 'shamir') {
    throw new InvalidRequest('seal migration needs an auto seal on one side');
  }
  return { seal, migrationSeal };
}

/**
 * Opens the seal. An auto seal that cannot reach its device yet (library missing, token
 * absent, wrong PIN) does not stop the server: the error is logged as one line, the node
 * stays sealed and the auto-unseal loop retries. A Shamir seal has nothing to reach.
 */
export async function initSeal(seal: Seal, logError: (message: string) => void): Promise<void> {
  try {
    await seal.init();
  } catch (err) {
    if (!seal.autoUnseal) throw err;
    logError(`seal: ${seal.type} not ready, staying sealed: ${(err as Error).message}`);
  }
}
