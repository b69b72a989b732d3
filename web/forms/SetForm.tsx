import { MAP_OBJECT_TYPES } from '../../src/knowledge/vocabulary.ts';
import { Alert, Autocomplete, Box, Button, FormGroup, TextField, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { SetElement } from '../../src/model/expr.ts';
import type { SetDecl, Table } from '../../src/model/types.ts';
import { updateSet } from '../../src/model/ops.ts';
import { SET_TYPES } from '../../src/knowledge/datatypes.ts';
import { setElementsText, parseElementsText } from './elements.ts';
import { Check, Findings, Help, otherFindings, FormTitle, Row, Select, Text, change, fieldFindings, opt } from './fields.tsx';
import { NodeActions } from './NodeActions.tsx';

/**
 * A set's key: one datatype, or several in order (a concatenation, `ipv4_addr .
 * inet_service`), picked from nft's datatypes; a type the list lacks can be typed.
 */
function KeyTypes({ types, onChange, findings }: { types: readonly string[]; onChange: (types: string[]) => void; findings?: Diagnostic[] }) {
  const hasError = findings?.some((d) => d.severity === 'error') ?? false;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', width: 380, maxWidth: '100%' }}>
      <Box sx={{ display: 'flex', alignItems: 'center' }}>
        <Autocomplete
          multiple
          freeSolo
          fullWidth
          options={SET_TYPES as readonly string[]}
          value={[...types]}
          filterSelectedOptions={false}
          onChange={(_, v) => onChange(v.map((x) => x.trim()).filter(Boolean))}
          renderInput={(params) => (
            <TextField
              {...params}
              label="Key type"
              error={hasError}
              helperText={types.length > 1 ? `a concatenation: ${types.join(' . ')}` : 'one type, or several for a concatenation'}
              slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'set.type', spellCheck: false } }}
            />
          )}
        />
        <Help text={`The datatype of the key: ${SET_TYPES.join(', ')}. Several in order make a concatenation, like "ipv4_addr . inet_service", which matches several fields at once. Integer, string and verdict keys need typeof.`} />
      </Box>
      <Findings items={findings} testId="set.type.findings" />
    </Box>
  );
}

const FLAGS = [
  { flag: 'interval', help: 'needed for prefixes (10.0.0.0/8) and ranges (1024-2048)' },
  { flag: 'timeout', help: 'elements can expire (per-element "timeout 10m" or the set\'s default timeout)' },
  { flag: 'dynamic', help: 'the set is updated from the packet path (add @set / update @set in rules)' },
  { flag: 'constant', help: 'the elements never change after loading' },
];

const DATA_TYPES = ['verdict', 'ipv4_addr', 'ipv6_addr', 'inet_service', 'mark', 'ifname', 'counter', 'quota', 'limit', 'synproxy'];
/** map data that are verdicts or named objects: never ranges */
const NOT_RANGES: ReadonlySet<string> = new Set(['verdict', ...MAP_OBJECT_TYPES]);

