import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePattern, matchPattern } from './pattern.js';
import { createDispatcher } from './backend.js';
import { path } from './path.js';

test('the literal prefix is the text every match starts with', () => {
  assert.equal(compilePattern('data/:path*').literalPrefix, 'data');
  assert.equal(compilePattern('keys/:name?').literalPrefix, 'keys');
  assert.equal(compilePattern('a/b/:c/d').literalPrefix, 'a/b');
  assert.equal(compilePattern(':path*').literalPrefix, '');
  assert.equal(compilePattern('').literalPrefix, '');
  assert.equal(compilePattern('config/a.b').literalPrefix, 'config/a.b');
  for (const [pattern, sample] of [['keys/:name?', 'keys'], ['keys/:name?', 'keys/x'], ['a/b/:c/d', 'a/b/x/d'], ['config/a.b', 'config/a.b']]) {
    const compiled = compilePattern(pattern);
    assert.ok(matchPattern(compiled, sample), `${pattern} matches ${sample}`);
    assert.ok(sample.startsWith(compiled.literalPrefix));
  }
  assert.equal(matchPattern(compilePattern('config/a.b'), 'config/aXb'), undefined, 'regex characters stay literal');
});

test('dispatch still picks the path with the most literal segments', async () => {
  const answer = (name: string) => ({ read: async () => ({ data: { name } }) });
  const dispatcher = createDispatcher({
    paths: [
      path({ pattern: ':path*', operations: answer('any') }),
      path({ pattern: 'data/:path*', operations: answer('data') }),
      path({ pattern: 'data/special', operations: answer('special') }),
      path({ pattern: 'datum', operations: answer('datum') }),
    ],
  });
  const read = async (relative: string) => (await dispatcher.handle({ operation: 'read', mountRelativePath: relative, data: {} } as never)).data?.name;
  assert.equal(await read('data/x/y'), 'data');
  assert.equal(await read('data/special'), 'special');
  assert.equal(await read('datum'), 'datum');
  assert.equal(await read('dat'), 'any');
  assert.equal(await read('database/x'), 'any');
});
