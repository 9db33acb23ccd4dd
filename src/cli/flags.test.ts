import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, HelpRequested, parseFlags } from './flags.js';

const specs = {
  address: { kind: 'string', usage: '' },
  'key-shares': { kind: 'int', usage: '', default: 5 },
  reset: { kind: 'bool', usage: '' },
  config: { kind: 'strings', usage: '' },
} as const;

test('defaults when nothing is given', () => {
  const parsed = parseFlags(specs, []);
  assert.deepEqual(parsed.flags, { address: '', 'key-shares': 5, reset: false, config: [] });
  assert.deepEqual(parsed.args, []);
  assert.equal(parsed.set.size, 0);
});

test('-flag=value, -flag value, --flag, bools and repeats', () => {
  const parsed = parseFlags(specs, ['-address=http://x:1', '--key-shares', '3', '-reset', '-config', 'a.hcl', '--config=b.hcl', 'KEY', '-reset=false']);
  assert.deepEqual(parsed.flags, { address: 'http://x:1', 'key-shares': 3, reset: true, config: ['a.hcl', 'b.hcl'] });
  assert.deepEqual(parsed.args, ['KEY', '-reset=false'], 'parsing stops at the first positional');
  assert.deepEqual([...parsed.set].sort(), ['address', 'config', 'key-shares', 'reset']);
});

test('bool flags take =value only; -- ends flags; a lone - is positional', () => {
  assert.equal(parseFlags(specs, ['-reset=false']).flags.reset, false);
  assert.equal(parseFlags(specs, ['-reset=t']).flags.reset, true);
  assert.deepEqual(parseFlags(specs, ['-reset', 'x']).args, ['x']);
  assert.deepEqual(parseFlags(specs, ['--', '-reset']).args, ['-reset']);
  assert.deepEqual(parseFlags(specs, ['-']).args, ['-']);
  assert.equal(parseFlags(specs, ['-address=a=b']).flags.address, 'a=b');
});

test('usage errors', () => {
  assert.throws(() => parseFlags(specs, ['-nope']), new FlagError('flag provided but not defined: -nope'));
  assert.throws(() => parseFlags(specs, ['-address']), new FlagError('flag needs an argument: -address'));
  assert.throws(() => parseFlags(specs, ['-key-shares=five']), new FlagError('invalid value for -key-shares: expected an integer'));
  assert.throws(() => parseFlags(specs, ['-reset=maybe']), new FlagError('invalid boolean value for -reset'));
  assert.throws(() => parseFlags(specs, ['---x']), FlagError);
  for (const help of ['-h', '-help', '--help']) assert.throws(() => parseFlags(specs, ['-reset', help]), HelpRequested);
});
