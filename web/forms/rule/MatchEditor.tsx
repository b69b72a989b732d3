/**
 * One match: a field (typed to filter, Enter to pick), an operator, and values
 * as chips — Enter, comma or leaving the field turns the typed text into a
 * chip; several chips become an anonymous set `{ … }` (a comma list for flag
 * fields); a named set of the table is offered as `@name` when its type fits.
 */
import { sameDataProps } from './stable.ts';
import { Autocomplete, Box, Chip, FormHelperText, TextField } from '@mui/material';
import { useId, useMemo, useState, memo } from 'react';
import type { Expr } from '../../../src/model/expr.ts';
import type { MatchOp } from '../../../src/model/stmt.ts';
import type { SetDecl } from '../../../src/model/types.ts';
import { allRuleFieldsFor, fieldOfSelectorText, fieldSymbols, opLabel, ruleField, type RuleField } from '../../../src/knowledge/ruleFields.ts';
import type { BuilderContext, MatchRow } from './model.ts';
import CancelIcon from '@mui/icons-material/Cancel';
import { Notes, RowActions, RowLabel, SelectInput, useNotes } from './parts.tsx';
import { parseChip } from './values.ts';

/**
 * The fields that match what is typed, best first: the name itself, then names
 * that start or end with it (`l4proto` → `meta l4proto`), then names holding it,
 * and only then fields whose description mentions it (`ip6 nexthdr` says
 * "l4proto" in its words, but is not what someone typing l4proto wants).
 */
export function rankFields(fields: readonly RuleField[], typed: string): RuleField[] {
  const q = typed.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!q) return [...fields];
  const words = q.split(' ');
  const rank = (f: RuleField): number => {
    const id = f.id.toLowerCase();
    if (id === q) return 0;
    if (id.startsWith(q) || id.endsWith(` ${q}`)) return 1;
    if (id.split(' ').some((w) => w.startsWith(q)) || id.includes(q)) return 2;
    const label = f.label.toLowerCase();
    if (words.every((w) => id.includes(w) || label.includes(w))) return 3;
    return -1;
  };
  return fields
    .map((f, i) => ({ f, i, r: rank(f) }))
    .filter((x) => x.r >= 0)
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.f);
}

/**
 * A selector with parameters that no list holds (`ct original ip saddr`,
 * `@nh,8,8`, `vxlan ip saddr`, `srh sid[1]`) is offered when it is typed in full.
 */
function withTyped(ranked: RuleField[], typed: string): RuleField[] {
  if (!typed.trim() || ranked.some((f) => f.id === typed.trim())) return ranked;
  const f = fieldOfSelectorText(typed);
  return f && !ranked.includes(f) ? [f, ...ranked] : ranked;
}

function sameSelector(a: Expr, b: Expr): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Named sets whose key is this field's datatype (or `typeof` this very field). */
export function compatibleSets(sets: readonly SetDecl[], f: RuleField): SetDecl[] {
  return sets.filter((s) => {
    if (s.kind !== 'set') return false;
    if (s.key.mode === 'type') return s.key.types.length === 1 && s.key.types[0] === f.type;
    return s.key.exprs.length === 1 && sameSelector(s.key.exprs[0], f.expr);
  });
}

/** Split what was typed or pasted into chips: `80, 443` and `80 443` are two values. */
export function splitChips(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    for (const part of v.split(/[\s,]+/)) if (part !== '' && !out.includes(part)) out.push(part);
  }
  return out;
}

export interface MatchEditorProps {
  row: MatchRow;
  index: number;
  count: number;
  ctx: BuilderContext;
  autoFocus?: boolean;
  onChange: (row: MatchRow) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}

