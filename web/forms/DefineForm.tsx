import { Box } from '@mui/material';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Define } from '../../src/model/types.ts';
import { updateDefine } from '../../src/model/ops.ts';
import { Findings, otherFindings, FormTitle, Row, Text, change, fieldFindings } from './fields.tsx';
import { NodeActions } from './NodeActions.tsx';

export function DefineForm({ def, diagnostics }: { def: Define; diagnostics: Diagnostic[] }) {
  const f = fieldFindings(diagnostics, def.id);
  return (
    <Box data-testid="form.define">
      <FormTitle kind="define" name={`$${def.name}`}>
        <NodeActions id={def.id} label={`variable ${def.name}`} />
      </FormTitle>
      <Row>
        <Text label="Name" value={def.name} onChange={(v) => change(def.id, 'name', (rs) => updateDefine(rs, def.id, { name: v }))} findings={f.get('name')} testId="define.name" />
        <Text label="Value" value={def.value} onChange={(v) => change(def.id, 'value', (rs) => updateDefine(rs, def.id, { value: v }))} findings={f.get('value')} testId="define.value" width={360} monospace help="Anything nft accepts where the variable is used: a value, a quoted string, or an anonymous set such as { 80, 443 }." />
      </Row>
      <Findings items={otherFindings(f, ['name', 'value'])} testId="define.findings" />
    </Box>
  );
}
