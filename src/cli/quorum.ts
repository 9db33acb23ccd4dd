/** Collecting one key share for rekey / generate-root: argument, "-" for stdin, or a hidden prompt. */
import { println, type CliContext } from './command.js';
import { PromptCancelled, readAll, readSecret } from './prompt.js';

export type ShareResult = { key: string; nonce: string } | { exit: number };

export async function collectShare(ctx: CliContext, arg: string | undefined, flagNonce: string, statusNonce: string): Promise<ShareResult> {
  let key = arg ?? '';
  let nonce = flagNonce;
  if (key === '-') {
    key = await readAll(ctx.stdin);
  } else if (key === '') {
    nonce = statusNonce;
    println(ctx.stdout, `Operation nonce: ${nonce}`);
    try {
      key = await readSecret(ctx.stdin, ctx.stdout, 'Unseal Key (will be hidden): ');
    } catch (err) {
      if (err instanceof PromptCancelled) { println(ctx.stderr, 'user canceled'); return { exit: 1 }; }
      throw err;
    }
  }
  key = key.trim();
  if (nonce === '') {
    println(ctx.stderr, 'Missing nonce value: specify it via the -nonce flag');
    return { exit: 1 };
  }
  return { key, nonce };
}
