/**
 * nftables' tests/py `.t` files as corpus cases. The format (read by
 * tests/py/nft-test.py):
 *   `*ip;test-ip4;input,output`  a table (family;name;chains) that the rules after it go into
 *   `:input;type filter hook input priority 0`  a chain declaration, used by table lines
 *   `!set1 type ipv4_addr [. T] [: D] [timeout X] [flags F];ok`  a set (a map with `: D`)
 *   `?set1 192.168.3.4, 10.0.0.1;ok`  elements added to a set
 *   `%cnt1 type counter;ok`  a stateful object (`%name type KIND SPEC;ok`)
 *   `rule;ok` | `rule;ok;expected listing` | `rule;fail`  a rule; `- …` lines are omitted
 *   `# …` comments
 * The `.payload` and `.json` sidecar files are nft's netlink bytecode and JSON
 * expectations; the corpus does not need them (its oracle is nft's own listing).
 * Only `ok` rules are cases: one case per rule and table, a ruleset of that table
 * (renamed so that many cases load side by side), its chains, the sets, elements
 * and objects declared `ok` before the rule, and the rule in each of the table's
 * chains — in nft's command syntax, as nft-test.py adds them.
 */

export interface PyTable {
  family: string;
  name: string;
  chains: string[];
}

export interface PyRule {
  line: number;
  rule: string;
  /** the listing the .t file expects, when it differs from the rule */
  expected?: string;
  /** the tables (and their chains) the rule goes into */
  tables: PyTable[];
  /** set, element and object commands (with TABLE for the table's family and name) declared before it */
  setup: string[];
}

export interface PyFile {
  rules: PyRule[];
  /** chain name → its declaration (`type filter hook input priority 0`) */
  chains: Map<string, string>;
}

/** Parse one `.t` file (the text, not the path). */
export function parsePyTest(text: string): PyFile {
  const chains = new Map<string, string>();
  const tables: PyTable[] = [];
  const setup: string[] = [];
  const rules: PyRule[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\s+$/, '');
    if (!line.trim() || line.startsWith('#') || line.startsWith('-')) continue;
    const head = line[0];
    const body = line.slice(1);
    if (head === '*') {
      const [family, name, list] = body.split(';');
      if (family && name && list) tables.push({ family, name, chains: list.split(',') });
      continue;
    }
    if (head === ':') {
      const semi = body.indexOf(';');
      if (semi > 0) chains.set(body.slice(0, semi), body.slice(semi + 1));
      continue;
    }
    if (head === '!' || head === '?' || head === '%') {
      const cmd = setupCommand(head, body);
      if (cmd) setup.push(cmd);
      continue;
    }
    const parts = line.split(';');
    if (parts.length < 2 || parts.length > 3 || parts[1].trim() !== 'ok') continue;
    const rule: PyRule = { line: i + 1, rule: parts[0].trim(), tables: tables.map((t) => ({ ...t, chains: [...t.chains] })), setup: [...setup] };
    if (parts.length === 3 && parts[2].trim()) rule.expected = parts[2].trim();
    rules.push(rule);
  }
  return { rules, chains };
}

/** `!`, `?` and `%` lines as nft commands (TABLE stands for `family name`), or undefined when not `ok`. */
function setupCommand(head: string, body: string): string | undefined {
  if (head === '%') {
    // an object's specification may hold `;` inside braces
    const brace = body.lastIndexOf('}');
    const [spec, state] = brace < 0 ? body.split(';') : [body.slice(0, brace + 1), body.slice(brace + 2)];
    if (state?.trim() !== 'ok') return undefined;
    const tokens = spec.split(' ');
    const name = tokens[0];
    let type = tokens[2];
    let rest = tokens.slice(3);
    if (type === 'ct' && ['helper', 'timeout', 'expectation'].includes(rest[0])) {
      type = `ct ${rest[0]}`;
      rest = rest.slice(1);
    }
    return `add ${type} TABLE ${name} ${rest.join(' ')}`.trimEnd();
  }
  const [spec, state] = body.split(';');
  if (state?.trim() !== 'ok') return undefined;
  if (head === '?') {
    const space = spec.indexOf(' ');
    return `add element TABLE ${spec.slice(0, space)} { ${spec.slice(space + 1).trim()} }`;
  }
  // !name type T [. T]… [: D] [timeout X] [flags F]
  const tokens = spec.split(' ');
  const name = tokens[0];
  let type = tokens[2];
  let i = 3;
  while (tokens[i] === '.') {
    type += ` . ${tokens[i + 1]}`;
    i += 2;
  }
  let data = '';
  while (tokens[i] === ':') {
    data = tokens[i + 1];
    i += 2;
  }
  // nft-test.py takes either `timeout X` or `flags F` at the end; both, in this order, are read too
  let timeout = '';
  let flags = '';
  for (; i + 1 < tokens.length; i += 2) {
    if (tokens[i] === 'timeout') timeout = ` timeout ${tokens[i + 1]};`;
    else if (tokens[i] === 'flags') flags = ` flags ${tokens[i + 1]};`;
  }
  return data ? `add map TABLE ${name} { type ${type} : ${data};${timeout}${flags} }` : `add set TABLE ${name} { type ${type};${timeout}${flags} }`;
}

/** The ruleset of one rule in one table, its table renamed to `tableName`. */
export function pyRuleScript(file: PyFile, rule: PyRule, table: PyTable, tableName: string): string {
  const id = `${table.family} ${tableName}`;
  const out = [`add table ${id}`];
  for (const c of table.chains) {
    const decl = file.chains.get(c);
    out.push(decl ? `add chain ${id} ${c} { ${decl}; }` : `add chain ${id} ${c}`);
  }
  for (const s of rule.setup) out.push(s.replace('TABLE', id));
  for (const c of table.chains) out.push(`add rule ${id} ${c} ${rule.rule}`);
  return out.join('\n') + '\n';
}
