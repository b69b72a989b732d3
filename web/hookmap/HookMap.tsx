/**
 * The hook map: the packet path of the design's families, with the kernel's
 * stages and every base chain placed on its hook by priority, so a learner sees
 * what runs before conntrack and what after. Lazy-loaded by the app:
 * `React.lazy(() => import('../hookmap/HookMap.tsx'))`.
 */
import { Box, Button, Typography } from '@mui/material';
import { useTheme } from '@mui/material/styles';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type JSX, type RefObject } from 'react';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { Ruleset } from '../../src/model/types.ts';
import { hookMapColors } from './colors.ts';
import { findingsByChain } from './describe.ts';
import { layoutLane } from './geometry.ts';
import { LaneView } from './LaneView.tsx';
import { Legend } from './Legend.tsx';
import { buildHookMap } from './model.ts';
import { RegularChains } from './RegularChains.tsx';
import { canvasMeasure } from './text.ts';
import { TextTable } from './TextTable.tsx';
import { formatRule } from '../../src/emit/statements.ts';

/** The selected rule (a trace's current event, or a rule picked in the forms): where it is and what it says. */
function selectedRule(rs: Ruleset, id: string | null): { where: string; index: number; count: number; text: string } | undefined {
  if (id === null) return undefined;
  for (const t of rs.tables) {
    for (const c of t.chains) {
      const index = c.rules.findIndex((r) => r.id === id);
      if (index >= 0) return { where: `${t.family} ${t.name} ${c.name}`, index, count: c.rules.length, text: formatRule(c.rules[index], { family: t.family }) };
    }
  }
  return undefined;
}

export interface HookMapProps {
  ruleset: Ruleset;
  /** findings with nodeId; those on a chain or one of its rules show on the chain */
  diagnostics: Diagnostic[];
  /** a chain id or rule id: its chain is highlighted */
  selectedId: string | null;
  onSelect: (chainId: string) => void;
  theme: 'light' | 'dark';
  /** show the text table visibly from the start (it is always there for screen readers) */
  initialShowTable?: boolean;
  /** level of the lane headings, to fit the page's outline (default 3) */
  headingLevel?: 2 | 3 | 4 | 5 | 6;
}

const DEFAULT_WIDTH = 1200;

export default function HookMap({ ruleset, diagnostics, selectedId, onSelect, theme, initialShowTable = false, headingLevel = 3 }: HookMapProps): JSX.Element {
  const model = useMemo(() => buildHookMap(ruleset), [ruleset]);
  const findings = useMemo(() => findingsByChain(diagnostics, model.chainOf), [diagnostics, model]);
  const selectedChainId = selectedId === null ? null : (model.chainOf.get(selectedId) ?? null);
  const rule = useMemo(() => selectedRule(ruleset, selectedId), [ruleset, selectedId]);
  const mui = useTheme();
  const colors = useMemo(() => hookMapColors(theme, mui.palette), [theme, mui.palette]);
  const fontsVersion = useFontsVersion();
  const measure = useMemo(() => canvasMeasure(fontsVersion), [fontsVersion]);
  const [showTable, setShowTable] = useState(initialShowTable);
  const [ref, width] = useContainerWidth();
  const geometries = useMemo(() => model.lanes.map((lane) => layoutLane(lane, width)), [model, width]);

  return (
    <Box ref={ref} data-testid="hookmap" sx={{ color: colors.text, bgcolor: colors.background, position: 'relative', minWidth: 0 }}>
      {/* first: the rule selected in the forms or the preview, seen without scrolling past the legend */}
      {rule && (
        <Typography variant="body2" component="p" role="status" data-testid="hookmap.selectedRule" sx={{ mt: 0, mb: 1, px: 1, py: 0.5, border: 2, borderColor: colors.selected, borderRadius: 1, overflowWrap: 'anywhere' }}>
          Selected: rule {rule.index + 1} of {rule.count} in <strong>{rule.where}</strong> (its chain is outlined below):{' '}
          <Box component="code" sx={{ fontFamily: 'monospace' }}>
            {rule.text.split('\n')[0]}
          </Box>
        </Typography>
      )}
      <Typography variant="body2" component="p" sx={{ mt: 0, mb: 1, maxWidth: '80em' }} data-testid="hookmap.caption">
        Each column is a hook, in the order packets meet them. Inside a hook, packets pass from top to bottom: lower priority numbers run first.
        Chains above the orange <strong>conntrack</strong> band see a packet before connection tracking (ct state not known yet; notrack works
        there), chains below it or on a hook marked “after conntrack” see it afterwards. Click a chain, or focus it and press Enter, to select
        it.
      </Typography>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 2, mb: 1.5 }}>
        <Box sx={{ flex: 1, minWidth: 0 }}>
          <Legend colors={colors} />
        </Box>
        <Button variant="outlined" onClick={() => setShowTable((v) => !v)} aria-pressed={showTable} data-testid="hookmap.toggleTable" sx={{ flex: 'none' }}>
          {showTable ? 'Hide table' : 'Show as table'}
        </Button>
      </Box>
      {model.lanes.length === 0 ? (
        <Typography variant="body2" data-testid="hookmap.empty">
          No tables yet. Add a table and a base chain (a chain with a hook) to see where it runs on the packet path.
        </Typography>
      ) : (
        model.lanes.map((lane, i) => (
          <Box component="section" key={lane.id} aria-label={lane.title} sx={{ mb: 2 }}>
            <Typography variant="subtitle1" component={`h${headingLevel}`} sx={{ fontWeight: 700, m: 0 }}>
              {lane.title} <span style={{ fontWeight: 400, fontSize: '0.85em' }}>({lane.families.join(', ')})</span>
            </Typography>
            <Typography variant="body2" component="p" sx={{ mt: 0, mb: 0.75, color: colors.muted }}>
              {lane.note}
            </Typography>
            <Box sx={{ overflowX: 'auto', ...focusStyles(colors.selected) }}>
              <LaneView
                lane={lane}
                geometry={geometries[i]}
                colors={colors}
                findings={findings}
                selectedChainId={selectedChainId}
                measure={measure}
                onSelect={onSelect}
              />
            </Box>
          </Box>
        ))
      )}
      <RegularChains headingLevel={headingLevel} regular={model.regular} selectedChainId={selectedChainId} onSelect={onSelect} colors={colors} />
      <TextTable model={model} findings={findings} visible={showTable} />
    </Box>
  );
}

function focusStyles(color: string) {
  return {
    '& .hm-chain:focus': { outline: 'none' },
    '& .hm-chain:focus-visible .hm-card': { stroke: color, strokeWidth: 3.5, strokeDasharray: '6 3' },
  };
}

/**
 * Bumped whenever web fonts finish loading, so text measured with a fallback
 * font is measured again with the real one.
 */
function useFontsVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const fonts = typeof document === 'undefined' ? undefined : document.fonts;
    if (!fonts?.addEventListener) return;
    const bump = () => setVersion((v) => v + 1);
    fonts.addEventListener('loadingdone', bump);
    void fonts.ready.then(bump);
    return () => fonts.removeEventListener('loadingdone', bump);
  }, []);
  return version;
}

/** The container's content width, following resizes (a fixed default where there is no layout, as in jsdom). */
function useContainerWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () => {
      const w = Math.floor(el.clientWidth);
      if (w > 0) setWidth((prev) => (prev === w ? prev : w));
    };
    read();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}
