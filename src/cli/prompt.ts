/** Reads a secret: without echo from a TTY, or the whole of stdin when it is not a terminal. */
export interface PromptInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

export class PromptCancelled extends Error {
  constructor() { super('user canceled'); }
}

export async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export async function readSecret(input: PromptInput, output: { write(s: string): unknown }, prompt: string): Promise<string> {
  if (!input.isTTY || !input.setRawMode) return (await readAll(input)).trim();
  output.write(prompt);
  input.setRawMode(true);
  input.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (chunk: Buffer | string) => {
        for (const ch of chunk.toString()) {
          if (ch === '\r' || ch === '\n') { done(); resolve(value.trim()); return; }
          if (ch === '\u0003' || ch === '\u0004') { done(); reject(new PromptCancelled()); return; }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else value += ch;
        }
      };
      const done = () => { input.removeListener('data', onData); };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    output.write('\n');
  }
}
