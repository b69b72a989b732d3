/**
 * What an empty design shows in the form pane: three ways to start (a template,
 * the synproxy wizard, an import), the tour, the lessons and help. On the first
 * visit it says welcome.
 */
import { Box, Button, Typography } from '@mui/material';
import ViewQuiltIcon from '@mui/icons-material/ViewQuilt';
import ShieldIcon from '@mui/icons-material/Shield';
import FileOpenIcon from '@mui/icons-material/FileOpen';
import { useState } from 'react';
import { useUi } from '../store/ui.ts';
import { addNewTable } from '../actions/add.ts';
import { openLessons } from '../lessons/open.ts';
import { startTour } from './tour.ts';

const SEEN_KEY = 'nftd.welcomed';

let first: boolean | null = null;
/** Whether this page load is the browser's first visit (asked once per load: the welcome may mount more than once). */
function firstVisit(): boolean {
  if (first === null) first = readFirstVisit();
  return first;
}
function readFirstVisit(): boolean {
  try {
    const seen = globalThis.localStorage?.getItem(SEEN_KEY) === '1';
    if (!seen) globalThis.localStorage?.setItem(SEEN_KEY, '1');
    return !seen;
  } catch {
    return false;
  }
}

const STARTS = [
  { id: 'templates', icon: <ViewQuiltIcon />, title: 'Start from a template', text: 'A workstation, a web server with synproxy, a NAT router…', dialog: 'templates' },
  { id: 'wizard', icon: <ShieldIcon />, title: 'Protect a port with synproxy', text: 'The wizard writes the notrack, synproxy and drop rules and the host settings.', dialog: 'wizard' },
  { id: 'import', icon: <FileOpenIcon />, title: 'Import a ruleset', text: 'Paste or open what a host runs (nft list ruleset, or its JSON).', dialog: 'import' },
] as const;

export function Welcome() {
  const [first] = useState(firstVisit);
  const openDialog = useUi((s) => s.openDialog);
  return (
    <Box data-testid="welcome" sx={{ p: 1, maxWidth: 640 }}>
      <Typography variant="h5" component="h2" sx={{ fontSize: 22, fontWeight: 600, mb: 0.5 }}>
        {first ? 'Welcome to nft-designer' : 'An empty design'}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        Design nftables rulesets in forms and see the nft script as you go. Three ways to start:
      </Typography>
      <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0, display: 'grid', gap: 1 }}>
        {STARTS.map((s) => (
          <li key={s.id}>
            <Button
              variant="outlined"
              fullWidth
              startIcon={s.icon}
              onClick={() => openDialog(s.dialog)}
              data-testid={`welcome.${s.id}`}
              sx={{ justifyContent: 'flex-start', textAlign: 'left', textTransform: 'none', py: 1.25, px: 2, '& .MuiButton-startIcon': { mr: 1.5 } }}
            >
              <Box>
                <Box component="span" sx={{ display: 'block', fontSize: 16, fontWeight: 600 }}>
                  {s.title}
                </Box>
                <Box component="span" sx={{ display: 'block', fontSize: 13, color: 'text.secondary' }}>
                  {s.text}
                </Box>
              </Box>
            </Button>
          </li>
        ))}
      </Box>
      <Typography variant="body2" sx={{ mt: 2.5, mb: 1 }}>
        New here, or teaching a class?
      </Typography>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
        <Button variant={first ? 'contained' : 'text'} onClick={startTour} data-testid="welcome.tour">
          Show me around
        </Button>
        <Button onClick={openLessons} data-testid="welcome.lessons">
          Lessons
        </Button>
        <Button onClick={() => openDialog('help')} data-testid="welcome.help">
          Help
        </Button>
        <Button onClick={addNewTable} data-testid="welcome.addTable">
          Or add a table yourself
        </Button>
      </Box>
    </Box>
  );
}
