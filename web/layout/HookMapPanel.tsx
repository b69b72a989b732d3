import { Box } from '@mui/material';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import HookMap from '../hookmap/HookMap.tsx';
import { useDesign } from '../store/design.ts';
import { useUi } from '../store/ui.ts';

/** The hook map in the bottom panel, wired to the design and the selection. */
export default function HookMapPanel({ diagnostics }: { diagnostics: Diagnostic[] }) {
  const ruleset = useDesign((s) => s.ruleset);
  const selectedId = useUi((s) => s.selectedId);
  const select = useUi((s) => s.select);
  const theme = useUi((s) => s.theme);
  return (
    <Box sx={{ height: '100%', overflow: 'auto', p: 1 }}>
      <HookMap ruleset={ruleset} diagnostics={diagnostics} selectedId={selectedId} onSelect={select} theme={theme} />
    </Box>
  );
}
