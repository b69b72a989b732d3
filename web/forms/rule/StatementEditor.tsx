/**
 * One statement of the rule: its kind, then the fields of that kind. Kinds
 * whose kernel placement rules the rule's chain breaks (nat outside the right
 * nat hook, synproxy outside input/forward) stay available — the chain might
 * only be reached by a jump — but say so.
 */
import { sameDataProps } from './stable.ts';
import { memo } from 'react';
import { Box, Typography } from '@mui/material';
import type { ByteUnit, NatType, RateUnit, TimeUnit } from '../../../src/model/stmt.ts';
import { STATEMENT_FAMILIES, allowedHooks, type PlacedStatement } from '../../../src/knowledge/placement.ts';
import { formKinds, stmtModule } from '../../../src/stmts/registry.ts';
import { compareVersions } from '../../../src/knowledge/versions.ts';
import { ruleField, ruleFieldsFor } from '../../../src/knowledge/ruleFields.ts';
import { LOG_LEVELS } from '../../../src/knowledge/datatypes.ts';
import { compatibleSets } from './MatchEditor.tsx';
import { choiceOf, formKindOf, newStmtRow, natAddressFamily, type BuilderContext, type MangleTarget, type MatchRow, type StmtChoice, type StmtRow } from './model.ts';
import { FormFields } from './FormFields.tsx';
import { CheckInput, Notes, RowActions, RowLabel, SelectInput, TextInput, useNotes, type Option } from './parts.tsx';
import { SynproxyEditor } from './SynproxyEditor.tsx';

/** The kinds of statement the builder offers: its hand-written editors, then every module that describes a form. */
export const STMT_KINDS: readonly { kind: StmtChoice; label: string; doc: string }[] = [
  { kind: 'counter', label: 'counter', doc: 'count packets and bytes' },
  { kind: 'log', label: 'log', doc: 'write a line to the kernel log' },
  { kind: 'limit', label: 'limit', doc: 'match up to (or over) a rate' },
  { kind: 'quota', label: 'quota', doc: 'match until (or over) an amount of bytes' },
  { kind: 'notrack', label: 'notrack', doc: 'exempt the packet from connection tracking' },
  { kind: 'synproxy', label: 'synproxy', doc: 'answer SYNs with SYN cookies for a server' },
  { kind: 'nat', label: 'NAT', doc: 'snat, dnat, masquerade or redirect' },
  { kind: 'mangle', label: 'mark / ct helper', doc: 'meta mark set, ct mark set, ct helper set' },
  { kind: 'setupdate', label: 'add to set', doc: 'add or update an element of a set from the packet' },
  ...formKinds().map((k) => ({ kind: `form:${k}` as const, label: stmtModule(k).title, doc: stmtModule(k).summary })),
];

/** Why a kind does not work in this chain, if it does not (the chain's own hook; jumps are the linter's job). */
export function placementHint(kind: StmtChoice, ctx: BuilderContext, natType?: NatType): string | undefined {
  const of = formKindOf(kind);
  const families: readonly string[] | undefined = of !== undefined && of in STATEMENT_FAMILIES ? STATEMENT_FAMILIES[of as keyof typeof STATEMENT_FAMILIES] : undefined;
  if (of !== undefined && families && !families.includes(ctx.family)) return `${stmtModule(of).title} works only in ${families.join(', ')} tables; this is ${ctx.family === 'inet' ? 'an' : 'a'} ${ctx.family} table`;
  const b = ctx.chain.base;
  if (!b) return undefined;
  const check = (stmt: PlacedStatement, chainType?: string): string | undefined => {
    const hooks = allowedHooks(stmt, ctx.family);
    if (!hooks) return undefined;
    const typeOk = chainType === undefined || b.type === chainType;
    if (typeOk && hooks.includes(b.hook)) return undefined;
    return `${stmt} works only in ${chainType ? `${chainType} chains on ` : 'chains on '}${hooks.join(' or ')}; this is a ${b.type} ${b.hook} chain`;
  };
  const placed = of !== undefined ? stmtModule(of).placement : undefined;
  if (placed) return check(placed);
  if (kind === 'synproxy') return check('synproxy');
  if (kind === 'nat') {
    if (natType) return check(natType, 'nat');
    if (b.type !== 'nat') return `NAT works only in nat chains; this is a ${b.type} ${b.hook} chain`;
  }
  if (kind === 'notrack' && b.hook !== 'prerouting' && b.hook !== 'output') return `notrack has effect only in prerouting or output before conntrack (priority raw); this chain is on ${b.hook}`;
  return undefined;
}

