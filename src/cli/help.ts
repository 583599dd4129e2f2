// The text after each command's --help: examples, the environment variables it reads, and its
// exit codes (the contract in README "Exit codes"), so the help answers what a script needs.

export interface CommandHelp {
  examples: string[];
  /** `NAME  what for` lines; empty when the command reads none. */
  env: string[];
  /** `code  meaning` lines. */
  exits: string[];
}

export const PASSWORD_ENV = [
  'DORIS_SOURCE_PASSWORD  password of the source user (in a terminal, asked hidden when unset)',
  'DORIS_TARGET_PASSWORD  password of the target user (in a terminal, asked hidden when unset)',
];
export const REPOSITORY_ENV = [
  'AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY  keys of an s3:// repository (AWS_SESSION_TOKEN if temporary)',
  'AZURE_STORAGE_KEY  account key of an azure:// repository',
];
export const CI_ENV = 'CI  when set, never prompt (as without a terminal)';

export function helpAfter(h: CommandHelp): string {
  const block = (title: string, lines: string[]) => (lines.length ? [``, `${title}:`, ...lines.map((l) => `  ${l}`)] : [``, `${title}: none`]);
  return [...block('Examples', h.examples.map((e) => `$ ${e}`)), ...block('Environment', h.env), ...block('Exit codes', h.exits)].join('\n');
}
