/**
 * Opens a synproxy lab report (the JSON lab/synproxy-lab.sh writes): a file picker
 * or a drop, read as untrusted input by parseLabReport (errors name the field),
 * then the run summaries, the same charts as the lab's standalone page (the chart
 * builders of src/labreport, drawn as React elements) and the finding about the
 * 1 s delay next to the latency it explains.
 */
import { Alert, Box, Button, Chip, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { useMemo, useRef, useState } from 'react';
import { LAB_REPORT_LIMITS, delayMeasurement, formatMs, parseLabReport, reportCharts, summarize, type LabReport } from '../../src/labreport/index.ts';
import { SYNPROXY_FIRST_SYNACK_DELAY } from '../../src/knowledge/synproxyDelay.ts';
import { useFileDrop } from '../dialogs/fileDrop.ts';
import { SvgView } from './SvgView.tsx';
import { HiddenFileInput } from '../dialogs/FileInput.tsx';

type Loaded = { name: string; report: LabReport } | { name: string; errors: string[] } | null;

const cell = { border: 1, borderColor: 'divider', px: 1, py: 0.25, textAlign: 'left', verticalAlign: 'top' } as const;
const num = { ...cell, textAlign: 'right', fontVariantNumeric: 'tabular-nums' } as const;

function n(v: number | undefined): string {
  return v === undefined ? '–' : v.toLocaleString('en');
}

function RunsTable({ report }: { report: LabReport }) {
  return (
    <Box sx={{ overflowX: 'auto', mb: 2 }}>
      <Box component="table" data-testid="labreport.runs" sx={{ borderCollapse: 'collapse', fontSize: 13, minWidth: '100%' }}>
        <thead>
          <tr>
            {['run', 'SYNs sent', 'conntrack peak', 'conntrack max', 'connections ok', 'median latency', 'max latency', 'SYN-ACK retransmits', 'TSecr rejected', 'checks'].map((h) => (
              <Box component="th" key={h} sx={cell}>
                {h}
              </Box>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.runs.map((r) => {
            const s = summarize(r);
            return (
              <tr key={r.id} data-testid={`labreport.run.${r.id}`}>
                <Box component="td" sx={cell}>
                  {r.label}
                </Box>
                <Box component="td" sx={num}>
                  {n(s.synsSent)}
                </Box>
                <Box component="td" sx={num}>
                  {n(s.peak)}
                </Box>
                <Box component="td" sx={num}>
                  {n(s.conntrackMax)}
                </Box>
                <Box component="td" sx={num}>
                  {s.latency.ok}/{s.latency.count}
                </Box>
                <Box component="td" sx={num}>
                  {formatMs(s.latency.medianMs)}
                </Box>
                <Box component="td" sx={num}>
                  {formatMs(s.latency.maxMs)}
                </Box>
                <Box component="td" sx={num}>
                  {n(s.synRetrans)}
                </Box>
                <Box component="td" sx={num}>
                  {n(s.tsecrRejected)}
                </Box>
                <Box component="td" sx={{ ...cell, color: s.pass ? 'success.main' : 'error.main', fontWeight: 600 }}>
                  {s.pass ? 'pass' : 'FAIL'}
                </Box>
              </tr>
            );
          })}
        </tbody>
      </Box>
    </Box>
  );
}

function Finding({ report }: { report: LabReport }) {
  const f = SYNPROXY_FIRST_SYNACK_DELAY;
  const measured = delayMeasurement(report);
  return (
    <Box component="aside" aria-label="The 1 s delay: the finding" data-testid="labreport.finding" sx={{ borderLeft: 4, borderColor: 'text.secondary', bgcolor: 'action.hover', px: 1.5, py: 1, my: 1, fontSize: 14 }}>
      <Typography variant="subtitle2" component="h3">
        The 1 s delay: the finding (origin: {f.origin})
      </Typography>
      {measured.length > 0 && (
        <Box data-testid="labreport.measured" sx={{ my: 0.5 }}>
          <Typography variant="body2" component="div">
            <strong>Measured in this report:</strong>
          </Typography>
          <Box component="ul" sx={{ my: 0.25, pl: 3, fontSize: 13 }}>
            {measured.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </Box>
        </Box>
      )}
      <Typography variant="body2" sx={{ my: 0.5 }}>
        {f.summary}
      </Typography>
      <details>
        <summary>Cause, evidence and fix</summary>
        <Typography variant="body2" sx={{ my: 0.5 }}>
          <strong>Cause:</strong> {f.cause}
        </Typography>
        {f.evidence.length > 0 && (
          <Box component="ul" sx={{ my: 0.5, pl: 3, fontSize: 13 }}>
            {f.evidence.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </Box>
        )}
        <Typography variant="body2" sx={{ my: 0.5 }}>
          <strong>Fix:</strong> {f.fix ?? 'none known'}
        </Typography>
      </details>
    </Box>
  );
}

function RunDetails({ report }: { report: LabReport }) {
  return (
    <>
      {report.runs.map((r) => (
        <Box component="details" key={r.id} data-testid={`labreport.details.${r.id}`} sx={{ mb: 1, fontSize: 14 }}>
          <summary>
            {r.label}: checks, counters and the ruleset
          </summary>
          <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
            ruleset: {r.ruleset.source}; namespaces: client {r.namespaces.client}, firewall {r.namespaces.firewall}, server {r.namespaces.server}
          </Typography>
          <Box component="ul" sx={{ my: 0.5, pl: 3 }}>
            {r.checks.map((c, i) => (
              <li key={i}>
                <Box component="span" sx={{ color: c.pass ? 'success.main' : 'error.main', fontWeight: 600 }}>
                  {c.pass ? 'pass' : 'FAIL'}
                </Box>{' '}
                {c.name}: {c.detail}
              </li>
            ))}
          </Box>
          <Box sx={{ overflowX: 'auto' }}>
            <Box component="table" sx={{ borderCollapse: 'collapse', fontSize: 13 }}>
              <tbody>
                {r.counters.map((c, i) => (
                  <tr key={i}>
                    <Box component="td" sx={cell}>
                      {c.namespace}
                    </Box>
                    <Box component="td" sx={cell}>
                      {c.name}
                    </Box>
                    <Box component="td" sx={num}>
                      {n(c.value)}
                    </Box>
                  </tr>
                ))}
              </tbody>
            </Box>
          </Box>
          <Box component="pre" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', fontSize: 12, bgcolor: 'action.hover', p: 1, borderRadius: 1 }}>
            {r.ruleset.text}
          </Box>
        </Box>
      ))}
    </>
  );
}

function Report({ report }: { report: LabReport }) {
  const charts = useMemo(() => reportCharts(report), [report]);
  const h = report.host;
  return (
    <Box data-testid="labreport.report">
      <Box data-testid="labreport.summary" sx={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 1, mb: 1 }}>
        <Chip size="small" color={report.verdict.pass ? 'success' : 'error'} label={report.verdict.pass ? 'PASS' : 'FAIL'} data-testid="labreport.verdict" />
        <Typography variant="body2" color="text.secondary" sx={{ overflowWrap: 'anywhere', minWidth: 0 }}>
          {report.createdAt} · Linux {h.kernel} · {h.nft} · {h.cpus} CPUs · the lab took {report.wallTimeS.toFixed(1)} s · {n(report.config.synCount)} SYNs per flood
        </Typography>
      </Box>
      {!report.verdict.pass && (
        <Alert severity="error" sx={{ mb: 1 }}>
          {report.verdict.problems.map((p, i) => (
            <div key={i}>{p}</div>
          ))}
        </Alert>
      )}
      <RunsTable report={report} />
      {charts.map((c) => (
        <Box key={c.id} component="figure" data-testid={`labreport.chart.${c.id}`} sx={{ m: 0, mb: 2, p: 1, border: 1, borderColor: 'divider', borderRadius: 1, color: 'text.primary', '& svg': { display: 'block', width: '100%', height: 'auto' } }}>
          <SvgView node={c.node} />
          {c.id === 'latency' && <Finding report={report} />}
        </Box>
      ))}
      <Typography variant="subtitle1" component="h3" sx={{ mt: 1 }}>
        Each run
      </Typography>
      <RunDetails report={report} />
    </Box>
  );
}

export default function LabReportDialog(props: { open: boolean; onClose: () => void }) {
  const [loaded, setLoaded] = useState<Loaded>(null);
  const input = useRef<HTMLInputElement>(null);
  const readFile = (f: File): void => {
    if (f.size > LAB_REPORT_LIMITS.maxChars) {
      setLoaded({ name: f.name, errors: [`report: the file is ${(f.size / 1e6).toFixed(1)} MB, more than a lab report can have (${LAB_REPORT_LIMITS.maxChars / 1e6} MB)`] });
      return;
    }
    void f.text().then(
      (text) => {
        const r = parseLabReport(text);
        setLoaded(r.ok ? { name: f.name, report: r.report } : { name: f.name, errors: r.errors });
      },
      (e: unknown) => setLoaded({ name: f.name, errors: [`report: the file could not be read (${e instanceof Error ? e.message : String(e)})`] }),
    );
  };
  const drop = useFileDrop(readFile);
  return (
    <Dialog open={props.open} onClose={props.onClose} aria-labelledby="labreport-title" fullWidth maxWidth="lg" scroll="paper" data-testid="labreport.dialog">
      <DialogTitle id="labreport-title">Synproxy lab report{loaded && 'report' in loaded ? `: ${loaded.name}` : ''}</DialogTitle>
      <DialogContent dividers>
        <Box {...drop.handlers} data-testid="labreport.drop" sx={{ border: '2px dashed', borderColor: drop.dragging ? 'primary.main' : 'divider', borderRadius: 1, p: 1, mb: 2, fontSize: 14 }}>
          The JSON report that <code>npm run lab:synproxy</code> writes (lab/out/synproxy-lab-report.json): drop it here or{' '}
          <Button size="small" variant="outlined" onClick={() => input.current?.click()} data-testid="labreport.open">
            open a file…
          </Button>
          <HiddenFileInput ref={input} accept=".json,application/json" label="Choose a lab report file (.json)" testId="labreport.file" onFile={readFile} />
        </Box>
        {loaded && 'errors' in loaded && (
          <Alert severity="error" data-testid="labreport.errors" sx={{ mb: 2, overflowWrap: 'anywhere' }}>
            <strong>{loaded.name} is not a lab report this app can read:</strong>
            <Box component="ul" sx={{ my: 0.5, pl: 3 }}>
              {loaded.errors.map((e, i) => (
                <li key={i}>{e}</li>
              ))}
            </Box>
          </Alert>
        )}
        {loaded && 'report' in loaded && <Report report={loaded.report} />}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} data-testid="labreport.close">
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}
