/**
 * The unsealer's flags, named as Bank-Vaults names them (`bank-vaults unseal|init`). Each flag
 * can also come from the environment as `ARCA_UNSEALER_<FLAG>` or `BANK_VAULTS_<FLAG>`
 * (upper snake case), in that order, when it is not given on the command line.
 */
import { HTTP_FLAGS } from '../cli/command.js';
import type { FlagSpecs } from '../cli/flags.js';

export const COMMON_FLAGS = {
  ...HTTP_FLAGS,
  mode: { kind: 'string', usage: 'Key store: "file", "hsm" or "vault".' },
  'secret-shares': { kind: 'int', usage: 'Number of key shares (unseal or recovery) created at init.', default: 5 },
  'secret-threshold': { kind: 'int', usage: 'Number of key shares needed to unseal (or to authorise, for recovery keys).', default: 3 },
  once: { kind: 'bool', usage: 'Run one pass and exit (exit code 0 on success, 1 on failure).' },
  'store-root-token': { kind: 'bool', usage: 'Store the root token as vault-root in the key store at init.', default: true },
  'pre-flight-checks': { kind: 'bool', usage: 'Write, read and delete a vault-test key in the key store before init.', default: true },
  'init-root-token': { kind: 'string', usage: 'Root token id to create at init (the generated one is revoked).' },
  'unseal-period': { kind: 'string', usage: 'How often the seal status is checked.', default: '5s' },
  'file-path': { kind: 'string', usage: 'file mode: directory holding one file per key (created 0700; files 0600).' },
  'hsm-module-path': { kind: 'string', usage: 'hsm mode: path of the PKCS#11 library.' },
  'hsm-slot-id': { kind: 'int', usage: 'hsm mode: slot id (used when no token label is given).', default: 0 },
  'hsm-token-label': { kind: 'string', usage: 'hsm mode: label of the token (preferred over the slot id).' },
  'hsm-pin': { kind: 'string', usage: 'hsm mode: user PIN of the token (prefer the env var ARCA_UNSEALER_HSM_PIN).' },
  'hsm-key-label': { kind: 'string', usage: 'hsm mode: label of the RSA key pair (generated when absent).', default: 'bank-vaults' },
  'vault-addr': { kind: 'string', usage: 'vault mode: address of the Vault/Arca holding the keys.' },
  'vault-unseal-keys-path': { kind: 'string', usage: 'vault mode: KV v2 path under which the keys are stored, e.g. secret/unseal-keys.' },
  'vault-token': { kind: 'string', usage: 'vault mode: token for the key-holding server (prefer the env var).' },
  'vault-token-path': { kind: 'string', usage: 'vault mode: file holding that token.' },
} as const satisfies FlagSpecs;

export const UNSEAL_FLAGS = {
  ...COMMON_FLAGS,
  init: { kind: 'bool', usage: 'Initialise the server first when it is not initialised.' },
  auto: { kind: 'bool', usage: 'The server auto-unseals: only initialise (storing recovery keys), never send unseal keys.' },
} as const satisfies FlagSpecs;

export const INIT_FLAGS = COMMON_FLAGS;
