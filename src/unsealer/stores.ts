/** Opens the key store `--mode` names. The HSM store (a native library) loads only when asked for. */
import { openFileStore } from './file-store.js';
import type { KeyStore } from './key-store.js';
import type { UnsealerOptions } from './options.js';
import { openVaultStore } from './vault-store.js';

export async function openKeyStore(options: UnsealerOptions, warn: (message: string) => void): Promise<KeyStore> {
  switch (options.mode) {
    case 'file':
      return openFileStore(options.file!.path, warn);
    case 'vault':
      return openVaultStore(options.vault!);
    case 'hsm': {
      const { openHsmStore } = await import('./hsm-store.js');
      return openHsmStore(options.hsm!);
    }
  }
}
