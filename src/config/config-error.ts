/** An invalid config file; the message is located: `file:line:col: key.path: what is wrong`. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