const RATE_UNITS: RateUnit[] = ['packets', 'bytes', 'kbytes', 'mbytes'];
const TIME_UNITS: TimeUnit[] = ['second', 'minute', 'hour', 'day', 'week'];
const BYTE_UNITS: ByteUnit[] = ['bytes', 'kbytes', 'mbytes', 'gbytes'];
const NAT_FLAGS = ['random', 'fully-random', 'persistent'];

const opts = (values: readonly string[]): Option[] => values.map((v) => ({ value: v, label: v }));

function objectChoice(ctx: BuilderContext, type: string, current: string, own: string): Option[] | undefined {
  const names = ctx.table.objects.filter((o) => o.type === type).map((o) => o.name);
  if (!names.length && !current) return undefined;
  const out: Option[] = [{ value: '', label: own }];
  if (current && !names.includes(current)) out.push({ value: current, label: `${current} (not in this table)` });
  for (const n of names) out.push({ value: n, label: `named: ${n}` });
  return out;
}

export interface StatementEditorProps {
  row: StmtRow;
  index: number;
  count: number;
  ctx: BuilderContext;
  matches: MatchRow[];
  targetVersion: string;
  autoFocus?: boolean;
  onChange: (row: StmtRow) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}

function StatementEditorImpl(props: StatementEditorProps) {
  const { row, index, count, ctx, autoFocus, onChange, onMove, onRemove } = props;
  const path = `stmt.${index}`;
  const tid = `rule.${path}`;
  const rowNotes = useNotes(path);
  const hint = placementHint(choiceOf(row), ctx, row.kind === 'nat' ? row.type : undefined);
  const kindOptions = STMT_KINDS.map((k) => ({ value: k.kind, label: k.label }));
  const since = row.kind === 'form' ? stmtModule(row.of).since : undefined;
  const tooNew = since !== undefined && compareVersions(props.targetVersion, since) < 0;
  return (
    <Box data-testid={tid} sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'flex-start', py: 0.75, borderTop: index ? '1px dashed' : 0, borderColor: 'divider' }}>
      {/* a narrow form (presenter mode, a zoomed browser): the move/remove buttons go below the fields rather than squeeze them */}
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 0.5, flex: '1 1 220px', minWidth: 0 }}>
        <Box sx={{ display: 'flex', columnGap: 1, rowGap: 1.5, alignItems: 'flex-start', flexWrap: 'wrap' }}>
          <SelectInput
            label={`Statement ${index + 1}`}
            path={`${path}.kind`}
            testId={`${tid}.kind`}
            width={175}
            value={choiceOf(row)}
            autoFocus={autoFocus}
            onChange={(v) => onChange(newStmtRow(v as StmtChoice, ctx, row.key))}
            options={kindOptions}
          />
          {row.kind !== 'synproxy' && (
            <RowLabel prefix={`Statement ${index + 1}`}>
              <KindFields {...props} />
            </RowLabel>
          )}
        </Box>
        {row.kind === 'synproxy' && (
          <RowLabel prefix={`Statement ${index + 1}`}>
            <SynproxyEditor row={row} path={path} testId={tid} ctx={ctx} targetVersion={props.targetVersion} onChange={onChange} />
          </RowLabel>
        )}
        {hint && !rowNotes.findings.some((d) => d.id.startsWith('placement/') || d.id.startsWith('notrack/')) && (
          <Typography variant="body2" color="warning" role="status" data-testid={`${tid}.placement`}>
            {hint}
          </Typography>
        )}
        {tooNew && row.kind === 'form' && (
          <Typography variant="body2" color="warning" role="status" data-testid={`${tid}.version`}>
            {stmtModule(row.of).title} needs nftables {since} or later; the target version is {props.targetVersion}
          </Typography>
        )}
        <Notes notes={rowNotes} testId={`${tid}.notes`} />
      </Box>
      <RowActions what="statement" index={index} count={count} testId={tid} onMove={onMove} onRemove={onRemove} />
    </Box>
  );
}