function MatchEditorImpl({ row, index, count, ctx, autoFocus, onChange, onMove, onRemove }: MatchEditorProps) {
  const base = `match.${index}`;
  const tid = `rule.${base}`;
  const field = ruleField(row.field);
  const fields = useMemo(() => {
    const list = allRuleFieldsFor(ctx.family);
    return field && !list.includes(field) ? [field, ...list] : list;
  }, [ctx.family, field]);
  const fieldNotes = useNotes(`${base}.field`);
  const valueNotes = useNotes(`${base}.values`);
  const fieldNotesId = useId();
  const valueNotesId = useId();
  const [input, setInput] = useState('');
  // while a name is typed the fields are ranked (rankFields), not grouped
  const [fieldTyped, setFieldTyped] = useState('');

  const suggestions = useMemo(() => {
    if (!field) return [];
    return [...compatibleSets(ctx.table.sets, field).map((s) => `@${s.name}`), ...fieldSymbols(field)];
  }, [field, ctx.table.sets]);

  const ops: MatchOp[] = field ? [...field.ops] : ['implicit', '!='];
  if (!ops.includes(row.op)) ops.push(row.op);

  const commit = (values: readonly string[]) => {
    onChange({ ...row, values: splitChips(values) });
    setInput('');
  };
  const chipProblem = (v: string) => (field ? parseChip(v, field.type, { range: field.range, allowSetRef: true }).problem : undefined);
  // what is being typed is checked too, before it becomes a chip
  const draft = input.trim();
  const draftProblem = draft && !draft.startsWith('@') ? chipProblem(draft) : undefined;

  return (
    <Box data-testid={tid} sx={{ display: 'flex', columnGap: 1, rowGap: 1.5, alignItems: 'flex-start', flexWrap: 'wrap', py: 0.75 }}>
      <Box sx={{ width: 210, maxWidth: '100%' }}>
        <Autocomplete
          options={fields}
          groupBy={fieldTyped.trim() && fieldTyped !== row.field ? undefined : (f) => f.group}
          getOptionLabel={(f) => f.id}
          filterOptions={(opts, state) => (state.inputValue === row.field ? opts : withTyped(rankFields(opts, state.inputValue), state.inputValue))}
          onInputChange={(_, v) => setFieldTyped(v)}
          value={field ?? null}
          // the buttons are named after their row: two matches have two field pickers
          openText={`Match ${index + 1}: show the fields`}
          closeText={`Match ${index + 1}: hide the fields`}
          clearText={`Match ${index + 1}: clear the field`}
          autoHighlight
          // Tab (leaving the field) takes the highlighted field, like Enter
          autoSelect
          onChange={(_, f) => {
            if (!f) return onChange({ ...row, field: '' });
            onChange({ ...row, field: f.id, op: f.ops.includes(row.op) ? row.op : f.ops[0], asSet: false });
          }}
          renderOption={(props, f) => {
            const { key, ...rest } = props;
            return (
              <li key={key} {...rest}>
                <Box>
                  <Box component="span" sx={{ fontFamily: 'monospace', fontWeight: 500 }}>
                    {f.id}
                  </Box>
                  <Box component="span" sx={{ color: 'text.secondary', ml: 1, fontSize: 12 }}>
                    {f.label}
                  </Box>
                </Box>
              </li>
            );
          }}
          renderInput={(params) => (
            <TextField
              {...params}
              label={`Match ${index + 1}: field`}
              error={fieldNotes.error}
              autoFocus={autoFocus}
              slotProps={{
                ...params.slotProps,
                htmlInput: {
                  ...params.slotProps.htmlInput,
                  'data-testid': `${tid}.field`,
                  'aria-describedby': fieldNotes.problems.length + fieldNotes.findings.length ? fieldNotesId : undefined,
                  spellCheck: false,
                },
              }}
            />
          )}
        />
        <Notes notes={fieldNotes} id={fieldNotesId} testId={`${tid}.field.notes`} />
      </Box>
      <RowLabel prefix={`Match ${index + 1}`}>
      <SelectInput
        label="Operator"
        path={`${base}.op`}
        testId={`${tid}.op`}
        width={140}
        value={row.op}
        onChange={(v) => onChange({ ...row, op: v as MatchOp })}
        options={ops.map((op) => ({ value: op, label: opLabel(op, field) }))}
      />
      </RowLabel>
      <Box sx={{ flex: '1 1 220px', minWidth: 'min(200px, 100%)', maxWidth: '100%' }}>
        <Autocomplete
          multiple
          freeSolo
          options={suggestions}
          value={row.values}
          inputValue={input}
          openText={`Match ${index + 1}: show the values`}
          closeText={`Match ${index + 1}: hide the values`}
          clearText={`Match ${index + 1}: clear the values`}
          onInputChange={(_, v, reason) => {
            if (reason === 'input' && /[,\s]$/.test(v) && v.trim() !== '') commit([...row.values, v]);
            else setInput(reason === 'reset' ? '' : v);
          }}
          onChange={(_, values) => commit(values)}
          onBlur={() => {
            if (input.trim() !== '') commit([...row.values, input]);
          }}
          groupBy={(v) => (v.startsWith('@') ? 'Named sets of this table' : 'Values')}
          filterSelectedOptions
          renderValue={(values, getItemProps) =>
            values.map((v, i) => {
              const { key, ...rest } = getItemProps({ index: i });
              const bad = chipProblem(v);
              // the delete icon is a button of its own: it says what it removes
              return <Chip key={key} {...rest} size="small" label={v} color={bad ? 'error' : v.startsWith('@') ? 'primary' : 'default'} variant={bad ? 'filled' : 'outlined'} title={bad} deleteIcon={<CancelIcon titleAccess={`Remove ${v}`} />} />;
            })
          }
          renderInput={(params) => (
            <TextField
              {...params}
              label={field && (field.type === 'tcp_flag' || field.type === 'ct_state' || field.type === 'ct_status') ? 'Values (any of)' : 'Values'}
              placeholder={row.values.length ? '' : field ? `e.g. ${field.example}` : 'pick a field first'}
              error={valueNotes.error}
              slotProps={{
                ...params.slotProps,
                htmlInput: {
                  ...params.slotProps.htmlInput,
                  'data-testid': `${tid}.values`,
                  'aria-label': `Match ${index + 1}: values`,
                  'aria-describedby': valueNotes.problems.length + valueNotes.findings.length ? valueNotesId : undefined,
                  spellCheck: false,
                },
              }}
            />
          )}
        />
        {draftProblem && (
          <FormHelperText error data-testid={`${tid}.values.draft`} sx={{ mx: 0, mt: 0.25 }}>
            {draftProblem}
          </FormHelperText>
        )}
        <Notes notes={valueNotes} id={valueNotesId} testId={`${tid}.values.notes`} />
      </Box>
      <RowActions what="match" index={index} count={count} testId={tid} onMove={onMove} onRemove={onRemove} />
    </Box>
  );
}

/** Re-renders only when its own row (or context) changed: typing elsewhere in the rule leaves it alone. */
export const MatchEditor = memo(MatchEditorImpl, sameDataProps);
