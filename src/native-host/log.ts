/**
 * Logging for host processes. Always stderr: the bridge's stdout carries frames, and the detached
 * service's stderr is its log file. Callers pass no secrets; messages are single lines.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export function createLogger(component: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const min = order[(env.SENTINEL_LOG_LEVEL as LogLevel | undefined) ?? 'info'] ?? order.info;
  const write = (level: LogLevel, msg: string): void => {
    if (order[level] < min) return;
    process.stderr.write(
      `${new Date().toISOString()} ${level.toUpperCase()} [${component}] ${msg.replace(/\n/g, ' ')}\n`,
    );
  };
  return {
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}
