/**
 * The rules of a chain: virtualised (only the rows in view are rendered, so a
 * 5,000-rule chain stays light), reorderable by drag and drop and by keyboard
 * (Alt+Up/Down on a row, or its buttons), with duplicate and delete — all
 * undoable.
 */
import { useListingTarget } from '../store/target.ts';
import type { ListingTarget } from '../../src/knowledge/listing.ts';
import { Box, IconButton, Tooltip } from '@mui/material';
import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import ArrowDownwardIcon from '@mui/icons-material/ArrowDownward';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import DeleteIcon from '@mui/icons-material/Delete';
import DragIndicatorIcon from '@mui/icons-material/DragIndicator';
import { memo, useMemo, useRef, useState } from 'react';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Chain, Family, Rule } from '../../src/model/types.ts';
import { duplicateRule, moveRule, removeNode } from '../../src/model/ops.ts';
import { emitRule } from '../../src/emit/index.ts';
import { useDesign } from '../store/design.ts';
import { useUi } from '../store/ui.ts';
import { applyAndSelect } from '../actions/applyAndSelect.ts';

/**
 * Move up, move down and duplicate for one rule: in the chain's list and in the
 * rule's own form (undoable; the duplicate is selected).
 */
export function RuleButtons({ ruleId, index, count, label, testId }: { ruleId: string; index: number; count: number; label: string; testId: (what: 'up' | 'down' | 'duplicate') => string }) {
  return (
    <>
      <Tooltip title="Move up">
        <span>
          <IconButton aria-label={`Move ${label} up`} disabled={index === 0} onClick={() => moveRuleAction(ruleId, index - 1)} data-testid={testId('up')}>
            <ArrowUpwardIcon fontSize="small" />
          </IconButton>
        </span>
      </Tooltip>
      <Tooltip title="Move down">
        <span>
          <IconButton aria-label={`Move ${label} down`} disabled={index === count - 1} onClick={() => moveRuleAction(ruleId, index + 1)} data-testid={testId('down')}>
            <ArrowDownwardIcon fontSize="small" />
          </IconButton>
        </span>
      </Tooltip>
      <Tooltip title="Duplicate">
        <IconButton aria-label={`Duplicate ${label}`} data-testid={testId('duplicate')} onClick={() => applyAndSelect((rs) => duplicateRule(rs, ruleId))}>
          <ContentCopyIcon fontSize="small" />
        </IconButton>
      </Tooltip>
    </>
  );
}

const ROW = 34;
const MAX_VISIBLE = 14;

function ruleText(rule: Rule, family: Family, target: ListingTarget): string {
  try {
    return emitRule(rule, family, target);
  } catch {
    return '(cannot be printed)';
  }
}

export function moveRuleAction(id: string, to: number): void {
  useDesign.getState().apply((rs) => moveRule(rs, id, to));
}

const RuleRow = memo(function RuleRow(props: { rule: Rule; index: number; count: number; family: Family; selected: boolean; severity?: 'error' | 'warning'; onDragStart: (i: number) => void; onDrop: (i: number) => void }) {
  const { rule, index } = props;
  const select = useUi((s) => s.select);
  const target = useListingTarget();
  const text = useMemo(() => ruleText(rule, props.family, target), [rule, props.family, target]);
  const label = `rule ${index + 1}`;
  return (
    <Box
      role="listitem"
      data-testid={`rules.row.${index}`}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.effectAllowed = 'move';
        e.dataTransfer.setData('text/plain', String(index));
        props.onDragStart(index);
      }}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        props.onDrop(index);
      }}
      sx={{
        display: 'flex',
        alignItems: 'center',
        height: ROW,
        px: 0.5,
        borderBottom: 1,
        borderColor: 'divider',
        bgcolor: props.selected ? 'action.selected' : undefined,
        borderLeft: 3,
        borderLeftColor: props.severity === 'error' ? 'error.main' : props.severity === 'warning' ? 'warning.main' : 'transparent',
      }}
    >
      <DragIndicatorIcon fontSize="small" sx={{ color: 'text.disabled', cursor: 'grab' }} aria-hidden />
      <Box
        component="button"
        type="button"
        onClick={() => select(rule.id)}
        onKeyDown={(e: React.KeyboardEvent) => {
          if (e.altKey && e.key === 'ArrowUp') {
            e.preventDefault();
            moveRuleAction(rule.id, index - 1);
          } else if (e.altKey && e.key === 'ArrowDown') {
            e.preventDefault();
            moveRuleAction(rule.id, index + 1);
          }
        }}
        aria-label={`${label}: ${text}`}
        aria-current={props.selected ? 'true' : undefined}
        data-testid={`rules.open.${index}`}
        title="Open this rule (Alt+Up/Down moves it)"
        sx={{ flex: 1, minWidth: 0, textAlign: 'left', border: 0, background: 'none', color: 'text.primary', cursor: 'pointer', fontFamily: 'monospace', fontSize: 12.5, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', py: 0.5 }}
      >
        {text}
      </Box>
      <RuleButtons ruleId={rule.id} index={index} count={props.count} label={label} testId={(what) => `rules.${what}.${index}`} />
      <Tooltip title="Delete">
        <IconButton aria-label={`Delete ${label}`} data-testid={`rules.delete.${index}`} onClick={() => useDesign.getState().apply((rs) => removeNode(rs, rule.id))}>
          <DeleteIcon fontSize="small" />
        </IconButton>
      </Tooltip>
    </Box>
  );
});

export function RulesList({ chain, family, diagnostics }: { chain: Chain; family: Family; diagnostics: Diagnostic[] }) {
  const selectedId = useUi((s) => s.selectedId);
  const [scroll, setScroll] = useState(0);
  const dragFrom = useRef<number | null>(null);
  const severity = useMemo(() => {
    const m = new Map<string, 'error' | 'warning'>();
    for (const d of diagnostics) {
      if (!d.nodeId || d.severity === 'info') continue;
      if (d.severity === 'error' || !m.has(d.nodeId)) m.set(d.nodeId, d.severity);
    }
    return m;
  }, [diagnostics]);
  const n = chain.rules.length;
  if (n === 0) return <Box sx={{ color: 'text.secondary', fontSize: 13, py: 1 }}>No rules yet: every packet gets the chain's policy.</Box>;
  const height = Math.min(n, MAX_VISIBLE) * ROW;
  const first = Math.max(0, Math.floor(scroll / ROW) - 4);
  const last = Math.min(n, first + MAX_VISIBLE + 8);
  const rows = [];
  for (let i = first; i < last; i++) {
    const r = chain.rules[i];
    rows.push(
      <RuleRow
        key={r.id}
        rule={r}
        index={i}
        count={n}
        family={family}
        selected={r.id === selectedId}
        severity={severity.get(r.id)}
        onDragStart={(from) => {
          dragFrom.current = from;
        }}
        onDrop={(to) => {
          const from = dragFrom.current;
          dragFrom.current = null;
          if (from !== null && from !== to) moveRuleAction(chain.rules[from].id, to);
        }}
      />,
    );
  }
  return (
    <Box
      role="list"
      aria-label={`Rules of chain ${chain.name}`}
      data-testid="rules.list"
      onScroll={(e) => setScroll((e.target as HTMLElement).scrollTop)}
      sx={{ height, overflow: 'auto', border: 1, borderColor: 'divider', borderRadius: 1 }}
    >
      <Box sx={{ height: n * ROW, position: 'relative' }}>
        <Box sx={{ position: 'absolute', top: first * ROW, left: 0, right: 0 }}>{rows}</Box>
      </Box>
    </Box>
  );
}
