/**
 * The form of a rule: the rule builder (lazy, with its own text mode for rules
 * the builder cannot represent), plus moving, duplicating and deleting — all
 * undoable. A burst of edits in the builder is one undo step.
 */
import { useTargetVersion } from '../store/target.ts';
import { Box, Button, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import { memo, useEffect, useRef } from 'react';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Chain, Rule, Table } from '../../src/model/types.ts';
import { updateRule } from '../../src/model/ops.ts';
import { useDesign } from '../store/design.ts';
import { useUi } from '../store/ui.ts';
import { RuleBuilder } from './rule/RuleBuilder.tsx';
import { NodeActions } from './NodeActions.tsx';
import { RuleButtons } from './RulesList.tsx';
import { addAnotherRule, takeFocusRequest } from '../actions/addAnotherRule.ts';

/** The title and the rule's buttons: the same while the rule's own fields change (a keystroke re-renders only the builder). */
const RuleHeader = memo(function RuleHeader({ ruleId, index, ruleCount, chainId, chainName }: { ruleId: string; index: number; ruleCount: number; chainId: string; chainName: string }) {
  const select = useUi((s) => s.select);
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 0.5, mb: 1 }}>
      {/* the buttons wrap below the title in a narrow form, instead of squeezing it to a word per line */}
      <Typography variant="h6" component="h2" sx={{ fontSize: 17, flex: '1 1 12em', minWidth: 0, overflowWrap: 'anywhere' }}>
        rule {index + 1} of{' '}
        <Box
          component="button"
          type="button"
          onClick={() => select(chainId)}
          data-testid="rule.chainLink"
          sx={{ border: 0, p: 0, background: 'none', color: 'primary.main', cursor: 'pointer', font: 'inherit', fontFamily: 'monospace', textDecoration: 'underline' }}
        >
          chain {chainName}
        </Box>
      </Typography>
      <RuleButtons ruleId={ruleId} index={index} count={ruleCount} label="rule" testId={(what) => `rule.${what}`} />
      <NodeActions id={ruleId} label={`rule ${index + 1}`} selectAfter={chainId} />
    </Box>
  );
});

const AddAnother = memo(function AddAnother({ chainName }: { chainName: string }) {
  return (
    <Box sx={{ mt: 2, display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
      <Button variant="outlined" startIcon={<AddIcon />} onClick={addAnotherRule} data-testid="rule.addAnother" title="Add another rule after this one (Alt+N)" aria-keyshortcuts="Alt+N">
        Add another rule
      </Button>
      <Typography variant="caption" color="text.secondary">
        after this one, in chain {chainName} (Alt+N)
      </Typography>
    </Box>
  );
});

export default function RuleForm({ rule, chain, table, index, diagnostics }: { rule: Rule; chain: Chain; table: Table; index: number; diagnostics: Diagnostic[] }) {
  const targetVersion = useTargetVersion();
  const mine = diagnostics.filter((d) => d.nodeId === rule.id);
  const root = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    // opened by "Add another rule": the next thing to do is to add a match
    if (takeFocusRequest(rule.id)) root.current?.querySelector<HTMLElement>('[data-testid="rule.match.add"]')?.focus();
  }, [rule.id]);
  return (
    <Box data-testid="form.rule" ref={root}>
      <RuleHeader ruleId={rule.id} index={index} ruleCount={chain.rules.length} chainId={chain.id} chainName={chain.name} />
      <RuleBuilder
        key={rule.id}
        rule={rule}
        table={table}
        chain={chain}
        diagnostics={mine}
        targetVersion={targetVersion}
        onChange={(next) => useDesign.getState().apply((rs) => updateRule(rs, rule.id, { stmts: next.stmts, comment: next.comment }), { coalesce: `${rule.id}:rule` })}
      />
      <AddAnother chainName={chain.name} />
    </Box>
  );
}
