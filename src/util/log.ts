/** A small structured logger: standard text or JSON lines on stderr. Never pass it secrets. */
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

export interface Logger {
  log(level: Level, message: string, fields?: Record<string, unknown>): void;
  setLevel(level: Level): void;
  /** The current threshold (sys/loggers reads it). */
  level(): Level;
}

export function createLogger(options: { level?: Level; format?: 'standard' | 'json'; write?: (line: string) => void } = {}): Logger {
  let current: Level = options.level ?? 'info';
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  return {
    setLevel(level) { current = level; },
    level: () => current,
    log(level, message, fields) {
      if (ORDER[level] < ORDER[current]) return;
      const time = new Date().toISOString();
      if (options.format === 'json') write(JSON.stringify({ '@timestamp': time, '@level': level, '@message': message, ...fields }));
      else write(`${time} [${level.toUpperCase()}] ${message}${fields ? ' ' + JSON.stringify(fields) : ''}`);
    },
  };
}
