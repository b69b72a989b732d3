import { AppBar, Box, Divider, IconButton, Toolbar, Typography } from '@mui/material';
import UndoIcon from '@mui/icons-material/Undo';
import RedoIcon from '@mui/icons-material/Redo';
import DarkModeIcon from '@mui/icons-material/DarkMode';
import LightModeIcon from '@mui/icons-material/LightMode';
import HelpOutlineIcon from '@mui/icons-material/HelpOutlined';
import FileOpenIcon from '@mui/icons-material/FileOpen';
import FileDownloadIcon from '@mui/icons-material/FileDownload';
import ShareIcon from '@mui/icons-material/Share';
import ViewQuiltIcon from '@mui/icons-material/ViewQuilt';
import ShieldIcon from '@mui/icons-material/Shield';
import FolderIcon from '@mui/icons-material/Folder';
import CompareArrowsIcon from '@mui/icons-material/CompareArrows';
import { useStore } from 'zustand';
import { redo, undo, useDesign } from '../store/design.ts';
import { useSession } from '../store/session.ts';
import { useUi } from '../store/ui.ts';
import { KNOWN_VERSIONS, VERSION_LABELS } from '../../src/knowledge/versions.ts';

// The app bar is part of first paint: plain titles instead of MUI tooltips (no popper), native inputs.
function Action(props: { label: string; testId: string; onClick: () => void; disabled?: boolean; children: React.ReactNode; shortcut?: string }) {
  const title = props.shortcut ? `${props.label} (${props.shortcut})` : props.label;
  return (
    <IconButton color="inherit" aria-label={props.label} title={title} data-testid={props.testId} onClick={props.onClick} disabled={props.disabled}>
      {props.children}
    </IconButton>
  );
}

const inputSx = {
  color: 'inherit',
  bgcolor: 'rgba(0,0,0,0.28)',
  border: '1px solid rgba(255,255,255,0.45)',
  borderRadius: 1,
  font: 'inherit',
  fontSize: 14,
  px: 1,
  py: 0.5,
  '&:focus-visible': { outline: '2px solid #fff', outlineOffset: 1 },
} as const;

export function TopBar() {
  const name = useSession((s) => s.name);
  const rename = useSession((s) => s.rename);
  const canUndo = useStore(useDesign.temporal, (s) => s.pastStates.length > 0);
  const canRedo = useStore(useDesign.temporal, (s) => s.futureStates.length > 0);
  const theme = useUi((s) => s.theme);
  const setTheme = useUi((s) => s.setTheme);
  const openDialog = useUi((s) => s.openDialog);
  const targetVersion = useUi((s) => s.targetVersion);
  const setTargetVersion = useUi((s) => s.setTargetVersion);
  return (
    <AppBar position="static" elevation={0} color="primary" component="header">
      <Toolbar variant="dense" sx={{ gap: 0.5, minHeight: 48 }}>
        <Typography variant="subtitle1" component="h1" sx={{ fontWeight: 700, mr: 1, whiteSpace: 'nowrap' }}>
          nft-designer
        </Typography>
        <Box component="input" value={name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => rename(e.target.value)} aria-label="Design name" data-testid="design.name" maxLength={120} spellCheck={false} sx={{ ...inputSx, width: 220 }} />
        <Action label="Designs" testId="app.designs" onClick={() => openDialog('designs')}>
          <FolderIcon />
        </Action>
        <Divider orientation="vertical" flexItem sx={{ mx: 0.5, borderColor: 'rgba(255,255,255,0.3)' }} />
        <Action label="Undo" testId="app.undo" onClick={undo} disabled={!canUndo} shortcut="Ctrl+Z">
          <UndoIcon />
        </Action>
        <Action label="Redo" testId="app.redo" onClick={redo} disabled={!canRedo} shortcut="Ctrl+Shift+Z">
          <RedoIcon />
        </Action>
        <Divider orientation="vertical" flexItem sx={{ mx: 0.5, borderColor: 'rgba(255,255,255,0.3)' }} />
        <Action label="Templates" testId="app.templates" onClick={() => openDialog('templates')}>
          <ViewQuiltIcon />
        </Action>
        <Action label="Synproxy wizard" testId="app.wizard" onClick={() => openDialog('wizard')}>
          <ShieldIcon />
        </Action>
        <Action label="Import" testId="app.import" onClick={() => openDialog('import')}>
          <FileOpenIcon />
        </Action>
        <Action label="Export" testId="app.export" onClick={() => openDialog('export')}>
          <FileDownloadIcon />
        </Action>
        <Action label="Compare with live" testId="app.compare" onClick={() => openDialog('compare')}>
          <CompareArrowsIcon />
        </Action>
        <Action label="Share link" testId="app.share" onClick={() => openDialog('share')}>
          <ShareIcon />
        </Action>
        <Box sx={{ flex: 1 }} />
        <Box component="label" sx={{ display: 'flex', alignItems: 'center', gap: 0.5, fontSize: 13, whiteSpace: 'nowrap' }}>
          target nft
          <Box
            component="select"
            value={targetVersion}
            onChange={(e: React.ChangeEvent<HTMLSelectElement>) => setTargetVersion(e.target.value)}
            aria-label="Target nftables version"
            data-testid="app.targetVersion"
            title="The linter and the forms check features against this nftables version"
            sx={{ ...inputSx, '& option': { color: '#000' } }}
          >
            {KNOWN_VERSIONS.map((v) => (
              <option key={v} value={v}>
                {v}
                {VERSION_LABELS[v] ? ` (${VERSION_LABELS[v]})` : ''}
              </option>
            ))}
          </Box>
        </Box>
        <Action label={theme === 'dark' ? 'Light theme' : 'Dark theme'} testId="app.theme" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
          {theme === 'dark' ? <LightModeIcon /> : <DarkModeIcon />}
        </Action>
        <Action label="Help" testId="app.help" onClick={() => openDialog('help')}>
          <HelpOutlineIcon />
        </Action>
      </Toolbar>
    </AppBar>
  );
}
