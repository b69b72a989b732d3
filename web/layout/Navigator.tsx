/**
 * The navigator: tables → chains, sets and maps, named objects, flowtables, with
 * counts and error/warning badges (a rule's findings count on its chain and
 * table). Every item is a button reachable with Tab; the selected one is marked
 * with aria-current.
 */
import { Box, Button, IconButton, List, ListItemButton, ListItemText, ListSubheader, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import { lazy, memo, Suspense, useEffect, useMemo, useState } from 'react';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Chain, Ruleset, Table } from '../../src/model/types.ts';
import { formatPriority, priorityValue } from '../../src/knowledge/priorities.ts';
import { useDesign } from '../store/design.ts';
import { useUi } from '../store/ui.ts';
import { addNewTable } from '../actions/add.ts';
import { plural } from '../words.ts';

const AddMenu = lazy(() => import('./AddMenu.tsx'));
/** tables kept aside by an import (rare): their code (who manages them, src/knowledge/foreign.ts) loads when there are some */
const AsideTables = lazy(() => import('./AsideTables.tsx').then((m) => ({ default: m.AsideTables })));

interface Counts {
  errors: number;
  warnings: number;
}

/** The rule ids of a chain, remembered per chain object (an edit replaces only its own chain). */
const ruleIdMemo = new WeakMap<Chain, Set<string>>();
function ruleIds(c: Chain): Set<string> {
  let ids = ruleIdMemo.get(c);
  if (!ids) {
    ids = new Set(c.rules.map((r) => r.id));
    ruleIdMemo.set(c, ids);
  }
  return ids;
}

/**
 * Errors and warnings per node, a rule's also on its chain and table, a
 * chain's, set's or object's also on its table. One pass over the findings,
 * one over the design's members (no lookups per finding: a keystroke in a
 * 5,000-rule design re-counts in well under a millisecond).
 */
export function countFindings(rs: Ruleset, diagnostics: Diagnostic[]): Map<string, Counts> {
  const out = new Map<string, Counts>();
  if (diagnostics.length === 0) return out;
  const own = new Map<string, Counts>();
  for (const d of diagnostics) {
    if (!d.nodeId || d.severity === 'info') continue;
    const c = own.get(d.nodeId) ?? { errors: 0, warnings: 0 };
    if (d.severity === 'error') c.errors++;
    else if (d.severity === 'warning') c.warnings++;
    own.set(d.nodeId, c);
  }
  if (own.size === 0) return out;
  const add = (into: Counts, c: Counts | undefined): void => {
    if (!c) return;
    into.errors += c.errors;
    into.warnings += c.warnings;
  };
  const keep = (id: string, c: Counts): void => {
    if (c.errors || c.warnings) out.set(id, c);
  };
  for (const t of rs.tables) {
    const tc: Counts = { errors: 0, warnings: 0 };
    add(tc, own.get(t.id));
    for (const c of t.chains) {
      const cc: Counts = { errors: 0, warnings: 0 };
      add(cc, own.get(c.id));
      for (const r of c.rules) {
        const rc = own.get(r.id);
        if (!rc) continue;
        add(cc, rc);
        keep(r.id, rc);
      }
      keep(c.id, cc);
      add(tc, cc);
    }
    for (const x of [...t.sets, ...t.objects, ...t.flowtables]) {
      const xc = own.get(x.id);
      if (!xc) continue;
      keep(x.id, xc);
      add(tc, xc);
    }
    keep(t.id, tc);
  }
  return out;
}

function FindingBadge({ errors, warnings, children }: { errors: number; warnings: number; children: React.ReactNode }) {
  if (errors === 0 && warnings === 0) return <>{children}</>;
  const error = errors > 0;
  const n = error ? errors : warnings;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minWidth: 0, width: '100%' }}>
      <Box sx={{ flex: 1, minWidth: 0 }}>{children}</Box>
      <Box
        component="span"
        data-testid={error ? 'badge.error' : 'badge.warning'}
        aria-label={`${n} ${error ? 'error' : 'warning'}${n === 1 ? '' : 's'}`}
        sx={{ bgcolor: error ? 'error.main' : 'warning.main', color: error ? 'error.contrastText' : 'warning.contrastText', borderRadius: 10, px: 0.75, fontSize: 11, fontWeight: 700, lineHeight: '18px' }}
      >
        {n > 99 ? '99+' : n}
      </Box>
    </Box>
  );
}

