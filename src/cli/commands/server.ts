import { loadConfig, defaultDevConfig } from '../../config/index.js';
import type { ServerConfig } from '../../config/index.js';
import { isArcaError } from '../../errors.js';
import { defineCommand, println } from '../command.js';
import { storeToken } from '../token-helper.js';

export const serverCommand = defineCommand({
  name: 'server',
  synopsis: 'Start an Arca server',
  help: `Usage: arca server [options]

  Starts a server that answers Vault's HTTP API. With -config it runs a durable node from HCL or
  JSON files (a directory reads every .hcl/.json in it). With -dev it runs in memory, initialized
  and unsealed, with the root token and unseal key printed: for development only.

      $ arca server -config=/etc/arca/arca.hcl
      $ arca server -dev -dev-root-token-id=root`,
  flags: {
    config: { kind: 'strings', usage: 'Path to a config file or directory; may be repeated.' },
    dev: { kind: 'bool', usage: 'Start an in-memory, unsealed development server.' },
    'dev-root-token-id': { kind: 'string', usage: 'Root token id of the dev server (default: generated).' },
    'dev-listen-address': { kind: 'string', usage: 'Address the dev server listens on.', default: '127.0.0.1:8200' },
  },
  async run(ctx, flags, args) {
    if (args.length > 0) { println(ctx.stderr, `Too many arguments (expected 0, got ${args.length})`); return 1; }
    if (!flags.dev && flags.config.length === 0) {
      println(ctx.stderr, 'At least one config path must be specified with -config');
      return 1;
    }
    let config: ServerConfig;
    try {
      if (flags.dev) {
        // Dev mode ignores storage from any config and keeps everything in memory.
        const base = flags.config.length > 0 ? await loadConfig(flags.config, dataDirOption(ctx.env)) : undefined;
        const dev = defaultDevConfig(flags['dev-listen-address']);
        config = base ? { ...base, storage: dev.storage, listeners: dev.listeners } : dev;
      } else {
        config = await loadConfig(flags.config, dataDirOption(ctx.env));
        if (config.listeners.length === 0) { println(ctx.stderr, 'Error: no listener stanza found in the configuration'); return 1; }
      }
    } catch (err) {
      if (isArcaError(err)) { println(ctx.stderr, `Error loading configuration: ${err.message}`); return 1; }
      throw err;
    }

    const stopped = ctx.waitForStop();
    let server;
    try {
      const devOptions: { rootTokenId?: string; listenAddress?: string } = { listenAddress: flags['dev-listen-address'] };
      if (flags['dev-root-token-id']) devOptions.rootTokenId = flags['dev-root-token-id'];
      // Loaded only here: client commands never pull in the server.
      const { startServer } = await import('../../server/run.js');
      // SIGHUP re-reads the config files (log level, TLS certificates) as Vault does.
      const reloadConfig = flags.config.length > 0 ? () => loadConfig(flags.config, dataDirOption(ctx.env)) : undefined;
      server = await startServer(config, flags.dev ? { dev: devOptions, reloadConfig } : { reloadConfig });
    } catch (err) {
      println(ctx.stderr, `Error starting server: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }

    println(ctx.stdout, '==> Arca server configuration:');
    println(ctx.stdout);
    println(ctx.stdout, `             Storage: ${config.storage.type}`);
    for (const address of server.addresses) println(ctx.stdout, `            Listener: ${address}`);
    println(ctx.stdout, `           Log Level: ${config.logLevel}`);
    println(ctx.stdout);
    if (flags.dev && server.devCredentials) {
      // As Vault does: the dev root token is stored for the CLI (best effort).
      try { storeToken(ctx.homeDir, server.devCredentials.rootToken); } catch { /* read-only home: the banner still shows it */ }
      const address = server.addresses[0] ?? `http://${flags['dev-listen-address']}`;
      println(ctx.stdout, `WARNING! dev mode is enabled! In this mode, Arca runs entirely in-memory
and starts unsealed with a single unseal key. The root token is already
authenticated to the CLI, so you can immediately begin using Arca.

You may need to set the following environment variables:

    $ export VAULT_ADDR='${address}'

The unseal key and root token are displayed below in case you want to
seal/unseal the Vault or re-authenticate.

Unseal Key: ${server.devCredentials.unsealKey}
Root Token: ${server.devCredentials.rootToken}

Development mode should NOT be used in production installations!
`);
    }
    println(ctx.stdout, '==> Arca server started! Log data will stream in below:');

    const signal = await stopped;
    println(ctx.stdout, `==> Arca shutdown triggered (${signal})`);
    await server.close();
    return 0;
  },
});

function dataDirOption(env: Record<string, string | undefined>): { dataDir?: string } {
  return env.ARCA_DATA_DIR ? { dataDir: env.ARCA_DATA_DIR } : {};
}