export function SetForm({ set, table, diagnostics }: { set: SetDecl; table: Table; diagnostics: Diagnostic[] }) {
  const f = fieldFindings(diagnostics, set.id);
  const patch = (field: string, p: Partial<SetDecl>): void => change(set.id, field, (rs) => updateSet(rs, set.id, p));
  const typeofMode = set.key.mode === 'typeof';
  return (
    <Box data-testid="form.set">
      <FormTitle kind={set.kind} name={set.name}>
        <NodeActions id={set.id} label={`${set.kind} ${set.name}`} selectAfter={table.id} />
      </FormTitle>
      <Row>
        <Text label="Name" value={set.name} onChange={(v) => patch('name', { name: v })} findings={f.get('name')} testId="set.name" help="Sets and maps share one namespace in a table." />
        <Select
          label="Kind"
          value={set.kind}
          options={[
            { value: 'set', label: 'set (values)' },
            { value: 'map', label: 'map (key : value)' },
          ]}
          onChange={(v) => patch('kind', v === 'map' ? { kind: 'map', data: set.data ?? { mode: 'type', types: ['verdict'] } } : { kind: 'set', data: undefined })}
          testId="set.kind"
        />
      </Row>
      <Row>
        {typeofMode ? (
          <Alert severity="info" sx={{ py: 0 }}>
            This {set.kind} is declared with typeof (edit it in the preview text).
          </Alert>
        ) : (
          <KeyTypes
            types={set.key.mode === 'type' ? set.key.types : []}
            onChange={(types) => patch('type', { key: { mode: 'type', types } })}
            findings={f.get('type')}
          />
        )}
        {set.kind === 'map' && set.data?.mode !== 'typeof' && (
          <Select
            label="Value type"
            value={set.data?.mode === 'type' ? (set.data.types[0] ?? 'verdict') : 'verdict'}
            options={[...new Set([...(set.data?.mode === 'type' ? set.data.types : []), ...DATA_TYPES])].map((t) => ({ value: t, label: t }))}
            onChange={(v) => patch('data', { data: { mode: 'type', types: [v], ...(set.data?.interval && !NOT_RANGES.has(v) ? { interval: true } : {}) } })}
            testId="set.dataType"
            help="verdict maps (vmap) choose accept/drop/jump per key; object maps (synproxy, counter …) choose a named object per key."
          />
        )}
        {set.kind === 'map' && set.data && !(set.data.mode === 'type' && NOT_RANGES.has(set.data.types[0] ?? '')) && (
          <Check
            label="values are ranges (interval)"
            help="each key maps to a range or prefix of values (a NAT map to address ranges: type ipv4_addr : interval ipv4_addr)"
            checked={set.data.interval === true}
            onChange={(on) => set.data && patch('data', { data: { ...set.data, interval: on || undefined } })}
            testId="set.dataInterval"
          />
        )}
      </Row>
      <Typography variant="caption" component="div" color="text.secondary">
        Flags
      </Typography>
      <FormGroup row sx={{ mb: 1 }}>
        {FLAGS.map(({ flag, help }) => (
          <Check
            key={flag}
            label={flag}
            help={help}
            checked={set.flags.includes(flag)}
            onChange={(on) => patch('flags', { flags: on ? [...set.flags, flag] : set.flags.filter((x) => x !== flag) })}
            testId={`set.flag.${flag}`}
          />
        ))}
        <Check label="auto-merge" help="merge overlapping or adjacent intervals (needs the interval flag)" checked={set.autoMerge === true} onChange={(on) => patch('autoMerge', { autoMerge: on || undefined })} testId="set.autoMerge" />
      </FormGroup>
      <Findings items={f.get('flags')} testId="set.flags.findings" />
      <Row>
        <Text label="Timeout" placeholder="e.g. 1h" value={set.timeout ?? ''} onChange={(v) => patch('timeout', { timeout: opt(v.trim()) })} findings={f.get('timeout')} testId="set.timeout" width={130} />
        <Text
          label="Size"
          value={set.size === undefined ? '' : String(set.size)}
          onChange={(v) => patch('size', { size: /^\d+$/.test(v) ? Number(v) : undefined })}
          findings={f.get('size')}
          testId="set.size"
          width={120}
        />
        <Select
          label="Lookups tuned for"
          value={set.policy ?? 'performance'}
          options={[
            { value: 'performance', label: 'speed (the default)' },
            { value: 'memory', label: 'less memory' },
          ]}
          help={`nft's set "policy" (performance or memory): how the kernel stores the elements. It decides nothing about packets (unlike a chain's policy accept/drop).`}
          onChange={(v) => patch('policy', { policy: v === 'memory' ? 'memory' : undefined })}
          testId="set.policy"
          width={260}
        />
        <Text label="Comment" value={set.comment ?? ''} onChange={(v) => patch('comment', { comment: opt(v) })} findings={f.get('comment')} testId="set.comment" width={300} />
      </Row>
      <ElementsEditor set={set} table={table} findings={f.get('elements')} />
      <Findings items={otherFindings(f, ['name', 'type', 'flags', 'timeout', 'size', 'comment', 'elements'])} testId="set.findings" />
    </Box>
  );
}

/** Elements as text, one per line or comma-separated; a pasted list is read with nft's own syntax. */
function ElementsEditor({ set, table, findings }: { set: SetDecl; table: Table; findings?: Diagnostic[] }) {
  const initial = useMemo(() => setElementsText(set), [set]);
  const [draft, setText] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  // until the user edits, the field follows the design (undo, text edits)
  const text = dirty ? draft : initial;
  const apply = (): void => {
    const r = parseElementsText(text, set, table.family);
    if ('error' in r) {
      setError(r.error);
      return;
    }
    setError(null);
    setDirty(false);
    const elements: SetElement[] = r.elements;
    change(set.id, 'elements', (rs) => updateSet(rs, set.id, { elements }));
  };
  return (
    <Box sx={{ mb: 1 }}>
      <Text
        label={`Elements (${set.elements.length}) — one per line or comma-separated${set.kind === 'map' ? ', key : value' : ''}`}
        value={text}
        onChange={(v) => {
          setText(v);
          setDirty(true);
        }}
        multiline
        rows={4}
        monospace
        width="100%"
        testId="set.elements"
        findings={findings}
        help="Paste a list: addresses, prefixes (10.0.0.0/8), ranges (1024-2048), concatenations (1.2.3.4 . 22); options like timeout 10m and comment are allowed after an element."
      />
      {error && (
        <Alert severity="error" sx={{ mt: 0.5 }} data-testid="set.elements.error">
          {error}
        </Alert>
      )}
      <Box sx={{ display: 'flex', gap: 1, mt: 0.5 }}>
        <Button variant="contained" disabled={!dirty} onClick={apply} data-testid="set.elements.apply">
          Apply elements
        </Button>
        <Button
          disabled={!dirty}
          onClick={() => {
            setText(initial);
            setDirty(false);
            setError(null);
          }}
        >
          Revert
        </Button>
      </Box>
    </Box>
  );
}
