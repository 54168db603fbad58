/**
 * Bad input, found before any kayobe command runs. The message names the stack, the key
 * and what is expected, so an operator can fix it without reading code.
 */
export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly key: string,
    readonly expected: string,
  ) {
    super(`stack "${stack}": ${key}: ${expected}`);
    this.name = "ConfigError";
  }
}
