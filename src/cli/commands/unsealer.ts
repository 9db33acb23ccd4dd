/** `arca unsealer init|unseal`: thin wrappers; the logic lives in src/unsealer/. */
import { readFileSync } from 'node:fs';
import { createLogger } from '../../util/log.js';
import { createClient } from '../client.js';
import { defineCommand, println, tooManyArgs, type CliContext, type Command } from '../command.js';
import { FlagError, type FlagSpecs, type FlagValues } from '../flags.js';
import { clientSettings } from '../settings.js';
import type { UnsealerContext } from '../../unsealer/context.js';
import { INIT_FLAGS, UNSEAL_FLAGS } from '../../unsealer/flags.js';
import { withEnv } from '../../unsealer/env-flags.js';
import { TEST_KEY } from '../../unsealer/key-names.js';
import { KeyStoreError } from '../../unsealer/key-store.js';
import { resolveOptions } from '../../unsealer/options.js';
import { runInit, runUnseal } from '../../unsealer/run.js';
import { openKeyStore } from '../../unsealer/stores.js';

const STORES = `  Key stores (--mode):
    file   one file per key in --file-path (0600 files in a 0700 directory)
    hsm    RSA-OAEP encrypted CKO_DATA objects on a PKCS#11 token (--hsm-*)
    vault  a KV version 2 path in another Vault or Arca (--vault-*)

  Every flag can also be set as ARCA_UNSEALER_<FLAG> or BANK_VAULTS_<FLAG>, e.g.
  BANK_VAULTS_HSM_PIN. The server address comes from -address, ARCA_ADDR or VAULT_ADDR.`;

type Flags = FlagValues<typeof UNSEAL_FLAGS>;

async function run(ctx: CliContext, values: Flags, set: Set<string>, specs: FlagSpecs, body: (u: UnsealerContext) => Promise<number>): Promise<number> {
  const flags = withEnv(specs, values as FlagValues<FlagSpecs>, set, ctx.env) as unknown as Flags;
  const options = resolveOptions(flags, (path) => {
    try { return readFileSync(path, 'utf8'); } catch (err) {
      throw new FlagError(`cannot read --vault-token-path ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  });
  const log = createLogger({ level: 'info', write: (line) => ctx.stderr.write(`${line}\n`) });
  const settings = clientSettings(flags, ctx.env, ctx.homeDir);
  delete settings.token; // init, unseal and seal-status need none
  const client = createClient(settings);
  let store;
  try {
    store = await openKeyStore(options, (message) => log.log('warn', message));
  } catch (err) {
    if (err instanceof KeyStoreError) { println(ctx.stderr, `Error opening the key store: ${err.message}`); return 1; }
    throw err;
  }
  const stop = new AbortController();
  void ctx.waitForStop().then(() => stop.abort());
  log.log('info', `arca unsealer: server ${client.address}, ${store.description}`);
  // Reach the store now (log in, resolve the path) rather than first at the next seal.
  try {
    await store.get(TEST_KEY);
  } catch (err) {
    if (!(err instanceof KeyStoreError)) throw err;
    log.log('error', `key store check failed: ${err.message}`);
    if (options.once) { await store.close(); return 1; }
  }
  try {
    return await body({ client, clientWithToken: (token) => createClient({ ...settings, token }), store, log, options, signal: stop.signal });
  } finally {
    await store.close();
  }
}

export const unsealerInitCommand = defineCommand({
  name: 'unsealer init',
  synopsis: 'Initialize a server and keep its keys in a key store (Bank-Vaults compatible)',
  help: `Usage: arca unsealer init [options]

  Initializes the server once and stores the key shares as vault-unseal-<i> (or, with an auto
  seal, vault-recovery-<i>) and the root token as vault-root. Does nothing when the server is
  initialized; refuses when the server is not initialized but the store already holds keys.

      $ arca unsealer init --mode=file --file-path=/var/lib/arca-unsealer

${STORES}`,
  flags: INIT_FLAGS,
  async run(ctx, flags, args, set) {
    if (args.length > 0) return tooManyArgs(ctx, '0', args.length);
    return run(ctx, { ...flags, init: true, auto: false }, set, INIT_FLAGS, runInit);
  },
});

export const unsealerUnsealCommand = defineCommand({
  name: 'unsealer unseal',
  synopsis: 'Keep a server unsealed with shares from a key store (Bank-Vaults compatible)',
  help: `Usage: arca unsealer unseal [options]

  Every --unseal-period reads the seal status and, when the server is sealed, sends the stored
  shares until it unseals. With --init it first initializes the server when needed; with --auto
  (an auto-sealed server) it only initializes. --once runs a single pass.

      $ arca unsealer unseal --init --mode=file --file-path=/var/lib/arca-unsealer

${STORES}`,
  flags: UNSEAL_FLAGS,
  async run(ctx, flags, args, set) {
    if (args.length > 0) return tooManyArgs(ctx, '0', args.length);
    return run(ctx, flags, set, UNSEAL_FLAGS, runUnseal);
  },
});

export const unsealerCommands: ReadonlyArray<Command<FlagSpecs>> = [unsealerInitCommand, unsealerUnsealCommand] as unknown as ReadonlyArray<Command<FlagSpecs>>;
