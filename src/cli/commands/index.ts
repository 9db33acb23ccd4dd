/** The dispatch table: every command, by the words that select it. */
import type { Command } from '../command.js';
import type { FlagSpecs } from '../flags.js';
import { operatorGenerateRootCommand } from './operator-generate-root.js';
import { operatorInitCommand } from './operator-init.js';
import { operatorKeyStatusCommand } from './operator-key-status.js';
import { operatorRekeyCommand } from './operator-rekey.js';
import { operatorRotateCommand } from './operator-rotate.js';
import { operatorSealCommand } from './operator-seal.js';
import { operatorUnsealCommand } from './operator-unseal.js';
import { serverCommand } from './server.js';
import { readCommand } from './read.js';
import { writeCommand } from './write.js';
import { deleteCommand } from './delete.js';
import { listCommand } from './list.js';
import { loginCommand } from './login.js';
import { statusCommand } from './status.js';

export const COMMANDS: ReadonlyArray<Command<FlagSpecs>> = [
  serverCommand,
  statusCommand,
  operatorInitCommand,
  operatorUnsealCommand,
  operatorSealCommand,
  operatorRekeyCommand,
  operatorRotateCommand,
  operatorKeyStatusCommand,
  operatorGenerateRootCommand,
  loginCommand,
  readCommand,
  writeCommand,
  listCommand,
  deleteCommand,
] as unknown as ReadonlyArray<Command<FlagSpecs>>;