// counts are passed as numbers, so a memoised item re-renders only when its own numbers change
const Item = memo(function Item(props: { id: string; primary: string; secondary?: string; depth: number; selected: boolean; errors?: number; warnings?: number; testId: string; li?: boolean }) {
  const select = useUi((s) => s.select);
  const button = (
    <ListItemButton
      dense
      selected={props.selected}
      aria-current={props.selected ? 'true' : undefined}
      onClick={() => select(props.id)}
      data-testid={props.testId}
      sx={{ pl: 1 + props.depth * 1.5, py: 0.25 }}
    >
      <FindingBadge errors={props.errors ?? 0} warnings={props.warnings ?? 0}>
        <ListItemText
          primary={props.primary}
          secondary={props.secondary}
          slotProps={{ primary: { noWrap: true, sx: { fontSize: 13 } }, secondary: { noWrap: true, sx: { fontSize: 11 } } }}
        />
      </FindingBadge>
    </ListItemButton>
  );
  return props.li === false ? button : <Box component="li" sx={{ listStyle: 'none' }}>{button}</Box>;
});

/** The add button; its menu (MUI Menu, a popover) loads on first use. */
function AddButton({ table }: { table: Table }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  return (
    <>
      <IconButton aria-label={`Add to table ${table.name}`} title={`Add to table ${table.name}`} data-testid={`nav.add.${table.name}`} onClick={(e) => setAnchor(e.currentTarget)}>
        <AddIcon fontSize="small" />
      </IconButton>
      {anchor && (
        <Suspense fallback={null}>
          <AddMenu table={table} anchor={anchor} onClose={() => setAnchor(null)} />
        </Suspense>
      )}
    </>
  );
}

/**
 * What the navigator shows of two designs is the same: the same tables, sets,
 * objects, flowtables, variables and kept-aside tables, and chains with the
 * same name, base and rules (by id, so the badge counts stay right). A rule's
 * own edits (a keystroke in its form) change none of it.
 */
export function sameNavigatorView(a: Ruleset, b: Ruleset): boolean {
  if (a === b) return true;
  if (a.defines !== b.defines || a.aside !== b.aside || a.tables.length !== b.tables.length) return false;
  for (let i = 0; i < a.tables.length; i++) {
    const x = a.tables[i];
    const y = b.tables[i];
    if (x === y) continue;
    if (x.id !== y.id || x.family !== y.family || x.name !== y.name || x.sets !== y.sets || x.objects !== y.objects || x.flowtables !== y.flowtables || x.chains.length !== y.chains.length) return false;
    for (let j = 0; j < x.chains.length; j++) {
      const c = x.chains[j];
      const d = y.chains[j];
      if (c === d) continue;
      if (c.id !== d.id || c.name !== d.name || c.base !== d.base || c.rules.length !== d.rules.length) return false;
      for (let k = 0; k < c.rules.length; k++) if (c.rules[k].id !== d.rules[k].id) return false;
    }
  }
  return true;
}

/** The design, changing only when what the navigator shows changes (typing in a rule does not re-render the navigator). */
function useNavigatorView(): Ruleset {
  const [rs, setRs] = useState(() => useDesign.getState().ruleset);
  useEffect(() => {
    const take = (next: Ruleset): void => setRs((prev) => (sameNavigatorView(prev, next) ? prev : next));
    take(useDesign.getState().ruleset);
    return useDesign.subscribe((s) => take(s.ruleset));
  }, []);
  return rs;
}

