/**
 * What happens to a packet the rule matches: nothing (go on to the next rule),
 * a verdict, a jump/goto to a regular chain of the table, reject (with the
 * replies the table's family can send) or queue to user space.
 */
import { sameDataProps } from './stable.ts';
import { memo } from 'react';
import { Box, Typography } from '@mui/material';
import type { Family } from '../../../src/model/types.ts';
import { ICMP_CODES, ICMPV6_CODES, ICMPX_CODES } from '../../../src/knowledge/datatypes.ts';
import { QUEUE_FLAGS } from '../../../src/stmts/queue.ts';
import type { BuilderContext, VerdictKind, VerdictRow } from './model.ts';
import { CheckInput, Notes, SelectInput, TextInput, useNotes, type Option } from './parts.tsx';

const VERDICTS: { value: VerdictKind; label: string }[] = [
  { value: '', label: 'none (next rule)' },
  { value: 'accept', label: 'accept' },
  { value: 'drop', label: 'drop' },
  { value: 'reject', label: 'reject' },
  { value: 'jump', label: 'jump to chain' },
  { value: 'goto', label: 'goto chain' },
  { value: 'return', label: 'return' },
  { value: 'continue', label: 'continue' },
  { value: 'queue', label: 'queue (user space)' },
];

const VERDICT_HELP =
  'accept: let the packet through this chain (later hooks still see it). drop: discard it silently. reject: discard it and tell the sender. ' +
  'jump: run a regular chain, then come back. goto: run it and do not come back. return: leave this chain. continue: go on with the next rule. ' +
  'queue: hand the packet to a user-space program (needs the kernel nfqueue support).';

function codes(type: string, table: Readonly<Record<string, number>>): Option[] {
  return Object.keys(table).map((c) => ({ value: `${type} ${c}`, label: `${type} ${c}` }));
}

/** The replies a reject can send in a table of this family. */
export function rejectOptions(family: Family, current: string): (Option | { group: string; options: Option[] })[] {
  const def = family === 'ip' ? 'icmp port-unreachable' : family === 'ip6' ? 'icmpv6 port-unreachable' : 'icmpx port-unreachable';
  const out: (Option | { group: string; options: Option[] })[] = [
    { value: '', label: `default (${def})` },
    { value: 'tcp reset', label: 'tcp reset (TCP only)' },
  ];
  if (family !== 'ip6') out.push({ group: 'ICMP (IPv4)', options: codes('icmp', ICMP_CODES) });
  if (family !== 'ip') out.push({ group: 'ICMPv6', options: codes('icmpv6', ICMPV6_CODES) });
  if (family !== 'ip' && family !== 'ip6') out.push({ group: 'ICMPx (either)', options: codes('icmpx', ICMPX_CODES) });
  const all = out.flatMap((o) => ('group' in o ? o.options : [o]));
  if (current && !all.some((o) => o.value === current)) out.push({ value: current, label: current });
  return out;
}

function VerdictEditorImpl({ verdict, ctx, onChange }: { verdict: VerdictRow; ctx: BuilderContext; onChange: (v: VerdictRow) => void }) {
  const notes = useNotes('verdict');
  const chains = ctx.table.chains.filter((c) => !c.base && c.id !== ctx.chain.id).map((c) => c.name);
  const targetOptions: Option[] = [{ value: '', label: chains.length ? 'choose a chain' : 'no regular chain in this table', disabled: true }];
  if (verdict.target && !chains.includes(verdict.target)) targetOptions.push({ value: verdict.target, label: `${verdict.target} (not a regular chain here)` });
  for (const c of chains) targetOptions.push({ value: c, label: c });
  return (
    <Box>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap' }}>
        <SelectInput
          label="Verdict"
          path="verdict.kind"
          testId="rule.verdict"
          width={190}
          value={verdict.kind}
          onChange={(v) => onChange({ ...verdict, kind: v as VerdictKind })}
          options={VERDICTS}
          help={VERDICT_HELP}
          helpTopic="verdicts"
        />
        {(verdict.kind === 'jump' || verdict.kind === 'goto') && (
          <SelectInput label="Chain" path="verdict.target" testId="rule.verdict.target" width={200} value={verdict.target} onChange={(v) => onChange({ ...verdict, target: v })} options={targetOptions} />
        )}
        {verdict.kind === 'reject' && (
          <SelectInput label="Reply with" path="verdict.reject" testId="rule.verdict.reject" width={260} value={verdict.rejectWith} onChange={(v) => onChange({ ...verdict, rejectWith: v })} options={rejectOptions(ctx.family, verdict.rejectWith)} />
        )}
        {verdict.kind === 'queue' && (
          <>
            <TextInput label="Queue number" path="verdict.queueNum" testId="rule.verdict.queueNum" width={130} placeholder="0, or 0-3" value={verdict.queueNum} onChange={(v) => onChange({ ...verdict, queueNum: v })} />
            {QUEUE_FLAGS.map((f) => (
              <CheckInput key={f} label={f} path={`verdict.queueFlags.${f}`} testId={`rule.verdict.queueFlags.${f}`} checked={verdict.queueFlags.includes(f)} onChange={(on) => onChange({ ...verdict, queueFlags: on ? [...verdict.queueFlags, f] : verdict.queueFlags.filter((x) => x !== f) })} />
            ))}
          </>
        )}
        {verdict.kind === '' && (
          <Typography variant="body2" color="textSecondary" sx={{ alignSelf: 'center' }}>
            Packets go on to the next rule.
          </Typography>
        )}
      </Box>
      <Notes notes={notes} testId="rule.verdict.notes" />
    </Box>
  );
}

/** Re-renders only when its own row (or context) changed: typing elsewhere in the rule leaves it alone. */
export const VerdictEditor = memo(VerdictEditorImpl, sameDataProps);
