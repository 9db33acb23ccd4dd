import { HTTP_FLAGS, apiFailure, clientFrom, defineCommand, println, tooManyArgs } from '../command.js';

export const operatorSealCommand = defineCommand({
  name: 'operator seal',
  synopsis: 'Seals the server',
  help: `Usage: arca operator seal [options]

  Seals the server: the root key is discarded from memory and every request but unseal fails
  until a quorum of key shares (or the auto seal) unseals it again. Requires a sudo token.

      $ arca operator seal`,
  flags: { ...HTTP_FLAGS },
  async run(ctx, flags, args) {
    if (args.length > 0) return tooManyArgs(ctx, '0', args.length);
    try {
      await clientFrom(ctx, flags).put('sys/seal');
    } catch (err) {
      return apiFailure(ctx, 'Error sealing', err);
    }
    println(ctx.stdout, 'Success! Vault is sealed.');
    return 0;
  },
});