/** Re-renders only when its own row (or context) changed: typing elsewhere in the rule leaves it alone. */
export const StatementEditor = memo(StatementEditorImpl, sameDataProps);

function KindFields({ row, index, ctx, matches, onChange }: StatementEditorProps) {
  const path = `stmt.${index}`;
  const tid = `rule.${path}`;
  switch (row.kind) {
    case 'counter': {
      const choice = objectChoice(ctx, 'counter', row.ref, 'this rule’s own counter');
      return choice ? <SelectInput label="Counter" path={`${path}.ref`} testId={`${tid}.ref`} width={220} value={row.ref} onChange={(v) => onChange({ ...row, ref: v })} options={choice} /> : null;
    }
    case 'log':
      return (
        <>
          <TextInput label="Prefix" path={`${path}.prefix`} testId={`${tid}.prefix`} width={200} placeholder='e.g. "drop: "' value={row.prefix} onChange={(v) => onChange({ ...row, prefix: v })} help="Text put before each logged line, to find them (journalctl -k | grep …). At most 127 bytes, no double quote." helpTopic="the log prefix" />
          <SelectInput label="Level" path={`${path}.level`} testId={`${tid}.level`} width={140} value={row.level} onChange={(v) => onChange({ ...row, level: v })} options={[{ value: '', label: 'warn (default)' }, ...opts(LOG_LEVELS.filter((l) => l !== 'warn'))]} />
        </>
      );
    case 'limit': {
      const choice = objectChoice(ctx, 'limit', row.ref, 'a rate in this rule');
      return (
        <>
          {choice && <SelectInput label="Limit" path={`${path}.ref`} testId={`${tid}.ref`} width={200} value={row.ref} onChange={(v) => onChange({ ...row, ref: v })} options={choice} />}
          {!row.ref && (
            <>
              <SelectInput label="Matches" path={`${path}.over`} testId={`${tid}.over`} width={150} value={row.over ? 'over' : 'upto'} onChange={(v) => onChange({ ...row, over: v === 'over' })} options={[{ value: 'upto', label: 'up to the rate' }, { value: 'over', label: 'over the rate' }]} />
              <TextInput label="Rate" path={`${path}.rate`} testId={`${tid}.rate`} width={90} numeric placeholder="10" value={row.rate} onChange={(v) => onChange({ ...row, rate: v })} />
              <SelectInput label="Unit" path={`${path}.unit`} testId={`${tid}.unit`} width={110} value={row.unit} onChange={(v) => onChange({ ...row, unit: v as RateUnit, burstUnit: v === 'packets' ? '' : row.burstUnit })} options={opts(RATE_UNITS)} />
              <SelectInput label="Per" path={`${path}.per`} testId={`${tid}.per`} width={110} value={row.per} onChange={(v) => onChange({ ...row, per: v as TimeUnit })} options={opts(TIME_UNITS)} />
              <TextInput label="Burst" path={`${path}.burst`} testId={`${tid}.burst`} width={90} numeric placeholder={row.unit === 'packets' ? '5' : ''} value={row.burst} onChange={(v) => onChange({ ...row, burst: v })} help="How many packets (or bytes) may pass at once above the rate before the limit applies; nft's default is 5 packets." helpTopic="burst" />
              {row.unit !== 'packets' && (
                <SelectInput label="Burst unit" path={`${path}.burstUnit`} testId={`${tid}.burstUnit`} width={110} value={row.burstUnit || 'bytes'} onChange={(v) => onChange({ ...row, burstUnit: v as RateUnit })} options={opts(RATE_UNITS.filter((u) => u !== 'packets'))} />
              )}
            </>
          )}
        </>
      );
    }
    case 'quota': {
      const choice = objectChoice(ctx, 'quota', row.ref, 'an amount in this rule');
      return (
        <>
          {choice && <SelectInput label="Quota" path={`${path}.ref`} testId={`${tid}.ref`} width={200} value={row.ref} onChange={(v) => onChange({ ...row, ref: v })} options={choice} />}
          {!row.ref && (
            <>
              <SelectInput label="Matches" path={`${path}.over`} testId={`${tid}.over`} width={170} value={row.over ? 'over' : 'until'} onChange={(v) => onChange({ ...row, over: v === 'over' })} options={[{ value: 'until', label: 'until the amount' }, { value: 'over', label: 'over the amount' }]} />
              <TextInput label="Amount" path={`${path}.amount`} testId={`${tid}.amount`} width={100} numeric placeholder="100" value={row.amount} onChange={(v) => onChange({ ...row, amount: v })} />
              <SelectInput label="Unit" path={`${path}.unit`} testId={`${tid}.unit`} width={110} value={row.unit} onChange={(v) => onChange({ ...row, unit: v as ByteUnit })} options={opts(BYTE_UNITS)} />
            </>
          )}
        </>
      );
    }
    case 'notrack':
      // in a chain where it does nothing, the placement note says so instead
      return placementHint('notrack', ctx) ? null : (
        <Typography variant="body2" color="textSecondary" sx={{ alignSelf: 'center' }}>
          Connection tracking skips these packets (only before conntrack: prerouting or output at priority raw).
        </Typography>
      );
    case 'synproxy':
      return null;
    case 'form':
      return <FormFields row={row} path={path} testId={tid} onChange={onChange} />;
    case 'nat': {
      const takesAddr = row.type === 'snat' || row.type === 'dnat';
      const famFree = ctx.family === 'inet' || ctx.family === 'bridge' || ctx.family === 'netdev';
      const inferred = natAddressFamily({ ...row, family: '' }, ctx.family, matches);
      return (
        <>
          <SelectInput
            label="Type"
            path={`${path}.type`}
            testId={`${tid}.type`}
            width={140}
            value={row.type}
            onChange={(v) => onChange({ ...row, type: v as NatType })}
            options={[
              { value: 'snat', label: 'snat' },
              { value: 'dnat', label: 'dnat' },
              { value: 'masquerade', label: 'masquerade' },
              { value: 'redirect', label: 'redirect' },
            ]}
            help="snat: rewrite the source address (postrouting). dnat: rewrite the destination (prerouting, output). masquerade: source becomes the outgoing interface's address (postrouting). redirect: send to this host (prerouting, output)."
            helpTopic="NAT types"
          />
          {takesAddr && famFree && (
            <SelectInput
              label="Address family"
              path={`${path}.family`}
              testId={`${tid}.family`}
              width={150}
              value={row.family}
              onChange={(v) => onChange({ ...row, family: v as '' | 'ip' | 'ip6' })}
              options={[
                { value: '', label: inferred ? `from the rule (${inferred})` : 'choose…' },
                { value: 'ip', label: 'IPv4 (ip)' },
                { value: 'ip6', label: 'IPv6 (ip6)' },
              ]}
            />
          )}
          {takesAddr && <TextInput label="Address" path={`${path}.addr`} testId={`${tid}.addr`} width={190} placeholder={row.type === 'snat' ? '203.0.113.1' : '192.168.1.10'} value={row.addr} onChange={(v) => onChange({ ...row, addr: v })} />}
          <TextInput label={row.type === 'masquerade' ? 'Port range' : 'Port'} path={`${path}.port`} testId={`${tid}.port`} width={110} placeholder={row.type === 'masquerade' ? '1024-65535' : 'optional'} value={row.port} onChange={(v) => onChange({ ...row, port: v })} />
          <Box sx={{ display: 'flex', flexWrap: 'wrap' }}>
            {NAT_FLAGS.map((f) => (
              <CheckInput key={f} label={f} path={`${path}.flags.${f}`} testId={`${tid}.flags.${f}`} checked={row.flags.includes(f)} onChange={(on) => onChange({ ...row, flags: on ? [...row.flags, f] : row.flags.filter((x) => x !== f) })} />
            ))}
          </Box>
        </>
      );
    }
    case 'mangle': {
      const helpers = ctx.table.objects.filter((o) => o.type === 'ct helper').map((o) => o.name);
      return (
        <>
          <SelectInput
            label="Set"
            path={`${path}.target`}
            testId={`${tid}.target`}
            width={150}
            value={row.target}
            onChange={(v) => onChange({ ...row, target: v as MangleTarget, value: '' })}
            options={[
              { value: 'meta mark', label: 'meta mark' },
              { value: 'ct mark', label: 'ct mark' },
              { value: 'ct helper', label: 'ct helper' },
            ]}
          />
          {row.target === 'ct helper' ? (
            <SelectInput
              label="to the ct helper"
              path={`${path}.value`}
              testId={`${tid}.value`}
              width={200}
              value={row.value}
              onChange={(v) => onChange({ ...row, value: v })}
              options={[
                { value: '', label: helpers.length ? 'choose a helper' : 'no ct helper object in this table', disabled: true },
                ...(row.value && !helpers.includes(row.value) ? [{ value: row.value, label: `${row.value} (not in this table)` }] : []),
                ...opts(helpers),
              ]}
              help="Assigns a conntrack helper object of the table (e.g. for FTP). It must run after conntrack (priority above -200)."
              helpTopic="ct helper"
            />
          ) : (
            <TextInput label="to" path={`${path}.value`} testId={`${tid}.value`} width={170} placeholder="0x1, or ct mark" value={row.value} onChange={(v) => onChange({ ...row, value: v })} help={`A 32-bit mark (1, 0x10), or ${row.target === 'meta mark' ? 'ct mark' : 'meta mark'} to copy the other mark.`} helpTopic="the mark" />
          )}
        </>
      );
    }
    case 'setupdate': {
      const sets = ctx.table.sets.filter((s) => s.kind === 'set');
      const set = sets.find((s) => s.name === row.set);
      const fields = ruleFieldsFor(ctx.family).filter((f) => !set || compatibleSets([set], f).length > 0);
      const current = ruleField(row.field);
      if (current && !fields.includes(current)) fields.unshift(current);
      return (
        <>
          <SelectInput label="Operation" path={`${path}.op`} testId={`${tid}.op`} width={110} value={row.op} onChange={(v) => onChange({ ...row, op: v as 'add' | 'update' | 'delete' })} options={opts(['add', 'update', 'delete'])} help="add: insert the element if it is not there. update: insert it or refresh its timeout. delete: remove it." helpTopic="set operations" />
          <SelectInput
            label="Set"
            path={`${path}.set`}
            testId={`${tid}.set`}
            width={150}
            value={row.set}
            onChange={(v) => onChange({ ...row, set: v })}
            options={[
              { value: '', label: sets.length ? 'choose a set' : 'no set in this table', disabled: true },
              ...(row.set && !set ? [{ value: row.set, label: `@${row.set} (not in this table)` }] : []),
              ...sets.map((s) => ({ value: s.name, label: `@${s.name}` })),
            ]}
          />
          <SelectInput label="Element" path={`${path}.field`} testId={`${tid}.field`} width={150} value={row.field} onChange={(v) => onChange({ ...row, field: v })} options={[{ value: '', label: 'choose…', disabled: true }, ...fields.map((f) => ({ value: f.id, label: f.id }))]} />
          <TextInput label="Timeout" path={`${path}.timeout`} testId={`${tid}.timeout`} width={100} placeholder="e.g. 30s" value={row.timeout} onChange={(v) => onChange({ ...row, timeout: v })} help="How long the element stays (30s, 10m, 1h); the set needs the timeout flag or a default timeout." helpTopic="the element timeout" />
        </>
      );
    }
  }
}
