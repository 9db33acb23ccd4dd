import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequest } from '../../errors.js';
import { readQrPng } from '../../../test/support/qr.js';
import { qrCodePng } from './barcode.js';

const URL = 'otpauth://totp/Arca%20Inc:alice@example.com?algorithm=SHA256&digits=8&issuer=Arca+Inc&period=60&secret=ABCDEFGHIJKLMNOPQRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRSTUV';

test('the barcode is a PNG exactly qr_size pixels square that reads back as the url', async () => {
  // Odd and even sizes, ones that leave a remainder after whole pixels per module, and the smallest (one pixel per module).
  for (const size of [200, 117, 118, 301, 57]) {
    const png = readQrPng(await qrCodePng(URL, size));
    assert.deepEqual(png, { width: size, height: size, text: URL }, `qr_size ${size}`);
  }
});

test('a qr_size too small for the url is refused with the size needed', async () => {
  await assert.rejects(qrCodePng(URL, 20), (e) => e instanceof InvalidRequest && /^the qr_size value is too small for this url: at least \d+ pixels are needed$/.test(e.message));
});
