/**
 * Named stateful objects and flowtables → JSON. nft 1.0.6 reads counter, quota,
 * limit, ct helper and secmark objects (with their comments); it cannot create
 * synproxy objects ("Unknown object passed to add command"), ct expectations
 * (dport and size misread, "missing options") nor ct timeouts (loaded with
 * l3proto inet and no policy).
 */
import type { Flowtable, NamedObject, Table } from '../model/types.ts';
import { durationMs } from '../knowledge/datatypes.ts';
import { priorityValue } from '../knowledge/priorities.ts';
import type { JsonObject, JsonValue } from './jsonValue.ts';
import { CannotCarry, LOSS, type LossLog } from './losses.ts';
import { limitJson } from '../stmts/limit.ts';
import { synproxyJsonFlags } from '../stmts/synproxy.ts';

const UNIT_BYTES: Record<string, number> = { bytes: 1, kbytes: 1024, mbytes: 1024 ** 2, gbytes: 1024 ** 3 };

function bytes(amount: number, unit: string | undefined): number {
  return amount * (UNIT_BYTES[unit ?? 'bytes'] ?? 1);
}

export function objectJson(o: NamedObject, table: Table, loss: LossLog): JsonValue {
  const j: JsonObject = { family: table.family, name: o.name, table: table.name };
  if (o.comment !== undefined) j.comment = o.comment;
  switch (o.type) {
    case 'counter':
      j.packets = o.packets ?? 0;
      j.bytes = o.bytes ?? 0;
      break;
    case 'quota':
      j.bytes = bytes(o.amount, o.unit);
      j.used = o.used ? bytes(o.used, o.usedUnit) : 0;
      j.inv = o.over === true;
      break;
    case 'limit':
      Object.assign(j, limitJson(o));
      break;
    case 'ct helper':
      j.type = o.helper;
      j.protocol = o.protocol;
      if (o.l3proto !== undefined) j.l3proto = o.l3proto;
      break;
    case 'ct timeout':
      if (!loss.carries(LOSS.ctTimeout)) {
        throw new CannotCarry(LOSS.ctTimeout, `ct timeout ${o.name}: nft ${loss.target}'s JSON loses its l3proto and policy; the JSON leaves it out`);
      }
      j.protocol = o.protocol;
      if (o.l3proto !== undefined) j.l3proto = o.l3proto;
      j.policy = Object.fromEntries(o.policy.map((p) => [p.state, p.seconds]));
      break;
    case 'ct expectation': {
      if (!loss.carries(LOSS.ctExpectation)) {
        throw new CannotCarry(LOSS.ctExpectation, `ct expectation ${o.name}: nft ${loss.target}'s JSON misreads ct expectation objects; the JSON leaves it out`);
      }
      const ms = durationMs(o.timeout);
      if (ms === undefined) throw new CannotCarry(LOSS.ctExpectation, `ct expectation ${o.name}: "${o.timeout}" is not a time value`);
      j.protocol = o.protocol;
      j.dport = o.dport;
      j.timeout = ms;
      j.size = o.size;
      if (o.l3proto !== undefined) j.l3proto = o.l3proto;
      break;
    }
    case 'secmark':
      j.context = o.context;
      break;
    case 'synproxy': {
      if (!loss.carries(LOSS.synproxyObject)) {
        throw new CannotCarry(LOSS.synproxyObject, `synproxy ${o.name}: nft ${loss.target}'s JSON cannot create synproxy objects; the JSON leaves it out (create it with the text format first, then load the JSON)`);
      }
      j.mss = o.mss ?? 0;
      j.wscale = o.wscale ?? 0;
      const flags = synproxyJsonFlags(o);
      if (flags.length) j.flags = flags;
      break;
    }
  }
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
