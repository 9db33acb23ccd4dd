/**
 * The `barcode` of a generated key (Vault's keyObject.Image + png.Encode): the QR code of the
 * otpauth url (error correction M) drawn at a whole number of pixels per module, centred in a
 * white square `size` pixels wide, as a base64 grayscale PNG. Encoders are loaded on first use.
 */
import { InvalidRequest } from '../../errors.js';

/** The white border the QR specification asks for, in modules. */
const QUIET_ZONE = 4;

export async function qrCodePng(url: string, size: number): Promise<string> {
  const [{ default: QRCode }, { PNG }] = await Promise.all([import('qrcode'), import('pngjs')]);
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const scale = Math.floor(size / (modules.size + 2 * QUIET_ZONE));
  if (scale === 0) throw new InvalidRequest(`the qr_size value is too small for this url: at least ${modules.size + 2 * QUIET_ZONE} pixels are needed`);
  const offset = Math.floor((size - modules.size * scale) / 2);
  const png = new PNG({ width: size, height: size });
  png.data.fill(0xff); // white, opaque
  for (let y = 0; y < modules.size * scale; y++) {
    for (let x = 0; x < modules.size * scale; x++) {
      if (!modules.get(Math.floor(y / scale), Math.floor(x / scale))) continue;
      const at = ((offset + y) * size + offset + x) * 4;
      png.data.fill(0, at, at + 3);
    }
  }
  return PNG.sync.write(png, { colorType: 0 }).toString('base64');
}
