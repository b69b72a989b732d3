import { Box, Typography } from '@mui/material';
import { lazy, Suspense } from 'react';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import { findNode } from '../../src/model/find.ts';
import { useDesign } from '../store/design.ts';
import { useUi } from '../store/ui.ts';
import { ChainForm } from '../forms/ChainForm.tsx';
import { DefineForm } from '../forms/DefineForm.tsx';
import { FlowtableForm } from '../forms/FlowtableForm.tsx';
import { ObjectForm } from '../forms/ObjectForm.tsx';
import { SetForm } from '../forms/SetForm.tsx';
import { TableForm } from '../forms/TableForm.tsx';
import { Welcome } from './Welcome.tsx';

const RuleForm = lazy(() => import('../forms/RuleForm.tsx'));

export default function FormPanel({ diagnostics }: { diagnostics: Diagnostic[] }) {
  const rs = useDesign((s) => s.ruleset);
  const selectedId = useUi((s) => s.selectedId);
  const ref = selectedId ? findNode(rs, selectedId) : undefined;
  let body: React.ReactNode;
  if (!ref && rs.tables.length === 0) {
    body = <Welcome />;
  } else if (!ref) {
    body = (
      <Box sx={{ color: 'text.secondary', p: 2 }}>
        <Typography variant="h6" component="h2" gutterBottom>
          Nothing selected
        </Typography>
        <Typography variant="body2">Pick a table, chain, set or object in the navigator, click a line in the preview, or start from a template.</Typography>
      </Box>
    );
  } else {
    switch (ref.kind) {
      case 'table':
        body = <TableForm key={ref.node.id} table={ref.node} diagnostics={diagnostics} />;
        break;
      case 'chain':
        body = <ChainForm key={ref.node.id} chain={ref.node} table={ref.table} diagnostics={diagnostics} />;
        break;
      case 'rule':
        body = (
          <Suspense fallback={<Typography>Loading the rule builder…</Typography>}>
            <RuleForm key={ref.node.id} rule={ref.node} chain={ref.chain} table={ref.table} index={ref.index} diagnostics={diagnostics} />
          </Suspense>
        );
        break;
      case 'set':
        body = <SetForm key={ref.node.id} set={ref.node} table={ref.table} diagnostics={diagnostics} />;
        break;
      case 'object':
        body = <ObjectForm key={ref.node.id} obj={ref.node} table={ref.table} diagnostics={diagnostics} />;
        break;
      case 'flowtable':
        body = <FlowtableForm key={ref.node.id} ft={ref.node} table={ref.table} diagnostics={diagnostics} />;
        break;
      case 'define':
        body = <DefineForm key={ref.node.id} def={ref.node} diagnostics={diagnostics} />;
        break;
    }
  }
  return (
    <Box component="section" aria-label="Form of the selected item" data-testid="formPanel" sx={{ height: '100%', overflow: 'auto', p: 1.5 }}>
      {body}
    </Box>
  );
}
