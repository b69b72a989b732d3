/**
 * Regular chains are not on a hook: they run only when a base chain jumps (or
 * goes) to them, on that base chain's hook. Listed with where they are reached
 * from, each selectable.
 */
import { Box, Button, Typography } from '@mui/material';
import type { HookMapColors } from './colors.ts';
import type { RegularChainNode } from './model.ts';

export function RegularChains({
  headingLevel,
  regular,
  selectedChainId,
  onSelect,
  colors,
}: {
  headingLevel: 2 | 3 | 4 | 5 | 6;
  regular: RegularChainNode[];
  selectedChainId: string | null;
  onSelect: (chainId: string) => void;
  colors: HookMapColors;
}) {
  if (!regular.length) return null;
  return (
    <Box component="section" aria-label="Regular chains" sx={{ mb: 2 }} data-testid="hookmap.regular">
      <Typography variant="subtitle1" component={`h${headingLevel}`} sx={{ fontWeight: 700, m: 0 }}>
        Regular chains
      </Typography>
      <Typography variant="body2" component="p" sx={{ mt: 0, mb: 0.5, color: colors.muted }}>
        Not on a hook: they run on the hook of the base chain that jumps to them.
      </Typography>
      <Box component="ul" sx={{ m: 0, pl: 0, listStyle: 'none', display: 'flex', flexWrap: 'wrap', gap: 1 }}>
        {regular.map((r) => {
          const selected = r.id === selectedChainId;
          const from = r.reachedFrom.length ? `reached from ${r.reachedFrom.map((b) => `${b.name} (${b.hook})`).join(', ')}` : 'not reached from any base chain';
          return (
            <li key={r.id}>
              <Button
                variant={selected ? 'contained' : 'outlined'}
                color="inherit"
                onClick={() => onSelect(r.id)}
                aria-current={selected ? 'true' : undefined}
                data-testid={`hookmap.regular.${r.id}`}
                sx={{ textTransform: 'none', textAlign: 'left', ...(selected ? { bgcolor: colors.selectedFill, borderColor: colors.selected } : {}) }}
              >
                <span>
                  <strong style={{ fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace' }}>{r.name}</strong> ({r.family} {r.tableName}) — {from}
                </span>
              </Button>
            </li>
          );
        })}
      </Box>
    </Box>
  );
}
