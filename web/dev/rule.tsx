/**
 * Dev page for the rule builder (not part of the production build): the wiki's
 * synproxy table, a choice of chain, rule and target version, the live nft
 * line, the linter's findings for the rule, and undo — to try the builder in a
 * real browser and drive it from Playwright (http://127.0.0.1:5197/dev/rule.html).
 */
import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Box, Button, CssBaseline, MenuItem, Paper, TextField, ThemeProvider, Typography } from '@mui/material';
import '@fontsource/roboto/latin-400.css';
import '@fontsource/roboto/latin-500.css';
import '@fontsource/roboto/latin-700.css';
import { makeTheme, type ThemeMode } from '../theme.ts';
import { RuleBuilder } from '../forms/rule/RuleBuilder.tsx';
import { ruleOf, wikiFixture } from '../forms/rule/testUtil.ts';
import type { Rule, Ruleset } from '../../src/model/types.ts';
import { emitRule } from '../../src/emit/index.ts';
import { lint } from '../../src/lint/index.ts';
import { KNOWN_VERSIONS } from '../../src/knowledge/versions.ts';

const fx = wikiFixture();

const SAMPLES: Record<string, string> = {
  empty: '',
  'wiki synproxy': 'tcp dport 8888 ct state invalid,untracked synproxy mss 1460 wscale 7 timestamp sack-perm',
  'per-source map': 'ct state invalid,untracked synproxy name ip saddr map { 192.168.1.0/24 : "https-synproxy", 192.168.2.0/24 : "other-synproxy" }',
  'ssh with limit': 'ip saddr @allowed tcp dport 22 limit rate 10/minute counter accept comment "admins"',
  'raw (text only)': 'tcp option maxseg size set 1400',
};

function sampleRule(name: string): Rule {
  const text = SAMPLES[name];
  return text ? ruleOf(text, 'inet', `r_${name.replace(/\W/g, '')}`) : { id: 'r_empty', stmts: [] };
}

function Harness() {
  const params = new URLSearchParams(location.search);
  const [mode, setMode] = useState<ThemeMode>(params.get('theme') === 'dark' ? 'dark' : 'light');
  const theme = useMemo(() => makeTheme(mode), [mode]);
  const [chainName, setChainName] = useState(params.get('chain') ?? 'in');
  const [sample, setSample] = useState(params.get('rule') ?? 'empty');
  const [version, setVersion] = useState(params.get('version') ?? '1.0.6');
  const [history, setHistory] = useState<Rule[]>(() => [sampleRule(params.get('rule') ?? 'empty')]);
  const rule = history[history.length - 1];
  const chain = fx.chain(chainName);

  const diagnostics = useMemo(() => {
    const rs: Ruleset = {
      schema: 1,
      preamble: 'none',
      defines: [],
      includes: [],
      commands: [],
      tables: [{ ...fx.table, chains: fx.table.chains.map((c) => (c.id === chain.id ? { ...c, rules: [...c.rules, rule] } : c)) }],
    };
    return lint(rs, { targetVersion: version }).filter((d) => d.nodeId === rule.id);
  }, [rule, chain, version]);

  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <Box sx={{ display: 'flex', gap: 2, p: 2, height: '100vh', boxSizing: 'border-box' }}>
        <Paper sx={{ flex: '1 1 760px', p: 2, overflow: 'auto' }}>
          <RuleBuilder key={rule.id} rule={rule} table={fx.table} chain={chain} diagnostics={diagnostics} targetVersion={version} onChange={(r) => setHistory((h) => [...h, r])} />
        </Paper>
        <Paper sx={{ flex: '0 1 420px', p: 2, overflow: 'auto', display: 'flex', flexDirection: 'column', gap: 1.5 }}>
          <Typography variant="subtitle1">Dev harness</Typography>
          <TextField select label="Chain" value={chainName} onChange={(e) => setChainName(e.target.value)} slotProps={{ htmlInput: { 'data-testid': 'dev.chain' } }}>
            {fx.table.chains.map((c) => (
              <MenuItem key={c.id} value={c.name}>
                {c.name} {c.base ? `(${c.base.type} ${c.base.hook})` : '(regular)'}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            label="Rule"
            value={sample}
            onChange={(e) => {
              setSample(e.target.value);
              setHistory([sampleRule(e.target.value)]);
            }}
          >
            {Object.keys(SAMPLES).map((k) => (
              <MenuItem key={k} value={k}>
                {k}
              </MenuItem>
            ))}
          </TextField>
          <TextField select label="Target nftables" value={version} onChange={(e) => setVersion(e.target.value)}>
            {KNOWN_VERSIONS.map((v) => (
              <MenuItem key={v} value={v}>
                {v}
              </MenuItem>
            ))}
          </TextField>
          <Box sx={{ display: 'flex', gap: 1 }}>
            <Button variant="outlined" data-testid="dev.undo" disabled={history.length < 2} onClick={() => setHistory((h) => h.slice(0, -1))}>
              Undo ({history.length - 1})
            </Button>
            <Button variant="outlined" onClick={() => setMode(mode === 'dark' ? 'light' : 'dark')}>
              {mode === 'dark' ? 'Light' : 'Dark'} theme
            </Button>
          </Box>
          <Typography variant="caption">nft (emitRule)</Typography>
          <Box component="pre" data-testid="dev.emitted" sx={{ m: 0, p: 1, bgcolor: 'action.hover', whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>
            {emitRule(rule, fx.table.family)}
          </Box>
          <Typography variant="caption">linter ({diagnostics.length})</Typography>
          <Box component="ul" data-testid="dev.lint" sx={{ m: 0, pl: 2, fontSize: 12 }}>
            {diagnostics.map((d, i) => (
              <li key={i}>
                [{d.severity}] {d.id} {d.field ? `(${d.field})` : ''}: {d.message}
              </li>
            ))}
          </Box>
        </Paper>
      </Box>
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
