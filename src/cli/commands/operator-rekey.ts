import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, println, tooManyArgs } from '../command.js';
import { json, table } from '../format.js';
import { collectShare } from '../quorum.js';

interface RekeyStatus {
  nonce: string; started: boolean; t: number; n: number; progress: number; required: number;
  pgp_fingerprints?: string[] | null; backup?: boolean; verification_required?: boolean; verification_nonce?: string;
}
interface VerifyStatus { nonce: string; started: boolean; t: number; n: number; progress: number }
interface RekeyUpdate {
  nonce: string; complete: boolean; keys?: string[]; keys_base64?: string[]; pgp_fingerprints?: string[] | null;
  backup?: boolean; verification_required?: boolean; verification_nonce?: string;
}

function statusRows(status: RekeyStatus | VerifyStatus, verify: boolean): string[][] {
  if (verify) {
    const s = status as VerifyStatus;
    return [['Started', String(s.started)], ['New Shares', String(s.n)], ['New Threshold', String(s.t)],
      ['Verification Nonce', s.nonce], ['Verification Progress', `${s.progress}/${s.t}`]];
  }
  const s = status as RekeyStatus;
  const rows: string[][] = [['Nonce', s.nonce], ['Started', String(s.started)]];
  if (s.started) {
    rows.push(['Progress', `${s.progress}/${s.required}${s.progress === s.required ? ' (verification in progress)' : ''}`]);
    if (s.n > 0) rows.push(['New Shares', String(s.n)]);
    if (s.t > 0) rows.push(['New Threshold', String(s.t)]);
    rows.push(['Verification Required', String(Boolean(s.verification_required))]);
    if (s.verification_nonce) rows.push(['Verification Nonce', s.verification_nonce]);
  }
  if (s.pgp_fingerprints && s.pgp_fingerprints.length > 0) {
    rows.push(['PGP Fingerprints', `[${s.pgp_fingerprints.join(' ')}]`], ['Backup', String(Boolean(s.backup))]);
  }
  return rows;
}