export const Navigator = memo(function Navigator({ diagnostics }: { diagnostics: Diagnostic[] }) {
  const rs = useNavigatorView();
  const selectedId = useUi((s) => s.selectedId);
  const hasAside = (rs.aside?.length ?? 0) > 0;
  const counts = useMemo(() => countFindings(rs, diagnostics), [rs, diagnostics]);
  // a selected rule highlights its chain
  const selectedChain = useMemo(() => {
    if (!selectedId) return null;
    for (const t of rs.tables) for (const c of t.chains) if (c.id === selectedId || ruleIds(c).has(selectedId)) return c.id;
    return null;
  }, [rs, selectedId]);
  return (
    <Box component="nav" aria-label="Design navigator" sx={{ height: '100%', overflow: 'auto', borderRight: 1, borderColor: 'divider' }} data-testid="navigator">
      <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', px: 1, py: 0.5, columnGap: 1 }}>
        <Typography variant="overline" sx={{ flex: 1, whiteSpace: 'nowrap' }}>
          Tables ({rs.tables.length})
        </Typography>
        <Button startIcon={<AddIcon />} onClick={addNewTable} data-testid="nav.addTable">
          Table
        </Button>
      </Box>
      {rs.tables.length === 0 && (
        <Typography variant="body2" color="text.secondary" sx={{ px: 2, py: 1 }}>
          Add a table, start from a template, or use the synproxy wizard.
        </Typography>
      )}
      <List dense disablePadding>
        {rs.defines.length > 0 && (
          <>
            <ListSubheader sx={{ lineHeight: '28px' }}>Variables ({rs.defines.length})</ListSubheader>
            {rs.defines.map((d) => (
              <Item key={d.id} id={d.id} primary={`$${d.name}`} secondary={d.value} depth={1} selected={d.id === selectedId} testId={`nav.define.${d.name}`} />
            ))}
          </>
        )}
        {rs.tables.map((t) => (
          <Box key={t.id} component="li" sx={{ listStyle: 'none' }}>
            <Box sx={{ display: 'flex', alignItems: 'center' }}>
              <Box sx={{ flex: 1, minWidth: 0 }}>
                <Item id={t.id} primary={`table ${t.family} ${t.name}`} depth={0} selected={t.id === selectedId} errors={counts.get(t.id)?.errors} warnings={counts.get(t.id)?.warnings} testId={`nav.table.${t.name}`} li={false} />
              </Box>
              <AddButton table={t} />
            </Box>
            <List dense disablePadding aria-label={`Members of table ${t.name}`}>
              {t.chains.length > 0 && <ListSubheader sx={{ lineHeight: '24px', pl: 2.5, fontSize: 11 }}>Chains ({t.chains.length})</ListSubheader>}
              {t.chains.map((c) => (
                <Item
                  key={c.id}
                  id={c.id}
                  primary={c.name}
                  secondary={
                    c.base
                      ? `${c.base.type} ${c.base.hook} · ${formatPriority(t.family, c.base.hook, c.base.priority)}${priorityValue(t.family, c.base.priority) !== undefined ? ` (${priorityValue(t.family, c.base.priority)})` : ''} · ${plural(c.rules.length, 'rule')}`
                      : `regular · ${plural(c.rules.length, 'rule')}`
                  }
                  depth={1}
                  selected={c.id === selectedId || c.id === selectedChain}
                  errors={counts.get(c.id)?.errors} warnings={counts.get(c.id)?.warnings}
                  testId={`nav.chain.${c.name}`}
                />
              ))}
              {t.sets.length > 0 && <ListSubheader sx={{ lineHeight: '24px', pl: 2.5, fontSize: 11 }}>Sets and maps ({t.sets.length})</ListSubheader>}
              {t.sets.map((s) => (
                <Item key={s.id} id={s.id} primary={`${s.kind} ${s.name}`} secondary={plural(s.elements.length, 'element')} depth={1} selected={s.id === selectedId} errors={counts.get(s.id)?.errors} warnings={counts.get(s.id)?.warnings} testId={`nav.set.${s.name}`} />
              ))}
              {t.objects.length > 0 && <ListSubheader sx={{ lineHeight: '24px', pl: 2.5, fontSize: 11 }}>Named objects ({t.objects.length})</ListSubheader>}
              {t.objects.map((o) => (
                <Item key={o.id} id={o.id} primary={`${o.type} ${o.name}`} depth={1} selected={o.id === selectedId} errors={counts.get(o.id)?.errors} warnings={counts.get(o.id)?.warnings} testId={`nav.object.${o.name}`} />
              ))}
              {t.flowtables.length > 0 && <ListSubheader sx={{ lineHeight: '24px', pl: 2.5, fontSize: 11 }}>Flowtables ({t.flowtables.length})</ListSubheader>}
              {t.flowtables.map((f) => (
                <Item key={f.id} id={f.id} primary={`flowtable ${f.name}`} depth={1} selected={f.id === selectedId} errors={counts.get(f.id)?.errors} warnings={counts.get(f.id)?.warnings} testId={`nav.flowtable.${f.name}`} />
              ))}
            </List>
          </Box>
        ))}
      </List>
      {hasAside && (
        <Suspense fallback={null}>
          <AsideTables />
        </Suspense>
      )}
    </Box>
  );
});
