/**
 * Arithmetic in GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1 (0x11B), the field
 * Vault's Shamir shares live in. Constant-time by construction: no branches and no table
 * lookups on values, only masks and shifts, so the time taken does not depend on secret
 * bytes (Vault's 2023 advisory on table-based Shamir arithmetic during unseal).
 */

/** a·b mod 0x11B, eight fixed rounds of shift-and-add. */
export function gfMul(a: number, b: number): number {
  let product = 0;
  let x = a & 0xff;
  let y = b & 0xff;
  for (let round = 0; round < 8; round++) {
    product ^= x & -(y & 1);
    y >>>= 1;
    x = ((x << 1) ^ (0x1b & -(x >>> 7))) & 0xff;
  }
  return product & 0xff;
}

/** a^-1 as a^254 (0 maps to 0), a fixed chain of squarings and multiplications. */
export function gfInverse(a: number): number {
  const a2 = gfMul(a, a);
  const a4 = gfMul(a2, a2);
  const a8 = gfMul(a4, a4);
  const a16 = gfMul(a8, a8);
  const a32 = gfMul(a16, a16);
  const a64 = gfMul(a32, a32);
  const a128 = gfMul(a64, a64);
  // 254 = 128 + 64 + 32 + 16 + 8 + 4 + 2
  return gfMul(gfMul(gfMul(gfMul(gfMul(gfMul(a128, a64), a32), a16), a8), a4), a2);
}

export function gfDiv(a: number, b: number): number {
  return gfMul(a, gfInverse(b));
}

/** Evaluates the polynomial with `coefficients[0]` as the intercept at `x` (Horner's rule). */
export function gfEvaluate(coefficients: Uint8Array, x: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = gfMul(value, x) ^ coefficients[i];
  return value;
}
