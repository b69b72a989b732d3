/**
 * Dev harness for the hook map (dev server only, not part of the build):
 * http://127.0.0.1:5198/dev/hookmap.html?design=synproxy-anonymous&theme=dark
 * Designs: every template, `all-families` and `generated` (50 base chains).
 * The findings are the real linter's; the selection is local state.
 */
import { StrictMode, Suspense, lazy, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Box, CssBaseline, MenuItem, TextField, ThemeProvider, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import '@fontsource/roboto/latin-400.css';
import '@fontsource/roboto/latin-500.css';
import '@fontsource/roboto/latin-700.css';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import { lint } from '../../src/lint/index.ts';
import { makeTheme, type ThemeMode } from '../theme.ts';
import { ALL_FAMILIES_TEXT, generatedText, parseOrThrow } from '../hookmap/fixtures.ts';

const HookMap = lazy(() => import('../hookmap/HookMap.tsx'));

const DESIGNS: { id: string; title: string; text: string }[] = [
  ...TEMPLATES.map((t) => ({ id: t.id, title: t.title, text: t.text })),
  { id: 'all-families', title: 'Every family, nat, devices, $variables, ties', text: ALL_FAMILIES_TEXT },
  { id: 'generated', title: 'Generated: 50 base chains', text: generatedText(50) },
];

function Harness() {
  const params = new URLSearchParams(location.search);
  const [designId, setDesignId] = useState(params.get('design') ?? DESIGNS[0].id);
  const [mode, setMode] = useState<ThemeMode>(params.get('theme') === 'dark' ? 'dark' : 'light');
  const [selected, setSelected] = useState<string | null>(params.get('select'));
  const theme = useMemo(() => makeTheme(mode), [mode]);
  const design = DESIGNS.find((d) => d.id === designId) ?? DESIGNS[0];
  const ruleset = useMemo(() => parseOrThrow(design.text), [design]);
  const diagnostics = useMemo(() => lint(ruleset), [ruleset]);
  const selectedName = ruleset.tables.flatMap((t) => t.chains).find((c) => c.id === selected)?.name;
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <Box sx={{ p: 2 }}>
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
          <Typography variant="h6" component="h1">
            Hook map
          </Typography>
          <TextField
            select
            label="Design"
            value={design.id}
            onChange={(e) => {
              setDesignId(e.target.value);
              setSelected(null);
            }}
            sx={{ minWidth: 320 }}
          >
            {DESIGNS.map((d) => (
              <MenuItem key={d.id} value={d.id}>
                {d.title}
              </MenuItem>
            ))}
          </TextField>
          <ToggleButtonGroup exclusive size="small" value={mode} onChange={(_, v: ThemeMode | null) => v && setMode(v)} aria-label="Theme">
            <ToggleButton value="light">light</ToggleButton>
            <ToggleButton value="dark">dark</ToggleButton>
          </ToggleButtonGroup>
          <Typography variant="body2" data-testid="harness.selected">
            selected: {selectedName ?? 'none'}
          </Typography>
        </Box>
        <Suspense fallback={<Typography>Loading the hook map…</Typography>}>
          <HookMap ruleset={ruleset} diagnostics={diagnostics} selectedId={selected} onSelect={setSelected} theme={mode} headingLevel={2} />
        </Suspense>
      </Box>
    </ThemeProvider>
  );
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <Harness />
    </StrictMode>,
  );
