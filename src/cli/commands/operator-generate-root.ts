import { HTTP_FLAGS, OUTPUT_FLAGS, apiFailure, clientFrom, defineCommand, formatFrom, printRaw, println, tooManyArgs } from '../command.js';
import { columns, json } from '../format.js';
import { readAll } from '../prompt.js';
import { collectShare } from '../quorum.js';
import { DEFAULT_OTP_LENGTH, DecodeError, decodeRootToken, generateOtp } from '../root-token.js';

interface GenerateRootStatus {
  nonce: string; started: boolean; progress: number; required: number; complete: boolean;
  encoded_token?: string; encoded_root_token?: string; pgp_fingerprint?: string; otp?: string; otp_length?: number;
}

export const operatorGenerateRootCommand = defineCommand({
  name: 'operator generate-root',
  synopsis: 'Generates a new root token',
  help: `Usage: arca operator generate-root [options] [KEY]

  Generates a new root token from a quorum of unseal (or recovery) key shares. Start with -init
  (an OTP is generated and printed), submit shares with the nonce, then decode the encoded token
  with -decode and -otp.

      $ arca operator generate-root -init
      $ arca operator generate-root -nonce=NONCE KEY
      $ arca operator generate-root -decode=ENCODED -otp=OTP`,
  flags: {
    ...HTTP_FLAGS,
    ...OUTPUT_FLAGS,
    init: { kind: 'bool', usage: 'Start a root token generation.' },
    cancel: { kind: 'bool', usage: 'Cancel the generation in progress.' },
    status: { kind: 'bool', usage: 'Print the status of the generation in progress.' },
    'generate-otp': { kind: 'bool', usage: 'Generate and print a one-time password of the right length.' },
    otp: { kind: 'string', usage: 'OTP to use with -init (legacy) or to decode with -decode.' },
    decode: { kind: 'string', usage: 'Decode this encoded root token ("-" reads stdin) using -otp.' },
    'pgp-key': { kind: 'string', usage: 'PGP key to encrypt the resulting root token with.' },
    nonce: { kind: 'string', usage: 'Nonce of the generation in progress, printed by -init.' },
  },
  async run(ctx, flags, args, set) {
    if (args.length > 1) return tooManyArgs(ctx, '0-1', args.length);
    const format = formatFrom(ctx, flags, set);
    const client = clientFrom(ctx, flags);
    const readStatus = async () => (await client.get('sys/generate-root/attempt')).body as GenerateRootStatus;
    const printStatus = (status: GenerateRootStatus) => {
      if (format === 'json') { println(ctx.stdout, json(status)); return; }
      const rows: string[][] = [['Nonce', status.nonce], ['Started', String(status.started)],
        ['Progress', `${status.progress}/${status.required}`], ['Complete', String(status.complete)]];
      if (status.pgp_fingerprint) rows.push(['PGP Fingerprint', status.pgp_fingerprint]);
      if (status.encoded_token) rows.push(['Encoded Token', status.encoded_token]);
      else if (status.encoded_root_token) rows.push(['Encoded Root Token', status.encoded_root_token]);
      if (status.otp) {
        println(ctx.stderr, 'A One-Time-Password has been generated for you and is shown in the OTP field.\nYou will need this value to decode the resulting root token, so keep it safe.');
        rows.push(['OTP', status.otp]);
      }
      if (status.otp_length) rows.push(['OTP Length', String(status.otp_length)]);
      println(ctx.stdout, columns(rows));
    };

    if (flags['generate-otp']) {
      let status: GenerateRootStatus;
      try { status = await readStatus(); } catch (err) { return apiFailure(ctx, 'Error getting root generation status', err); }
      const otp = generateOtp(status.otp_length || DEFAULT_OTP_LENGTH);
      if (format === 'json') println(ctx.stdout, json({ otp, otp_length: otp.length }));
      else printRaw(ctx.stdout, otp);
      return 0;
    }
    if (set.has('decode')) {
      let encoded = flags.decode;
      if (encoded === '') { println(ctx.stderr, 'Missing encoded value: use -decode=<string> to supply it'); return 1; }
      if (flags.otp === '') { println(ctx.stderr, 'Missing otp: use -otp to supply it'); return 1; }
      if (encoded === '-') {
        encoded = (await readAll(ctx.stdin)).trim();
        if (encoded === '') { println(ctx.stderr, 'Missing encoded value. When using -decode="-" value must be passed via stdin.'); return 1; }
      }
      let token: string;
      try {
        token = decodeRootToken(encoded, flags.otp);
      } catch (err) {
        if (err instanceof DecodeError) { println(ctx.stderr, `Error decoding root token: ${err.message}`); return 1; }
        throw err;
      }
      if (format === 'json') println(ctx.stdout, json({ token }));
      else printRaw(ctx.stdout, token);
      return 0;
    }
    if (flags.cancel) {
      try { await client.delete('sys/generate-root/attempt'); } catch (err) { return apiFailure(ctx, 'Error canceling root token generation', err); }
      println(ctx.stdout, 'Success! Root token generation canceled (if it was started)');
      return 0;
    }
    if (flags.init) {
      if (flags.otp && flags['pgp-key']) { println(ctx.stderr, 'Error initializing: cannot specify both -otp and -pgp-key'); return 1; }
      const body: Record<string, string> = {};
      if (flags.otp) body.otp = flags.otp;
      if (flags['pgp-key']) body.pgp_key = flags['pgp-key'];
      try {
        printStatus((await client.put('sys/generate-root/attempt', body)).body as GenerateRootStatus);
        return 0;
      } catch (err) {
        return apiFailure(ctx, 'Error initializing root generation', err);
      }
    }
    if (flags.status) {
      try { printStatus(await readStatus()); return 0; } catch (err) { return apiFailure(ctx, 'Error getting root generation status', err); }
    }

    let status: GenerateRootStatus;
    try { status = await readStatus(); } catch (err) { return apiFailure(ctx, 'Error getting root generation status', err); }
    if (!status.started) {
      println(ctx.stderr, 'No root generation is in progress. Start a root generation by running "arca operator generate-root -init".');
      return 1;
    }
    const share = await collectShare(ctx, args[0], flags.nonce, status.nonce);
    if ('exit' in share) return share.exit;
    try {
      printStatus((await client.put('sys/generate-root/update', { key: share.key, nonce: share.nonce })).body as GenerateRootStatus);
      return 0;
    } catch (err) {
      return apiFailure(ctx, 'Error posting unseal key', err);
    }
  },
});
