import { Box, Typography } from '@mui/material';
import { useListingTarget } from '../store/target.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Family, Hook, Priority } from '../../src/model/types.ts';
import { formatPriority, priorityNamesFor, priorityValue } from '../../src/knowledge/priorities.ts';
import { Findings, Select, Text } from './fields.tsx';

/**
 * A priority as a standard name with an offset, or a number — the names offered
 * are only those nft accepts on this family and hook; the numeric value and the
 * way nft will list it are shown.
 */
export function PriorityField(props: { family: Family; hook: Hook; value: Priority; onChange: (p: Priority) => void; findings?: Diagnostic[]; testId: string }) {
  const { family, hook, value } = props;
  const names = priorityNamesFor(family, hook, useListingTarget());
  const mode = value.kind;
  const numeric = priorityValue(family, value);
  return (
    <Box>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap' }}>
        <Select
          label="Priority given as"
          value={mode}
          width={150}
          options={[
            { value: 'std', label: 'standard name' },
            { value: 'num', label: 'number' },
            { value: 'var', label: '$variable' },
          ]}
          onChange={(m) => {
            if (m === 'std') props.onChange({ kind: 'std', name: names[0]?.name ?? 'filter', offset: 0 });
            else if (m === 'num') props.onChange({ kind: 'num', value: numeric ?? 0 });
            else props.onChange({ kind: 'var', name: 'PRIO' });
          }}
          testId={`${props.testId}.mode`}
        />
        {value.kind === 'std' && (
          <>
            <Select
              label="Priority name"
              value={value.name}
              width={170}
              options={[
                ...names.map((n) => ({ value: n.name, label: `${n.name} (${n.value})` })),
                ...(names.some((n) => n.name === value.name) ? [] : [{ value: value.name, label: `${value.name} (not valid here)`, disabled: true }]),
              ]}
              onChange={(name) => props.onChange({ ...value, name })}
              testId={`${props.testId}.name`}
              help={`Standard names nft accepts for ${family} on hook ${hook}: ${names.map((n) => `${n.name} = ${n.value}`).join(', ')}.`}
            />
            <Text
              label="Plus or minus"
              width={110}
              value={String(value.offset)}
              type="number"
              onChange={(v) => {
                const n = Number.parseInt(v, 10);
                props.onChange({ ...value, offset: Number.isFinite(n) ? n : 0 });
              }}
              testId={`${props.testId}.offset`}
            />
          </>
        )}
        {value.kind === 'num' && (
          <Text
            label="Number"
            width={160}
            value={String(value.value)}
            type="number"
            onChange={(v) => {
              const n = Number(v.trim() === '-' ? 0 : v);
              if (Number.isFinite(n)) props.onChange({ kind: 'num', value: Math.trunc(n) });
            }}
            testId={`${props.testId}.number`}
            help="A signed 32-bit number (-2147483648 … 2147483647). Lower runs earlier; conntrack runs at -200."
          />
        )}
        {value.kind === 'var' && <Text label="Variable (without $)" width={180} value={value.name} onChange={(v) => props.onChange({ kind: 'var', name: v })} testId={`${props.testId}.var`} />}
      </Box>
      <Typography variant="caption" color="text.secondary" data-testid={`${props.testId}.value`}>
        {numeric !== undefined ? `= ${numeric}; nft lists it as "priority ${formatPriority(family, hook, value)}"` : 'value decided when the script is loaded'}
        {numeric !== undefined && numeric < -200 && (hook === 'prerouting' || hook === 'output') ? ' — runs before conntrack (-200)' : ''}
        {numeric !== undefined && numeric > -200 && (hook === 'prerouting' || hook === 'output') ? ' — runs after conntrack (-200)' : ''}
      </Typography>
      <Findings items={props.findings} testId={`${props.testId}.findings`} />
    </Box>
  );
}
