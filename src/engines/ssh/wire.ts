/**
 * The SSH wire encoding (RFC 4251 section 5): uint32, uint64, string, mpint. Every length is
 * checked before it is used; a short or malformed buffer raises InvalidRequest.
 */
import { InvalidRequest } from '../../errors.js';

export class SshWriter {
  private readonly parts: Buffer[] = [];

  uint32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    this.parts.push(b);
    return this;
  }

  uint64(n: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(n);
    this.parts.push(b);
    return this;
  }

  string(value: Uint8Array | string): this {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
    this.uint32(bytes.length);
    this.parts.push(bytes);
    return this;
  }

  /** An unsigned big-endian magnitude as a non-negative mpint. */
  mpint(magnitude: Uint8Array): this {
    let start = 0;
    while (start < magnitude.length && magnitude[start] === 0) start++;
    let body = Buffer.from(magnitude.subarray(start));
    if (body.length > 0 && (body[0]! & 0x80) !== 0) body = Buffer.concat([Buffer.from([0]), body]);
    return this.string(body);
  }

  raw(bytes: Uint8Array): this {
    this.parts.push(Buffer.from(bytes));
    return this;
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export class SshReader {
  private offset = 0;
  constructor(private readonly buf: Buffer, private readonly what = 'SSH data') {}

  private need(n: number): void {
    if (this.offset + n > this.buf.length) throw new InvalidRequest(`malformed ${this.what}`);
  }

  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  uint64(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.offset);
    this.offset += 8;
    return v;
  }

  string(): Buffer {
    const n = this.uint32();
    this.need(n);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }

  text(): string {
    return this.string().toString('utf8');
  }

  /** A non-negative mpint as its unsigned magnitude (no leading zeros). */
  mpint(): Buffer {
    const v = this.string();
    if (v.length > 0 && (v[0]! & 0x80) !== 0) throw new InvalidRequest(`malformed ${this.what}`);
    let start = 0;
    while (start < v.length && v[start] === 0) start++;
    return v.subarray(start);
  }

  rest(): Buffer {
    return this.buf.subarray(this.offset);
  }

  get done(): boolean {
    return this.offset === this.buf.length;
  }
}
