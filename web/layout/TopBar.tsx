import { AppBar, Box, Divider, IconButton, Toolbar, Typography } from '@mui/material';
import { isListingTarget, listingTargetFor } from '../../src/knowledge/listing.ts';
import { setDesignTarget, useTargetVersion } from '../store/target.ts';
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
import CoPresentIcon from '@mui/icons-material/CoPresent';
import MoreVertIcon from '@mui/icons-material/MoreVert';
import { lazy, Suspense, useLayoutEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { redo, undo, useDesign } from '../store/design.ts';
import { useSession } from '../store/session.ts';
import { useUi } from '../store/ui.ts';
import { KNOWN_VERSIONS, VERSION_LABELS } from '../../src/knowledge/versions.ts';
import { planToolbar, TOOLBAR_ACTIONS, type ActionId } from './toolbarPlan.ts';

const MoreMenu = lazy(() => import('./MoreMenu.tsx'));

/** One action of the app bar: what it does, wherever it is shown (bar or menu). */
export interface BarAction {
  id: ActionId;
  label: string;
  short?: string;
  testId: string;
  icon: React.ReactNode;
  onClick: () => void;
  disabled?: boolean;
  shortcut?: string;
  /** a toggle's state (aria-pressed on the bar, a check in the menu) */
  pressed?: boolean;
}

// The app bar is part of first paint: plain titles instead of MUI tooltips (no popper), native inputs.
function ActionButton({ a, words }: { a: BarAction; words: boolean }) {
  const title = a.shortcut ? `${a.label} (${a.shortcut})` : a.label;
  if (words) {
    return (
      <Box
        component="button"
        type="button"
        aria-label={a.label}
        title={title}
        data-testid={a.testId}
        onClick={a.onClick}
        disabled={a.disabled}
        aria-pressed={a.pressed}
        sx={{
          display: 'inline-flex',
          alignItems: 'center',
          gap: 0.75,
          border: 0,
          borderRadius: 1,
          background: 'none',
          color: 'inherit',
          font: 'inherit',
          fontSize: 14,
          fontWeight: 500,
          whiteSpace: 'nowrap',
          px: 1,
          py: 0.5,
          cursor: 'pointer',
          '& svg': { fontSize: 20 },
          '&:hover': { bgcolor: 'rgba(255,255,255,0.12)' },
          '&:focus-visible': { outline: '2px solid #fff', outlineOffset: 1 },
        }}
      >
        {a.icon}
        <span>{a.short ?? a.label}</span>
      </Box>
    );
  }
  return (
    <IconButton color="inherit" aria-label={a.label} title={title} data-testid={a.testId} onClick={a.onClick} disabled={a.disabled} aria-pressed={a.pressed} sx={a.pressed ? { bgcolor: 'rgba(255,255,255,0.28)', outline: '2px solid rgba(255,255,255,0.8)' } : undefined}>
      {a.icon}
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

/** The target nft picker; `short` drops the Debian labels, for a narrow bar. */
export function TargetPicker({ short, testId = 'app.targetVersion' }: { short: boolean; testId?: string }) {
  const targetVersion = useTargetVersion();
  return (
    <Box component="label" sx={{ display: 'flex', alignItems: 'center', gap: 0.5, fontSize: 13, whiteSpace: 'nowrap' }}>
      {short ? 'nft' : 'target nft'}
      <Box
        component="select"
        value={targetVersion}
        onChange={(e: React.ChangeEvent<HTMLSelectElement>) => setDesignTarget(e.target.value)}
        aria-label="Target nftables version of this design"
        data-testid={testId}
        title={`This design is for nftables ${targetVersion}: the linter checks its features, and the preview and the exports are written in ${isListingTarget(targetVersion) ? 'its' : `${listingTargetFor(targetVersion)}'s`} listing form${isListingTarget(targetVersion) ? '' : ` (${targetVersion} is a lint-only target)`}. The design remembers it.`}
        sx={{ ...inputSx, '& option': { color: '#000' } }}
      >
        {KNOWN_VERSIONS.map((v) => (
          <option key={v} value={v}>
            {v}
            {short ? '' : VERSION_LABELS[v] ? ` (${VERSION_LABELS[v]})` : ' (lint only)'}
          </option>
        ))}
      </Box>
      {!isListingTarget(targetVersion) && (
        <Box component="span" data-testid="app.targetVersion.lintOnly" title={`nft ${targetVersion} has no listing form of its own here: the linter checks its features; the preview and the exports are written as nft ${listingTargetFor(targetVersion)} lists`} sx={{ fontSize: 12, border: '1px solid currentColor', borderRadius: 1, px: 0.5 }}>
          lint only
        </Box>
      )}
    </Box>
  );
}

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [w, setW] = useState(() => (typeof window === 'undefined' ? 1280 : window.innerWidth));
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setW(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setW(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

const visuallyHidden = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' } as const;

export function TopBar() {
  const name = useSession((s) => s.name);
  const rename = useSession((s) => s.rename);
  const canUndo = useStore(useDesign.temporal, (s) => s.pastStates.length > 0);
  const canRedo = useStore(useDesign.temporal, (s) => s.futureStates.length > 0);
  const theme = useUi((s) => s.theme);
  const setTheme = useUi((s) => s.setTheme);
  const presenter = useUi((s) => s.presenter);
  const setPresenter = useUi((s) => s.setPresenter);
  const openDialog = useUi((s) => s.openDialog);
  const ref = useRef<HTMLElement | null>(null);
  const plan = planToolbar(useWidth(ref));
  const [menuAnchor, setMenuAnchor] = useState<HTMLElement | null>(null);

  const icons: Record<ActionId, Omit<BarAction, 'id' | 'label' | 'short'>> = {
    designs: { testId: 'app.designs', icon: <FolderIcon />, onClick: () => openDialog('designs') },
    undo: { testId: 'app.undo', icon: <UndoIcon />, onClick: undo, disabled: !canUndo, shortcut: 'Ctrl+Z' },
    redo: { testId: 'app.redo', icon: <RedoIcon />, onClick: redo, disabled: !canRedo, shortcut: 'Ctrl+Shift+Z' },
    templates: { testId: 'app.templates', icon: <ViewQuiltIcon />, onClick: () => openDialog('templates') },
    wizard: { testId: 'app.wizard', icon: <ShieldIcon />, onClick: () => openDialog('wizard') },
    import: { testId: 'app.import', icon: <FileOpenIcon />, onClick: () => openDialog('import') },
    export: { testId: 'app.export', icon: <FileDownloadIcon />, onClick: () => openDialog('export') },
    compare: { testId: 'app.compare', icon: <CompareArrowsIcon />, onClick: () => openDialog('compare') },
    share: { testId: 'app.share', icon: <ShareIcon />, onClick: () => openDialog('share') },
    presenter: { testId: 'app.presenter', icon: <CoPresentIcon />, onClick: () => setPresenter(!presenter), pressed: presenter, shortcut: 'Ctrl+Alt+P' },
    theme: { testId: 'app.theme', icon: theme === 'dark' ? <LightModeIcon /> : <DarkModeIcon />, onClick: () => setTheme(theme === 'dark' ? 'light' : 'dark') },
    help: { testId: 'app.help', icon: <HelpOutlineIcon />, onClick: () => openDialog('help'), shortcut: 'F1' },
  };
  const actions: BarAction[] = TOOLBAR_ACTIONS.map((a) => ({
    id: a.id,
    label: a.id === 'theme' ? (theme === 'dark' ? 'Light theme' : 'Dark theme') : a.label,
    short: a.short,
    ...icons[a.id],
  }));
  const bar = (id: ActionId) => {
    const a = actions.find((x) => x.id === id);
    return a && plan.show[id] !== 'menu' ? <ActionButton key={id} a={a} words={plan.show[id] === 'words'} /> : null;
  };
  const folded = actions.filter((a) => plan.show[a.id] === 'menu');
  const divider = <Divider orientation="vertical" flexItem sx={{ mx: 0.5, borderColor: 'rgba(255,255,255,0.3)' }} />;
  return (
    <AppBar position="static" elevation={0} color="primary" component="header" ref={ref} data-testid="app.bar">
      <Toolbar variant="dense" sx={{ gap: 0.5, minHeight: 48, overflow: 'hidden' }}>
        <Typography variant="subtitle1" component="h1" sx={plan.title ? { fontWeight: 700, mr: 1, whiteSpace: 'nowrap' } : visuallyHidden}>
          nft-designer
        </Typography>
        <Box
          component="input"
          value={name}
          onChange={(e: React.ChangeEvent<HTMLInputElement>) => rename(e.target.value)}
          aria-label="Design name"
          data-testid="design.name"
          maxLength={120}
          spellCheck={false}
          sx={{ ...inputSx, width: plan.nameWidth, minWidth: 0, flexShrink: 1 }}
        />
        {bar('designs')}
        {divider}
        {bar('undo')}
        {bar('redo')}
        {divider}
        {bar('templates')}
        {bar('wizard')}
        {bar('import')}
        {bar('export')}
        {bar('compare')}
        {bar('share')}
        <Box sx={{ flex: 1 }} />
        {plan.target !== 'menu' && <TargetPicker short={plan.target === 'short'} />}
        {bar('presenter')}
        {bar('theme')}
        {bar('help')}
        <IconButton
          color="inherit"
          aria-label="More"
          title="More: lab report, preview options and what does not fit"
          aria-haspopup="menu"
          aria-expanded={menuAnchor ? true : undefined}
          data-testid="app.more"
          onClick={(e) => setMenuAnchor(e.currentTarget)}
        >
          <MoreVertIcon />
        </IconButton>
      </Toolbar>
      {menuAnchor && (
        <Suspense fallback={null}>
          <MoreMenu anchor={menuAnchor} onClose={() => setMenuAnchor(null)} folded={folded} targetInMenu={plan.target === 'menu'} />
        </Suspense>
      )}
    </AppBar>
  );
}
