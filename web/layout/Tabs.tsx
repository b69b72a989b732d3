/**
 * A minimal accessible tab list (role=tablist/tab, arrow keys), lighter than MUI Tabs for first paint.
 * The tabs keep their whole width: the `extra` buttons beside them wrap onto a
 * line of their own when the row is too narrow for both (a "Full window" button
 * took the Trace tab's room at 1280×720). Only a row narrower than the tabs
 * themselves scrolls them.
 */
import { Box } from '@mui/material';
import { useRef } from 'react';

export function TabBar<T extends string>({ value, tabs, onChange, label, extra }: { value: T; tabs: { value: T; label: string; testId: string }[]; onChange: (v: T) => void; label: string; extra?: React.ReactNode }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', borderBottom: 1, borderColor: 'divider' }}>
    <Box role="tablist" aria-label={label} sx={{ display: 'flex', px: 0.5, flex: '1 0 auto', maxWidth: '100%', minWidth: 0, overflowX: 'auto', scrollbarWidth: 'thin' }}>
      {tabs.map((t, i) => (
        <Box
          key={t.value}
          component="button"
          type="button"
          role="tab"
          id={`tab-${t.value}`}
          aria-selected={t.value === value}
          aria-controls={`tabpanel-${t.value}`}
          tabIndex={t.value === value ? 0 : -1}
          data-testid={t.testId}
          ref={(el: HTMLButtonElement | null) => {
            refs.current[i] = el;
          }}
          onClick={() => onChange(t.value)}
          onKeyDown={(e: React.KeyboardEvent) => {
            if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
            const j = (i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length;
            onChange(tabs[j].value);
            refs.current[j]?.focus();
          }}
          sx={{
            border: 0,
            borderBottom: 2,
            borderColor: t.value === value ? 'primary.main' : 'transparent',
            background: 'none',
            color: t.value === value ? 'primary.main' : 'text.secondary',
            font: 'inherit',
            fontSize: 13,
            fontWeight: 500,
            textTransform: 'uppercase',
            whiteSpace: 'nowrap',
            flexShrink: 0,
            px: 1.25,
            py: 0.75,
            cursor: 'pointer',
          }}
        >
          {t.label}
        </Box>
      ))}
    </Box>
    {extra && <Box sx={{ display: 'flex', alignItems: 'center', ml: 'auto' }}>{extra}</Box>}
    </Box>
  );
}
