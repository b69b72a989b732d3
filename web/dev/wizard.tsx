/**
 * Dev-only harness for the synproxy wizard (not part of the build): pick a base
 * design (empty or a template), a target version and a theme, open the wizard,
 * apply, and see the resulting design and the selected id.
 * Run: npx vite --port 5196, then open http://127.0.0.1:5196/dev/wizard.html
 * (`?open=1&base=workstation&theme=dark&version=0.9.2` preset the controls).
 */
import { lazy, StrictMode, Suspense, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '@fontsource/roboto/latin-400.css';
import '@fontsource/roboto/latin-500.css';
import '@fontsource/roboto/latin-700.css';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CssBaseline from '@mui/material/CssBaseline';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { ThemeProvider } from '@mui/material/styles';
import { makeTheme, type ThemeMode } from '../theme.ts';
import { emit } from '../../src/emit/index.ts';
import { parse } from '../../src/parse/index.ts';
import { emptyRuleset, type Ruleset } from '../../src/model/types.ts';
import { TEMPLATES } from '../../src/templates/catalog.ts';
import { DEFAULT_TARGET_VERSION, KNOWN_VERSIONS } from '../../src/knowledge/versions.ts';

const SynproxyWizard = lazy(() => import('../dialogs/synproxy/SynproxyWizard.tsx'));

const params = new URLSearchParams(location.search);

function baseDesign(id: string): Ruleset {
  const t = TEMPLATES.find((x) => x.id === id);
  return t ? parse(t.text).ruleset : emptyRuleset();
}

function Harness() {
  const [theme, setTheme] = useState<ThemeMode>(params.get('theme') === 'dark' ? 'dark' : 'light');
  const [baseId, setBaseId] = useState(params.get('base') ?? 'empty');
  const [version, setVersion] = useState(params.get('version') ?? DEFAULT_TARGET_VERSION);
  const [design, setDesign] = useState<Ruleset>(() => baseDesign(params.get('base') ?? 'empty'));
  const [open, setOpen] = useState(params.get('open') === '1');
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [applies, setApplies] = useState(0);
  const muiTheme = useMemo(() => makeTheme(theme), [theme]);
  const text = useMemo(() => {
    try {
      return emit(design).text;
    } catch (e) {
      return String(e);
    }
  }, [design]);

  return (
    <ThemeProvider theme={muiTheme}>
      <CssBaseline />
      <Box component="main" sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2 }}>
        <Typography variant="h6" component="h1">
          Synproxy wizard harness
        </Typography>
        <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
          <TextField
            select
            label="Base design"
            value={baseId}
            onChange={(e) => {
              setBaseId(e.target.value);
              setDesign(baseDesign(e.target.value));
              setSelected(undefined);
            }}
            sx={{ width: 320 }}
          >
            <MenuItem value="empty">empty</MenuItem>
            {TEMPLATES.map((t) => (
              <MenuItem key={t.id} value={t.id}>
                {t.title}
              </MenuItem>
            ))}
          </TextField>
          <TextField select label="Target version" value={version} onChange={(e) => setVersion(e.target.value)} sx={{ width: 160 }}>
            {KNOWN_VERSIONS.map((v) => (
              <MenuItem key={v} value={v}>
                {v}
              </MenuItem>
            ))}
          </TextField>
          <Button variant="outlined" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
            {theme === 'dark' ? 'Light' : 'Dark'} theme
          </Button>
          <Button variant="contained" onClick={() => setOpen(true)} data-testid="harness.open">
            Open synproxy wizard
          </Button>
        </Box>
        <Typography variant="body2" data-testid="harness.status">
          applies: {applies}; selected: {selected ?? '—'}
        </Typography>
        <Box component="pre" data-testid="harness.design" sx={{ m: 0, p: 1, bgcolor: 'action.hover', fontSize: 12, tabSize: 8, overflow: 'auto' }}>
          {text || '(empty design)'}
        </Box>
      </Box>
      <Suspense fallback={null}>
        {open && (
          <SynproxyWizard
            open={open}
            onClose={() => setOpen(false)}
            ruleset={design}
            targetVersion={version}
            onApply={(next, selectId) => {
              setDesign(next);
              setSelected(selectId);
              setApplies((n) => n + 1);
            }}
          />
        )}
      </Suspense>
    </ThemeProvider>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Harness />
    </StrictMode>,
  );
}
