/** Reads a base64 PNG barcode back: its size from the IHDR chunk and the text of the QR code in it (pngjs + jsQR). */
import { PNG } from 'pngjs';
import jsQR from 'jsqr';

// jsqr's typings declare an ES default export of a CommonJS module; its bundle sets both.
const decode = jsQR.default;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function readQrPng(base64: string): { width: number; height: number; text: string | undefined } {
  const bytes = Buffer.from(base64, 'base64');
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  const image = PNG.sync.read(bytes);
  const code = decode(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  return { width, height, text: code?.data };
}