export const operatorRekeyCommand = defineCommand({
  name: 'operator rekey',
  synopsis: 'Generates new unseal keys',
  help: `Usage: arca operator rekey [options] [KEY]

  Generates a new set of unseal (or, with -target=recovery, recovery) key shares, authorised by
  a quorum of the current ones. Start with -init, then each holder submits a share with the
  nonce; KEY "-" reads it from stdin, no KEY prompts for it.

      $ arca operator rekey -init -key-shares=5 -key-threshold=3
      $ arca operator rekey -nonce=NONCE KEY
      $ arca operator rekey -status
      $ arca operator rekey -cancel`,
  flags: {
    ...HTTP_FLAGS,
    ...OUTPUT_FLAGS,
    init: { kind: 'bool', usage: 'Start a rekey.' },
    cancel: { kind: 'bool', usage: 'Cancel the rekey in progress and discard submitted shares.' },
    status: { kind: 'bool', usage: 'Print the status of the rekey in progress.' },
    'key-shares': { kind: 'int', usage: 'Number of new key shares (with -init).', default: 5 },
    'key-threshold': { kind: 'int', usage: 'Number of new key shares required (with -init).', default: 3 },
    nonce: { kind: 'string', usage: 'Nonce of the rekey in progress, printed by -init.' },
    target: { kind: 'string', usage: 'Which keys to rekey: "barrier" (unseal keys) or "recovery".', default: 'barrier' },
    verify: { kind: 'bool', usage: 'With -init: require the new shares to be verified before they take effect. Otherwise: submit to the verification.' },
    'pgp-keys': { kind: 'strings', usage: 'PGP public keys to encrypt the new shares with.' },
    backup: { kind: 'bool', usage: 'Store PGP-encrypted shares in the server for recovery.' },
  },
  async run(ctx, flags, args, set) {
    if (args.length > 1) return tooManyArgs(ctx, '0-1', args.length);
    const format = formatFrom(ctx, flags, set);
    const client = clientFrom(ctx, flags);
    const target = flags.target.trim().toLowerCase();
    let base: string;
    if (target === 'barrier') base = 'sys/rekey';
    else if (target === 'recovery' || target === 'hsm') base = 'sys/rekey-recovery-key';
    else { println(ctx.stderr, `Unknown target: ${flags.target}`); return 1; }
    const keyType = base === 'sys/rekey' ? 'unseal' : 'recovery';

    const printStatus = (status: RekeyStatus | VerifyStatus, verify: boolean) => {
      println(ctx.stdout, format === 'json' ? json(status) : table(['Key', 'Value'], statusRows(status, verify)));
    };
    const readStatus = async (verify: boolean) => (await client.get(`${base}/${verify ? 'verify' : 'init'}`)).body as RekeyStatus;

    if (flags.init) {
      let status: RekeyStatus;
      try {
        status = (await client.put(`${base}/init`, {
          secret_shares: flags['key-shares'], secret_threshold: flags['key-threshold'],
          pgp_keys: flags['pgp-keys'].length > 0 ? flags['pgp-keys'] : null, backup: flags.backup, require_verification: flags.verify,
        })).body as RekeyStatus;
      } catch (err) {
        return apiFailure(ctx, 'Error initializing rekey', err);
      }
      if (format === 'table' && flags['pgp-keys'].length === 0) {
        println(ctx.stderr, `WARNING! If you lose the keys after they are returned, there is no recovery.
Consider canceling this operation and re-initializing with the -pgp-keys flag
to protect the returned ${keyType} keys along with -backup to allow recovery of
the encrypted keys in case of emergency.`);
        println(ctx.stderr);
      }
      printStatus(status, false);
      return 0;
    }
    if (flags.cancel) {
      try {
        await client.delete(`${base}/${flags.verify ? 'verify' : 'init'}`, flags.nonce ? { body: { nonce: flags.nonce } } : {});
      } catch (err) {
        return apiFailure(ctx, 'Error canceling rekey', err);
      }
      println(ctx.stdout, 'Success! Canceled rekeying (if it was started)');
      return 0;
    }
    if (flags.status) {
      try {
        printStatus(await readStatus(flags.verify), flags.verify);
        return 0;
      } catch (err) {
        return apiFailure(ctx, 'Error reading rekey status', err);
      }
    }

    let status: RekeyStatus;
    try {
      status = await readStatus(flags.verify);
    } catch (err) {
      return apiFailure(ctx, 'Error getting rekey status', err);
    }
    if (!status.started) {
      println(ctx.stderr, 'No rekey is in progress. Start a rekey process by running "arca operator rekey -init".');
      return 1;
    }
    const share = await collectShare(ctx, args[0], flags.nonce, status.nonce);
    if ('exit' in share) return share.exit;
    let update: RekeyUpdate;
    try {
      update = (await client.put(`${base}/${flags.verify ? 'verify' : 'update'}`, { key: share.key, nonce: share.nonce })).body as RekeyUpdate;
    } catch (err) {
      return apiFailure(ctx, 'Error posting unseal key', err);
    }
    if (!update.complete) {
      try {
        printStatus(await readStatus(flags.verify), flags.verify);
        return 0;
      } catch (err) {
        return apiFailure(ctx, 'Error reading rekey status', err);
      }
    }
    if (flags.verify) {
      println(ctx.stdout, 'Rekey verification successful. The rekey operation is complete and the new keys are now active.');
      return 0;
    }
    if (format === 'json') {
      println(ctx.stdout, json(update));
      return 0;
    }
    const keys = update.keys ?? [];
    println(ctx.stdout);
    keys.forEach((key, i) => {
      const value = update.keys_base64?.length === keys.length ? update.keys_base64[i] : key;
      const fingerprint = update.pgp_fingerprints?.[i];
      println(ctx.stdout, fingerprint ? `Key ${i + 1} fingerprint: ${fingerprint}; value: ${value}` : `Key ${i + 1}: ${value}`);
    });
    if (keys.length === 0) {
      println(ctx.stdout);
      println(ctx.stdout, 'Barrier root key rotated using recovery keys.');
      return 0;
    }
    if (update.nonce) {
      println(ctx.stdout);
      println(ctx.stdout, `Operation nonce: ${update.nonce}`);
    }
    println(ctx.stdout);
    if (update.verification_required) {
      println(ctx.stdout, `Vault has created a new ${keyType} key, split into ${status.n} key shares and a key
threshold of ${status.t}. These will not be active until after verification is
complete. Submit ${status.t} of the new shares with
"arca operator rekey -verify -nonce=${update.verification_nonce ?? ''} KEY".`);
    } else if (keyType === 'unseal') {
      println(ctx.stdout, `Vault unseal keys rekeyed to ${status.n} key shares and a key threshold of ${status.t}.
Please securely distribute the key shares printed above. When Vault is
re-sealed, restarted, or stopped, you must supply at least ${status.t} of these
keys to unseal it before it can start servicing requests.`);
    } else {
      println(ctx.stdout, `Vault recovery keys rekeyed to ${status.n} key shares and a key threshold of ${status.t}.
Please securely distribute the key shares printed above.`);
    }
    return 0;
  },
});
