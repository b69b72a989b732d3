import { Box } from '@mui/material';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Family, Table } from '../../src/model/types.ts';
import { updateTable } from '../../src/model/ops.ts';
import { FAMILIES, FAMILY_DESCRIPTIONS } from '../../src/knowledge/families.ts';
import { TABLE_FLAGS, TABLE_FLAG_INFO } from '../../src/knowledge/vocabulary.ts';
import { Check, Findings, otherFindings, FormTitle, Row, Select, Text, change, fieldFindings, opt } from './fields.tsx';
import { NodeActions } from './NodeActions.tsx';

export function TableForm({ table, diagnostics }: { table: Table; diagnostics: Diagnostic[] }) {
  const f = fieldFindings(diagnostics, table.id);
  const set = (field: string, patch: Partial<Table>): void => change(table.id, field, (rs) => updateTable(rs, table.id, patch));
  return (
    <Box data-testid="form.table">
      <FormTitle kind="table" name={`${table.family} ${table.name}`}>
        <NodeActions id={table.id} label={`table ${table.name}`} />
      </FormTitle>
      <Row>
        <Select
          label="Family"
          value={table.family}
          options={FAMILIES.map((x) => ({ value: x, label: `${x} — ${FAMILY_DESCRIPTIONS[x]}` }))}
          onChange={(v: Family) => set('family', { family: v })}
          findings={f.get('family')}
          testId="table.family"
          width={360}
          help="The family decides which packets the table sees and which hooks its chains can use. inet covers IPv4 and IPv6 in one table."
        />
        <Text label="Name" value={table.name} onChange={(v) => set('name', { name: v })} findings={f.get('name')} testId="table.name" help="Letters, digits and / - _ . ; it must start with a letter, _ or . and cannot be an nft keyword (names cannot be quoted)." />
      </Row>
      <Row>
        {TABLE_FLAGS.map((flag) => (
          <Check
            key={flag}
            label={`${flag} (${TABLE_FLAG_INFO[flag]})`}
            checked={table.flags.includes(flag)}
            // the other flags (and any this form does not know) are kept
            onChange={(on) => set('flags', { flags: on ? [...table.flags.filter((x) => x !== flag), flag] : table.flags.filter((x) => x !== flag) })}
            testId={`table.${flag}`}
          />
        ))}
      </Row>
      <Row>
        <Text label="Comment" value={table.comment ?? ''} onChange={(v) => set('comment', { comment: opt(v) })} findings={f.get('comment')} testId="table.comment" width={520} help="At most 128 bytes, no double quote, no newline." />
      </Row>
      <Findings items={otherFindings(f, ['family', 'name', 'comment'])} testId="table.findings" />
    </Box>
  );
}
