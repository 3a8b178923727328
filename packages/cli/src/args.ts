/** Parsed command line: the command, `--name value` / `--flag` options and positional arguments. */
export interface ParsedArgs {
  readonly command: string | undefined;
  readonly options: Record<string, string | true>;
  readonly positional: string[];
}

/** A small parser for `tts-ecs <command> [--option value] [--flag]`; `--option=value` works too. */
export function parseArgs(argv: readonly string[], flags: readonly string[]): ParsedArgs {
  const options: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (eq !== -1) options[name] = arg.slice(eq + 1);
    else if (flags.includes(name)) options[name] = true;
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value.`);
      options[name] = value;
      i++;
    }
  }
  return { command: positional.shift(), options, positional };
}

/** A mistake on the command line; the CLI prints it with the usage text and exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
