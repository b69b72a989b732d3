import { Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { Fragment } from 'react';
import { OTHER_KEYS, SHORTCUTS } from '../layout/shortcuts.ts';
import { openLessons } from '../lessons/open.ts';
import { startTour } from '../layout/tour.ts';
import { SYNPROXY_SYSCTLS } from '../../src/knowledge/synproxyFacts.ts';

function H({ children }: { children: React.ReactNode }) {
  return (
    <Typography variant="subtitle1" component="h3" sx={{ mt: 1.5 }}>
      {children}
    </Typography>
  );
}

export default function HelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth aria-labelledby="help-title">
      <DialogTitle id="help-title">How nft-designer works</DialogTitle>
      <DialogContent>
        <Typography variant="body2">
          Compose tables, chains, rules, sets and named objects in the forms; the preview on the right is the nft script, in exactly the form <code>nft list ruleset</code> prints. You can also type in the preview: once the text parses, the forms follow. Everything stays in this browser (autosaved); nothing is sent anywhere.
        </Typography>
        <H>Concepts</H>
        <Typography variant="body2" component="div">
          <ul>
            <li>A <b>table</b> has a family (ip, ip6, inet, arp, bridge, netdev) that decides which packets it sees.</li>
            <li>A <b>base chain</b> is attached to a hook (prerouting, input, forward, output, postrouting, ingress, egress) at a priority: lower runs first. Connection tracking runs at -200, so a chain at <code>raw</code> (-300) runs before it and one at <code>filter</code> (0) after it. The hook map shows this.</li>
            <li>A <b>regular chain</b> is entered only with jump/goto from another chain.</li>
            <li><b>Sets and maps</b> hold many values for one rule; <b>named objects</b> (counters, quotas, limits, synproxy) are shared by rules.</li>
          </ul>
        </Typography>
        <H>Synproxy in short</H>
        <Typography variant="body2" component="div">
          A synproxy answers a new TCP connection with a syncookie, so a SYN flood cannot fill the conntrack table. It needs: SYNs to the port <code>notrack</code>ed in prerouting at priority raw; <code>ct state invalid,untracked synproxy …</code> in input (or forward) followed by <code>ct state invalid drop</code>; and on the host{' '}
          {SYNPROXY_SYSCTLS.map((x, i) => (
            <Fragment key={x.line}>
              {i > 0 ? ', ' : ''}
              <code>{x.line}</code>
            </Fragment>
          ))}
          . mss and wscale must match the backend server. The synproxy wizard builds all of this.
        </Typography>
        <H>Keyboard</H>
        <Box component="dl" data-testid="help.keys" sx={{ typography: 'body2', display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5, '& dt': { fontFamily: 'monospace', fontWeight: 600 }, '& dd': { m: 0 } }}>
          {[...SHORTCUTS, ...OTHER_KEYS].map((k) => (
            <Fragment key={k.keys}>
              <dt>{k.keys}</dt>
              <dd>{k.what}</dd>
            </Fragment>
          ))}
        </Box>
        <H>Applying a script safely</H>
        <Typography variant="body2">
          Export → Copy apply command gives <code>nft-agent apply --confirm 60 - &lt;&lt;…</code>: the agent checks the script in a private network namespace (where errors <code>nft -c</code> misses show up), applies it atomically, and restores the previous ruleset unless you confirm from a new connection within 60 seconds.
        </Typography>
      </DialogContent>
      <DialogActions>
        <Button
          onClick={() => {
            onClose();
            startTour();
          }}
          data-testid="help.tour"
        >
          Show me around
        </Button>
        <Button
          onClick={() => {
            onClose();
            openLessons();
          }}
          data-testid="help.lessons"
        >
          Lessons
        </Button>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
