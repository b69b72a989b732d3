/**
 * Named stateful objects and flowtables → JSON. nft 1.0.6 reads counter, quota,
 * limit, ct helper and secmark objects (with their comments); it cannot create
 * synproxy objects ("Unknown object passed to add command"), ct expectations
 * (dport and size misread, "missing options") nor ct timeouts (loaded with
 * l3proto inet and no policy).
 */
import type { Flowtable, NamedObject, Table } from '../model/types.ts';
import { priorityValue } from '../knowledge/priorities.ts';
import type { JsonObject, JsonValue } from './jsonValue.ts';
import { CannotCarry, LOSS, type LossLog } from './losses.ts';
import { objectJsonFields } from '../objects/registry.ts';

export function objectJson(o: NamedObject, table: Table, loss: LossLog): JsonValue {
  const j: JsonObject = { family: table.family, name: o.name, table: table.name };
  if (o.comment !== undefined) j.comment = o.comment;
  // the type's own fields are its module's (src/objects/)
  objectJsonFields(o, j, loss);
  return { [o.type]: j };
}

export function flowtableJson(f: Flowtable, table: Table, loss: LossLog): JsonValue {
  const prio = f.priority.kind === 'var' ? undefined : priorityValue(table.family, f.priority);
  if (prio === undefined) throw new CannotCarry(LOSS.priority, `flowtable ${f.name}: its priority cannot be computed`);
  const j: JsonObject = { family: table.family, name: f.name, table: table.name, hook: f.hook, prio, dev: [...f.devices] };
  if (f.flags?.length || f.counter) {
    loss.lose(LOSS.flowtableOptions, f.id, `flowtable ${f.name}: nft's JSON does not read flowtable flags or counter; the JSON leaves them out`);
  }
  return { flowtable: j };
}
