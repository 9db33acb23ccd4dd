/**
 * Entropy augmentation (`entropy "seal" { mode = "augmentation" }`): every key the server
 * generates mixes the system CSPRNG with the seal's generator (PKCS#11 C_GenerateRandom)
 * through HKDF (src/crypto/entropy.ts). If the seal's generator fails, key generation fails.
 */
import { InvalidRequest } from '../errors.js';
import type { ServerConfig } from '../config/types.js';
import { createEntropySource } from '../crypto/entropy.js';
import type { Seal } from '../seal/types.js';

export function randomBytesFor(config: Pick<ServerConfig, 'entropy'>, seal: Pick<Seal, 'type' | 'random'>): (n: number) => Promise<Buffer> {
  if (!config.entropy) {
    const system = createEntropySource();
    return (n) => system.randomBytes(n);
  }
  const random = seal.random;
  if (random === undefined) throw new InvalidRequest(`entropy augmentation: seal "${seal.type}" has no random number generator`);
  const source = createEntropySource((n) => random.call(seal, n));
  return (n) => source.randomBytes(n);
}
