/**
 * JSON commands other than add (delete, flush, rename, reset, destroy) as the nft
 * command line the model keeps verbatim: `delete chain ip t c`,
 * `delete rule ip t c handle 4`, `rename chain ip t c d`, `flush set ip t s`.
 */
import { isObject, type JsonValue } from './jsonValue.ts';
import { describeJson, fail, int, str, word } from './readJson.ts';

const WITH_TABLE = new Set(['chain', 'set', 'map', 'flowtable', 'counter', 'quota', 'limit', 'ct helper', 'ct timeout', 'ct expectation', 'secmark', 'synproxy', 'rule']);

export function commandText(op: string, what: string, target: JsonValue): string {
  const verb = word(op, 'command');
  if (what === 'ruleset') {
    const family = isObject(target) ? str(target, 'family') : undefined;
    return `${verb} ruleset${family ? ` ${word(family, 'family')}` : ''}`;
  }
  if (!isObject(target)) fail(`${op} ${what} needs an object: ${describeJson(target)}`);
  const family = word(str(target, 'family') ?? fail(`${op} ${what} needs a family`), 'family');
  if (what === 'table') {
    const handle = int(target, 'handle');
    const name = str(target, 'name');
    if (name !== undefined) return `${verb} table ${family} ${word(name, 'table name')}`;
    if (handle !== undefined) return `${verb} table ${family} handle ${handle}`;
    return fail(`${op} table needs a name or a handle`);
  }
  if (!WITH_TABLE.has(what)) fail(`unknown object "${what.slice(0, 40)}" in ${op}`);
  const table = word(str(target, 'table') ?? fail(`${op} ${what} needs a table`), 'table name');
  if (what === 'rule') {
    const chain = word(str(target, 'chain') ?? fail(`${op} rule needs a chain`), 'chain name');
    const handle = int(target, 'handle') ?? fail(`${op} rule needs a handle`);
    return `${verb} rule ${family} ${table} ${chain} handle ${handle}`;
  }
  if (what === 'chain' && op === 'rename') {
    const name = word(str(target, 'name') ?? fail('rename needs a name'), 'chain name');
    const newname = word(str(target, 'newname') ?? fail('rename needs a newname'), 'chain name');
    return `rename chain ${family} ${table} ${name} ${newname}`;
  }
  const name = str(target, 'name');
  const handle = int(target, 'handle');
  if (name !== undefined) return `${verb} ${what} ${family} ${table} ${word(name, `${what} name`)}`;
  if (handle !== undefined) return `${verb} ${what} ${family} ${table} handle ${handle}`;
  return fail(`${op} ${what} needs a name or a handle`);
}
