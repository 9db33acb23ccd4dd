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
import { tokenCreateCommand } from './token-create.js';
import { tokenLookupCommand } from './token-lookup.js';
import { tokenRenewCommand } from './token-renew.js';
import { tokenRevokeCommand } from './token-revoke.js';
import { tokenCapabilitiesCommand } from './token-capabilities.js';
import { policyWriteCommand } from './policy-write.js';
import { policyReadCommand } from './policy-read.js';
import { policyListCommand } from './policy-list.js';
import { policyDeleteCommand } from './policy-delete.js';
import { policyFmtCommand } from './policy-fmt.js';
import { secretsEnableCommand } from './secrets-enable.js';
import { secretsDisableCommand } from './secrets-disable.js';
import { secretsListCommand } from './secrets-list.js';
import { secretsTuneCommand } from './secrets-tune.js';
import { secretsMoveCommand } from './secrets-move.js';
import { authEnableCommand } from './auth-enable.js';
import { authDisableCommand } from './auth-disable.js';
import { authListCommand } from './auth-list.js';
import { authTuneCommand } from './auth-tune.js';
import { patchCommand } from './patch.js';
import { unwrapCommand } from './unwrap.js';
import { leaseRenewCommand } from './lease-renew.js';
import { leaseRevokeCommand } from './lease-revoke.js';
import { leaseLookupCommand } from './lease-lookup.js';
import { kvGetCommand } from './kv-get.js';
import { kvPutCommand } from './kv-put.js';
import { kvPatchCommand } from './kv-patch.js';
import { kvDeleteCommand } from './kv-delete.js';
import { kvUndeleteCommand } from './kv-undelete.js';
import { kvDestroyCommand } from './kv-destroy.js';
import { kvListCommand } from './kv-list.js';
import { kvMetadataGetCommand } from './kv-metadata-get.js';
import { kvMetadataPutCommand } from './kv-metadata-put.js';
import { kvMetadataDeleteCommand } from './kv-metadata-delete.js';
import { unsealerCommands } from './unsealer.js';

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
  tokenCreateCommand,
  tokenLookupCommand,
  tokenRenewCommand,
  tokenRevokeCommand,
  tokenCapabilitiesCommand,
  policyWriteCommand,
  policyReadCommand,
  policyListCommand,
  policyDeleteCommand,
  policyFmtCommand,
  secretsEnableCommand,
  secretsDisableCommand,
  secretsListCommand,
  secretsTuneCommand,
  secretsMoveCommand,
  authEnableCommand,
  authDisableCommand,
  authListCommand,
  authTuneCommand,
  patchCommand,
  unwrapCommand,
  leaseRenewCommand,
  leaseRevokeCommand,
  leaseLookupCommand,
  kvGetCommand,
  kvPutCommand,
  kvPatchCommand,
  kvDeleteCommand,
  kvUndeleteCommand,
  kvDestroyCommand,
  kvListCommand,
  kvMetadataGetCommand,
  kvMetadataPutCommand,
  kvMetadataDeleteCommand,
  ...unsealerCommands,
] as unknown as ReadonlyArray<Command<FlagSpecs>>;
