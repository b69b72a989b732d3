import { Box, Typography } from '@mui/material';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Chain, Rule, Table } from '../../src/model/types.ts';
import { emitRule } from '../../src/emit/index.ts';

/** Placeholder until the rule builder lands. */
export default function RuleForm({ rule, table }: { rule: Rule; chain: Chain; table: Table; index: number; diagnostics: Diagnostic[] }) {
  return (
    <Box data-testid="form.rule">
      <Typography variant="h6">rule</Typography>
      <Box component="pre">{emitRule(rule, table.family)}</Box>
    </Box>
  );
}
