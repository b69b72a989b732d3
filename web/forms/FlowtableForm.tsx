import { Alert, Box } from '@mui/material';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Flowtable, Table } from '../../src/model/types.ts';
import { updateFlowtable } from '../../src/model/ops.ts';
import { Check, Findings, otherFindings, FormTitle, Row, Text, change, fieldFindings } from './fields.tsx';
import { NodeActions } from './NodeActions.tsx';
import { PriorityField } from './PriorityField.tsx';

export function FlowtableForm({ ft, table, diagnostics }: { ft: Flowtable; table: Table; diagnostics: Diagnostic[] }) {
  const f = fieldFindings(diagnostics, ft.id);
  const patch = (field: string, p: Partial<Flowtable>): void => change(ft.id, field, (rs) => updateFlowtable(rs, ft.id, p));
  return (
    <Box data-testid="form.flowtable">
      <FormTitle kind="flowtable" name={ft.name}>
        <NodeActions id={ft.id} label={`flowtable ${ft.name}`} selectAfter={table.id} />
      </FormTitle>
      <Alert severity="info" sx={{ mb: 1 }}>
        A flowtable offloads established flows past the forward path (used from a rule with flow add @{ft.name}). Its kernel needs NF_FLOW_TABLE; not every kernel has it.
      </Alert>
      <Row>
        <Text label="Name" value={ft.name} onChange={(v) => patch('name', { name: v })} findings={f.get('name')} testId="flowtable.name" />
        <Text label="Devices, comma-separated" value={ft.devices.join(', ')} onChange={(v) => patch('devices', { devices: v.split(',').map((x) => x.trim()).filter(Boolean) })} findings={f.get('devices')} testId="flowtable.devices" />
      </Row>
      <Row>
        <PriorityField family={table.family === 'netdev' ? 'netdev' : table.family} hook="ingress" value={ft.priority} onChange={(p) => patch('priority', { priority: p })} findings={f.get('priority')} testId="flowtable.priority" />
      </Row>
      <Row>
        <Check label="counter" checked={ft.counter === true} onChange={(v) => patch('counter', { counter: v || undefined })} testId="flowtable.counter" />
        <Check label="hardware offload" checked={ft.flags?.includes('offload') === true} onChange={(v) => patch('flags', { flags: v ? ['offload'] : undefined })} testId="flowtable.offload" />
      </Row>
      <Findings items={otherFindings(f, ['name', 'devices', 'priority'])} testId="flowtable.findings" />
    </Box>
  );
}
