import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println, tooManyArgs } from '../command.js';
import { json } from '../format.js';

interface InitResponse {
  keys?: string[]; keys_base64?: string[]; recovery_keys?: string[]; recovery_keys_base64?: string[]; root_token: string;
}

export const operatorInitCommand = defineCommand({
  name: 'operator init',
  synopsis: 'Initializes a server',
  help: `Usage: arca operator init [options]

  Initializes a server: generates the root key, splits it into key shares (Shamir) or, with an
  auto seal, creates recovery key shares, and prints them with the initial root token.
  This happens once per cluster.

      $ arca operator init -key-shares=5 -key-threshold=3`,
  flags: {
    ...HTTP_FLAGS,
    ...OUTPUT_FLAGS,
    'key-shares': { kind: 'int', usage: 'Number of key shares to split the root key into.', default: 5 },
    'key-threshold': { kind: 'int', usage: 'Number of key shares required to reconstruct the root key.', default: 3 },
    'recovery-shares': { kind: 'int', usage: 'Number of recovery key shares (auto seal only).', default: 5 },
    'recovery-threshold': { kind: 'int', usage: 'Number of recovery key shares required (auto seal only).', default: 3 },
    status: { kind: 'bool', usage: 'Print the initialization status only: exit 0 initialized, 2 not initialized.' },
  },
  async run(ctx, flags, args, set) {
    if (args.length > 0) return tooManyArgs(ctx, '0', args.length);
    const format = formatFrom(ctx, flags, set);
    const client = clientFrom(ctx, flags);
    if (flags.status) {
      try {
        const { initialized } = (await client.get('sys/init')).body as { initialized: boolean };
        println(ctx.stdout, initialized ? 'Vault is initialized' : 'Vault is not initialized');
        return initialized ? 0 : 2;
      } catch (err) {
        apiFailure(ctx, 'Error checking init status', err);
        return 1;
      }
    }
    const request = {
      secret_shares: flags['key-shares'],
      secret_threshold: flags['key-threshold'],
      stored_shares: 0,
      pgp_keys: null,
      recovery_shares: flags['recovery-shares'],
      recovery_threshold: flags['recovery-threshold'],
      recovery_pgp_keys: null,
      root_token_pgp_key: '',
    };
    let resp: InitResponse;
    try {
      resp = (await client.put('sys/init', request)).body as InitResponse;
    } catch (err) {
      return apiFailure(ctx, 'Error initializing', err);
    }
    if (format === 'json') {
      println(ctx.stdout, json({
        unseal_keys_b64: resp.keys_base64 ?? [], unseal_keys_hex: resp.keys ?? [],
        unseal_shares: request.secret_shares, unseal_threshold: request.secret_threshold,
        recovery_keys_b64: resp.recovery_keys_base64 ?? [], recovery_keys_hex: resp.recovery_keys ?? [],
        recovery_keys_shares: request.recovery_shares, recovery_keys_threshold: request.recovery_threshold,
        root_token: resp.root_token,
      }));
      return 0;
    }
    const keys = resp.keys ?? [];
    keys.forEach((key, i) => println(ctx.stdout, `Unseal Key ${i + 1}: ${resp.keys_base64?.length === keys.length ? resp.keys_base64[i] : key}`));
    const recovery = resp.recovery_keys ?? [];
    recovery.forEach((key, i) => println(ctx.stdout, `Recovery Key ${i + 1}: ${resp.recovery_keys_base64?.length === recovery.length ? resp.recovery_keys_base64[i] : key}`));
    println(ctx.stdout);
    println(ctx.stdout, `Initial Root Token: ${resp.root_token}`);
    println(ctx.stdout);
    if (keys.length > 0) {
      const t = request.secret_threshold;
      println(ctx.stdout, `Vault initialized with ${request.secret_shares} key shares and a key threshold of ${t}. Please
securely distribute the key shares printed above. When the Vault is re-sealed,
restarted, or stopped, you must supply at least ${t} of these keys to unseal it
before it can start servicing requests.

Vault does not store the generated root key. Without at least ${t} keys to
reconstruct the root key, Vault will remain permanently sealed!

It is possible to generate new unseal keys, provided you have a quorum of
existing unseal keys shares. See "arca operator rekey" for more information.`);
    } else {
      println(ctx.stdout, 'Success! Vault is initialized');
    }
    if (recovery.length > 0) {
      println(ctx.stdout);
      println(ctx.stdout, `Recovery key initialized with ${request.recovery_shares} key shares and a key threshold of
${request.recovery_threshold}. Please securely distribute the key shares printed above.`);
    }
    return 0;
  },
});
