/**
 * The Trace panel: describe packets (or pick a built-in flow), trace them through
 * the design (src/trace), and read what the kernel would do: each event as
 * `nft monitor trace` prints it (click one to select its rule in the form and the
 * preview), the verdict and ct state, the rules passed over and why, and what the
 * trace assumed.
 */
import { Box, Button, MenuItem, TextField, Typography } from '@mui/material';
import { useEffect, useMemo, useRef, useState } from 'react';
import { trace, TraceError, TCP_LOOSE, type TraceResult } from '../../src/trace/evaluate.ts';
import { PacketSpecError } from '../../src/trace/packet.ts';
import { interfaceOf, Routing, RoutingError } from '../../src/trace/routing.ts';
import { eventLine } from '../../src/trace/events.ts';
import { SCENARIOS, isScenario, scenario } from '../../src/trace/scenarios.ts';
import { listingTargetFor } from '../../src/knowledge/listing.ts';
import { useDesign } from '../store/design.ts';
import { SequenceDiagram } from './SequenceDiagram.tsx';
import { useUi } from '../store/ui.ts';

const VERDICT_COLOR = { accept: 'success.main', drop: 'error.main', stolen: 'info.main', queue: 'warning.main' } as const;

export default function TracePanel() {
  const ruleset = useDesign((s) => s.ruleset);
  const select = useUi((s) => s.select);
  const [flow, setFlow] = useState<string>('handshake');
  const [port, setPort] = useState('8888');
  const [packets, setPackets] = useState(() => scenario('handshake', { port: 8888 }).packets.join('\n'));
  const [hostAddrs, setHostAddrs] = useState('198.51.100.1');
  // the host's interfaces (eth1=10.0.0.1/24): the way out of a forwarded packet, masquerade's address
  const [ifaces, setIfaces] = useState('');
  // when each packet arrives (s): limits then run the kernel's token bucket
  const [times, setTimes] = useState('');
  const [loose, setLoose] = useState('0');
  const [result, setResult] = useState<{ at: unknown; r: TraceResult } | { error: string } | null>(null);
  const [openWhy, setOpenWhy] = useState<number | null>(null);
  const [step, setStep] = useState<number | null>(null);
  const resultRef = useRef<HTMLDivElement | null>(null);
  // a new result is scrolled into view (the panel is short on a projector)
  useEffect(() => {
    if (result) resultRef.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }, [result]);

  const pick = (name: string, p = port): void => {
    setFlow(name);
    if (!isScenario(name)) return;
    const n = Number(p);
    const s = scenario(name, Number.isInteger(n) && n > 0 && n < 65536 ? { port: n } : {});
    setPackets(s.packets.join('\n'));
    setHostAddrs(s.hostAddrs.join(' '));
  };
  const runWith = (text: string, hosts: string, looseValue: string): void => {
    const specs = text.split('\n').map((l) => l.trim()).filter(Boolean);
    try {
      const interfaces = ifaces.split(/\s+/).filter(Boolean).map(interfaceOf);
      new Routing(interfaces); // a mistake in the field is named by the field
      const at = times.trim() ? times.split(/[\s,]+/).filter(Boolean).map(Number) : undefined;
      const r = trace(ruleset, specs, { hostAddrs: hosts.split(/[\s,]+/).filter(Boolean), interfaces, times: at, sysctls: { [TCP_LOOSE]: looseValue }, target: listingTargetFor(ruleset.target) });
      setResult({ at: ruleset, r });
      setOpenWhy(null);
      setStep(null);
    } catch (e) {
      if (e instanceof RoutingError) setResult({ error: `Interfaces: ${e.message}` });
      else if (e instanceof PacketSpecError || e instanceof TraceError) {
        const i = specs.findIndex((s) => {
          try {
            trace(ruleset, [s]);
            return false;
          } catch {
            return true;
          }
        });
        setResult({ error: e instanceof PacketSpecError ? `packet ${i + 1}, column ${e.column}: ${e.message}` : e.message });
      } else throw e;
    }
  };
  const run = (): void => runWith(packets, hostAddrs, loose);
  // a finding's example packet ("Trace it" in the diagnostics): shown in the fields and traced at once
  const request = useUi((s) => s.traceRequest);
  useEffect(() => {
    if (!request) return;
    // the request comes from outside this panel (the store): taken once, then cleared
    useUi.setState({ traceRequest: null });
    const text = request.packets.join('\n');
    const hosts = request.hostAddrs.join(' ');
    const l = request.sysctls?.[TCP_LOOSE] ?? loose;
    /* eslint-disable react-hooks/set-state-in-effect -- synchronising with the store's request, once per request */
    setFlow('custom');
    setPackets(text);
    setHostAddrs(hosts);
    setLoose(l);
    /* eslint-enable react-hooks/set-state-in-effect */
    runWith(text, hosts, l);
    // runWith and loose are read as of this render: the request is what changes
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [request]);
  // stepping through the events one by one: the current one is marked and its rule selected (form, preview, hook map)
  const steps = useMemo(() => (result && 'r' in result ? result.r.packets.flatMap((p, i) => p.events.map((_e, j) => ({ packet: i, event: j, ruleId: p.ruleIds[j] }))) : []), [result]);
  const goTo = (k: number): void => {
    const at = steps[k];
    if (!at) return;
    setStep(k);
    if (at.ruleId) select(at.ruleId);
    document.querySelector(`[data-testid="trace.event.${at.packet}.${at.event}"]`)?.scrollIntoView?.({ block: 'nearest' });
  };
  const current = step !== null ? steps[step] : undefined;
  const stale = result && 'r' in result && result.at !== ruleset;
  const packetCount = useMemo(() => packets.split('\n').filter((l) => l.trim()).length, [packets]);

  return (
    <Box data-testid="trace" sx={{ height: '100%', overflow: 'auto', p: 1.5, display: 'flex', flexDirection: 'column', gap: 1.25 }}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, alignItems: 'center' }}>
        <TextField select size="small" label="Flow" value={flow} onChange={(e) => pick(e.target.value)} sx={{ minWidth: 190 }} slotProps={{ htmlInput: { 'data-testid': 'trace.flow' } }}>
          {Object.entries(SCENARIOS).map(([k, what]) => (
            <MenuItem key={k} value={k} title={what}>
              {k}
            </MenuItem>
          ))}
          <MenuItem value="custom">my own packets</MenuItem>
        </TextField>
        <TextField size="small" label="Port" value={port} onChange={(e) => { setPort(e.target.value); if (isScenario(flow)) pick(flow, e.target.value); }} sx={{ width: 90 }} slotProps={{ htmlInput: { inputMode: 'numeric', 'data-testid': 'trace.port' } }} />
        <TextField size="small" label="Host addresses" value={hostAddrs} onChange={(e) => setHostAddrs(e.target.value)} sx={{ minWidth: 170 }} helperText="packets to these go to input" slotProps={{ htmlInput: { 'data-testid': 'trace.hostAddrs' } }} />
        <TextField size="small" label="Interfaces" placeholder="eth0=198.51.100.1/24 eth1=10.0.0.1/24" value={ifaces} onChange={(e) => setIfaces(e.target.value)} sx={{ minWidth: 230 }} helperText="name=address/len: routes out, masquerade" slotProps={{ htmlInput: { 'data-testid': 'trace.interfaces', spellCheck: false } }} />
        <TextField size="small" label="Times (s)" placeholder="0, 0, 0.5" value={times} onChange={(e) => setTimes(e.target.value)} sx={{ width: 150 }} helperText="per packet: limits as the kernel" slotProps={{ htmlInput: { 'data-testid': 'trace.times', spellCheck: false } }} />
        <TextField select size="small" label={TCP_LOOSE.replace('net.netfilter.', '')} value={loose} onChange={(e) => setLoose(e.target.value)} sx={{ minWidth: 190 }} slotProps={{ htmlInput: { 'data-testid': 'trace.tcpLoose' } }}>
          <MenuItem value="0">0 (what synproxy needs)</MenuItem>
          <MenuItem value="1">1 (the kernel's default)</MenuItem>
        </TextField>
        <Button variant="contained" onClick={run} data-testid="trace.run">
          Trace {packetCount === 1 ? 'the packet' : `${packetCount} packets`}
        </Button>
      </Box>
      <TextField
        label="Packets, one per line, in nft's words (iif: arrives; oif only: sent by the host; both: forwarded)"
        multiline
        minRows={2}
        maxRows={6}
        value={packets}
        onChange={(e) => {
          setPackets(e.target.value);
          setFlow('custom');
        }}
        slotProps={{ htmlInput: { 'data-testid': 'trace.packets', spellCheck: false, style: { fontFamily: 'monospace', fontSize: 13 } } }}
      />
      {result && 'error' in result && (
        <Typography ref={resultRef} role="alert" color="error" data-testid="trace.error" sx={{ fontSize: 14 }}>
          {result.error}
        </Typography>
      )}
      {stale && (
        <Typography color="warning.main" sx={{ fontSize: 13 }} data-testid="trace.stale">
          The design changed since this trace: trace again to see it.
        </Typography>
      )}
      {result && 'r' in result && (
        <Box data-testid="trace.result" ref={resultRef} sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
          <SequenceDiagram packets={result.r.packets} />
          {steps.length > 0 && (
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }} role="group" aria-label="Step through the events">
              <Button size="small" variant="outlined" onClick={() => goTo(step === null ? 0 : step - 1)} disabled={step === 0} data-testid="trace.prev">
                Previous event
              </Button>
              <Button size="small" variant="outlined" onClick={() => goTo(step === null ? 0 : step + 1)} disabled={step === steps.length - 1} data-testid="trace.next">
                Next event
              </Button>
              <Typography component="span" sx={{ fontSize: 13 }} aria-live="polite" data-testid="trace.step">
                {current ? `Packet ${current.packet + 1}, event ${current.event + 1} · ${step! + 1} of ${steps.length}` : `${steps.length} events: step through them, each rule is selected in the form, the preview and the hook map`}
              </Typography>
            </Box>
          )}
          {result.r.warnings.map((w) => (
            <Typography key={w} color="warning.main" sx={{ fontSize: 13 }}>
              {w}
            </Typography>
          ))}
          {result.r.packets.map((p, i) => (
            <Box key={i} component="section" aria-label={`Packet ${i + 1}`} data-testid={`trace.packet.${i}`} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1 }}>
              <Box sx={{ display: 'flex', gap: 1, alignItems: 'baseline', flexWrap: 'wrap' }}>
                <Typography component="span" sx={{ fontWeight: 600, fontSize: 14 }}>
                  {i + 1}.
                </Typography>
                <Typography component="span" data-testid={`trace.verdict.${i}`} sx={{ fontWeight: 700, fontSize: 14, color: VERDICT_COLOR[p.verdict] }}>
                  {p.verdict}
                </Typography>
                <Typography component="span" sx={{ fontSize: 13, color: 'text.secondary' }}>
                  ct state {p.ctState} · {p.path.join(' → ')}
                </Typography>
              </Box>
              <Box component="code" sx={{ display: 'block', fontSize: 12.5, color: 'text.secondary', wordBreak: 'break-all' }}>
                {p.packet}
              </Box>
              <Box component="ol" sx={{ m: 0, mt: 0.5, pl: 3, fontFamily: 'monospace', fontSize: 13 }}>
                {p.events.map((e, j) => (
                  <Box component="li" key={j} data-testid={`trace.event.${i}.${j}`} aria-current={current?.packet === i && current.event === j ? 'step' : undefined} sx={current?.packet === i && current.event === j ? { bgcolor: 'action.selected', outline: 2, outlineStyle: 'solid', outlineColor: 'primary.main' } : undefined}>
                    <Box
                      component="button"
                      type="button"
                      disabled={!p.ruleIds[j]}
                      onClick={() => {
                        const k = steps.findIndex((x) => x.packet === i && x.event === j);
                        if (k >= 0) goTo(k);
                      }}
                      title={p.ruleIds[j] ? 'Select this rule in the form and the preview' : undefined}
                      sx={{ display: 'block', width: '100%', border: 0, background: 'none', p: 0, font: 'inherit', color: 'text.primary', textAlign: 'left', overflowWrap: 'anywhere', cursor: p.ruleIds[j] ? 'pointer' : 'default', '&:hover': p.ruleIds[j] ? { textDecoration: 'underline' } : {} }}
                    >
                      {eventLine(e)}
                    </Box>
                  </Box>
                ))}
              </Box>
              {p.events.length === 0 && (
                <Typography sx={{ fontSize: 13, fontStyle: 'italic' }}>No chain of the design saw this packet.</Typography>
              )}
              {p.notes.map((n, j) => (
                <Typography key={`n${j}`} sx={{ fontSize: 13 }}>
                  {n}
                </Typography>
              ))}
              {p.assumptions.map((a, j) => (
                <Typography key={`a${j}`} sx={{ fontSize: 13, color: 'warning.main' }}>
                  Assumed: {a}
                </Typography>
              ))}
              {(p.generated ?? []).length > 0 && (
                <Box component="section" aria-label={`Packets the kernel sends because of packet ${i + 1}`} data-testid={`trace.generated.${i}`} sx={{ mt: 0.5, pl: 1.5, borderLeft: 2, borderColor: 'divider' }}>
                  <Typography sx={{ fontSize: 13, fontWeight: 600 }}>Sent by the kernel (synproxy&apos;s handshake with the server)</Typography>
                  {(p.generated ?? []).map((g, k) => (
                    <Box key={k} data-testid={`trace.generated.${i}.${k}`} sx={{ mt: 0.5 }}>
                      <Typography component="span" sx={{ fontWeight: 700, fontSize: 13, color: VERDICT_COLOR[g.verdict] }}>
                        {g.verdict}
                      </Typography>
                      <Typography component="span" sx={{ fontSize: 13, color: 'text.secondary' }}>
                        {' '}
                        ct state {g.ctState} · {g.path.join(' → ')}
                      </Typography>
                      <Box component="code" sx={{ display: 'block', fontSize: 12.5, color: 'text.secondary', wordBreak: 'break-all' }}>
                        {g.packet}
                      </Box>
                      <Box component="ol" sx={{ m: 0, pl: 3, fontFamily: 'monospace', fontSize: 13, overflowWrap: 'anywhere' }}>
                        {g.events.map((e, j) => (
                          <li key={j}>{eventLine(e)}</li>
                        ))}
                      </Box>
                      {g.notes.map((n, j) => (
                        <Typography key={j} sx={{ fontSize: 13 }}>
                          {n}
                        </Typography>
                      ))}
                    </Box>
                  ))}
                </Box>
              )}
              {p.whyNot.length > 0 && (
                <Box sx={{ mt: 0.5 }}>
                  <Button size="small" onClick={() => setOpenWhy(openWhy === i ? null : i)} aria-expanded={openWhy === i} data-testid={`trace.whyNot.${i}`}>
                    Why not? ({p.whyNot.length} {p.whyNot.length === 1 ? 'rule' : 'rules'} passed over)
                  </Button>
                  {openWhy === i && (
                    <Box component="ul" sx={{ m: 0, pl: 3, fontSize: 13 }}>
                      {p.whyNot.slice(0, 200).map((w, j) => (
                        <li key={j}>
                          <code>{w.chain}: {w.rule}</code> — {w.why}
                        </li>
                      ))}
                      {p.whyNot.length > 200 && <li>… and {p.whyNot.length - 200} more</li>}
                    </Box>
                  )}
                </Box>
              )}
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}
