/**
 * The facts of the Ansible hand-off that more than one place needs (the bundle,
 * its playbook and README, the CLI, the app's Export → Ansible tab): limits,
 * defaults, what a name or a path of the bundle may be, and how a whole-number
 * field is read. Pure and browser-safe.
 */

export const DEFAULT_CONFIRM_SECONDS = 60;
export const MIN_CONFIRM_SECONDS = 10;
export const MAX_CONFIRM_SECONDS = 86400;
export const DEFAULT_DESIGN_NAME = 'design';
export const DEFAULT_SERIAL = 1;
export const MAX_SERIAL = 10000;
/** The longest design name (it names NAME.nft on the hosts). */
export const MAX_NAME_LENGTH = 64;

/** Paths on the hosts (role defaults; any inventory value overrides them). */
export const HOST_DEFAULTS = {
  agentPath: '/usr/local/sbin/nft-agent',
  stateDir: '/var/lib/nft-agent',
  scriptDir: '/etc/nft-designer',
} as const;

const NAME_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,${MAX_NAME_LENGTH - 1}}$`);

/** What a design name may be, in words (for a field's or an option's message). */
export const NAME_RULE = `1 to ${MAX_NAME_LENGTH} letters, digits, _ . or - (starting with a letter or digit)`;

/** A name the bundle accepts for the design (NAME.nft on the hosts): NAME_RULE, and no `..`. */
export function isBundleName(name: string): boolean {
  return NAME_PATTERN.test(name) && !name.includes('..');
}

/** A name the bundle accepts made from any title (the app's design name), or DEFAULT_DESIGN_NAME. */
export function bundleNameFrom(title: string): string {
  const name = title
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, MAX_NAME_LENGTH);
  return isBundleName(name) ? name : DEFAULT_DESIGN_NAME;
}

/**
 * A path as the bundle names its files: relative, `/`-separated, each part letters,
 * digits, _ . - not starting with a dot (so no `..`, `.`, empty part, absolute path
 * or hidden file), at most 16 parts of at most 128 characters. The CLI writes and
 * removes only such paths (also those an earlier bundle's list names), and the
 * app's zip holds only such paths.
 */
export function isBundlePath(path: string): boolean {
  const parts = path.split('/');
  return parts.length <= 16 && parts.every((p) => /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(p));
}

/**
 * A whole number typed as text (digits only, blanks around allowed) from min to
 * max: `{ value }`, or `{ problem }` saying what it must be ("a whole number from
 * MIN to MAX"), for the CLI's options and the app's fields alike.
 */
export function wholeNumber(text: string, min: number, max: number): { value: number; problem?: undefined } | { value?: undefined; problem: string } {
  const t = text.trim();
  const n = Number(t);
  if (!/^[0-9]{1,15}$/.test(t) || n < min || n > max) return { problem: `a whole number from ${min} to ${max}` };
  return { value: n };
}
