/**
 * Export, "Ansible" tab: the design as an Ansible bundle (src/ansible) for a
 * fleet: check on every host first, apply in batches with a confirmation timer,
 * confirm over a new SSH connection. The same files as `nft-designer ansible FILE
 * --out DIR`, zipped in the browser.
 */
import { Alert, Box, Button, CircularProgress, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useEffect, useMemo, useState } from 'react';
import {
  AnsibleBundleError,
  ansibleBundle,
  bundleNameFrom,
  DEFAULT_CONFIRM_SECONDS,
  DEFAULT_SERIAL,
  HOST_DEFAULTS,
  isBundleName,
  MAX_CONFIRM_SECONDS,
  MAX_NAME_LENGTH,
  MAX_SERIAL,
  MIN_CONFIRM_SECONDS,
  NAME_RULE,
  wholeNumber,
} from '../../src/ansible/index.ts';
import { downloadBytes } from '../dialogs/download.ts';
import { useUi } from '../store/ui.ts';
import { bundleZip } from './bundleZip.ts';

/** The agent as the app serves it (public/agent/nft-agent), fetched once. */
let agentOnce: Promise<string> | null = null;
function agentText(): Promise<string> {
  agentOnce ??= fetch('./agent/nft-agent').then((r) => {
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    return r.text();
  });
  agentOnce.catch(() => {
    agentOnce = null;
  });
  return agentOnce;
}

/** `onStatus`: where to say what happened (the export dialog's own live region); else the app's notice */
export function AnsiblePanel({ script, designName, defines, onStatus }: { script: string; designName: string; defines: readonly { name: string; value: string }[]; onStatus?: (m: { severity: 'success'; text: string }) => void }) {
  const appNotify = useUi((s) => s.notify);
  const notify = onStatus ?? appNotify;
  const [agent, setAgent] = useState<{ text?: string; error?: string }>({});
  const [name, setName] = useState(() => bundleNameFrom(designName));
  const [confirm, setConfirm] = useState(String(DEFAULT_CONFIRM_SECONDS));
  const [serial, setSerial] = useState(String(DEFAULT_SERIAL));

  useEffect(() => {
    let live = true;
    agentText().then(
      (text) => live && setAgent({ text }),
      (e: unknown) => live && setAgent({ error: `the agent could not be fetched from this app (${e instanceof Error ? e.message : String(e)})` }),
    );
    return () => {
      live = false;
    };
  }, []);

  const nameError = isBundleName(name) ? undefined : NAME_RULE;
  const confirmField = wholeNumber(confirm, MIN_CONFIRM_SECONDS, MAX_CONFIRM_SECONDS);
  const serialField = wholeNumber(serial, 1, MAX_SERIAL);
  const fieldsOk = !nameError && confirmField.value !== undefined && serialField.value !== undefined;

  const bundle = useMemo(() => {
    if (!agent.text || !fieldsOk) return null;
    try {
      return { ok: ansibleBundle({ script, agentText: agent.text, name, confirmSeconds: confirmField.value, serial: serialField.value }) };
    } catch (e) {
      if (e instanceof AnsibleBundleError) return { error: [e.message, ...e.diagnostics.map((d) => `${d.range ? `line ${d.range.startLine}: ` : ''}${d.message}`)].join('; ') };
      return { error: `the bundle could not be written (${e instanceof Error ? e.message : String(e)})` };
    }
  }, [agent.text, fieldsOk, script, name, confirmField.value, serialField.value]);

  const download = (): void => {
    if (!bundle?.ok) return;
    const dir = `${name}-ansible`;
    downloadBytes(`${dir}.zip`, bundleZip(dir, bundle.ok.files));
    notify({ severity: 'success', text: `Saved ${dir}.zip: unpack it, list your hosts in inventory.ini, run ansible-playbook site.yml.` });
  };

  return (
    <Box data-testid="export.ansible">
      <Typography variant="body2" sx={{ mb: 1 }}>
        A playbook for many hosts, run with Ansible: it installs nft-agent, checks the script on <b>every</b> host first (nothing is applied anywhere if one fails), then applies a few hosts at a time with a
        confirmation timer and confirms each over a <b>new</b> SSH connection. A host whose new ruleset locks SSH out cannot confirm: its own timer restores the previous ruleset, and the rollout stops. It
        prints, per host: applied, rolled back, refused or not applied.
      </Typography>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', my: 1 }}>
        <TextField
          label="Name on the hosts"
          size="small"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={!!nameError}
          helperText={nameError ?? `${HOST_DEFAULTS.scriptDir}/${name}.nft`}
          slotProps={{ htmlInput: { 'data-testid': 'export.ansible.name', maxLength: MAX_NAME_LENGTH } }}
        />
        <TextField
          label="Confirmation time (s)"
          size="small"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          error={!!confirmField.problem}
          helperText={confirmField.problem ?? 'each host rolls back unless confirmed in time'}
          slotProps={{ htmlInput: { 'data-testid': 'export.ansible.confirm', inputMode: 'numeric' } }}
        />
        <TextField
          label="Hosts at a time"
          size="small"
          value={serial}
          onChange={(e) => setSerial(e.target.value)}
          error={!!serialField.problem}
          helperText={serialField.problem ?? 'Ansible serial'}
          slotProps={{ htmlInput: { 'data-testid': 'export.ansible.serial', inputMode: 'numeric' } }}
        />
      </Box>
      {agent.error && (
        <Alert severity="error" data-testid="export.ansible.error">
          No bundle: {agent.error}.
        </Alert>
      )}
      {!agent.text && !agent.error && <CircularProgress size={20} aria-label="Fetching nft-agent" />}
      {bundle?.error && (
        <Alert severity="error" data-testid="export.ansible.error">
          No bundle: {bundle.error}
        </Alert>
      )}
      {bundle?.ok && (
        <>
          <Typography variant="subtitle2" component="h3" sx={{ mt: 1 }}>
            Per-host values
          </Typography>
          {bundle.ok.defines.length ? (
            <Table size="small" aria-label="Per-host values" data-testid="export.ansible.defines">
              <TableHead>
                <TableRow>
                  <TableCell>Inventory variable</TableCell>
                  <TableCell>Design&apos;s value (the default)</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {bundle.ok.defines.map((d) => (
                  <TableRow key={d}>
                    <TableCell sx={{ fontFamily: 'monospace' }}>nft_define_{d}</TableCell>
                    <TableCell sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>{defines.find((x) => x.name === d)?.value ?? ''}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : (
            <Typography variant="body2">The design has no define: every host gets the same script. Add a define (Variables) for a value that differs per host, such as an address.</Typography>
          )}
          {bundle.ok.fixed.length > 0 && (
            <Alert severity="info" sx={{ mt: 1 }} data-testid="export.ansible.fixed">
              The same on every host:
              <ul style={{ margin: '4px 0 0 16px', padding: 0 }}>
                {bundle.ok.fixed.map((f) => (
                  <li key={f.name}>
                    <code>{f.name}</code>: {f.reason}
                  </li>
                ))}
              </ul>
            </Alert>
          )}
          <Typography variant="subtitle2" component="h3" sx={{ mt: 1 }}>
            Run it
          </Typography>
          <Box component="pre" sx={{ bgcolor: 'action.hover', p: 1, fontSize: 12, fontFamily: 'monospace', whiteSpace: 'pre-wrap', my: 0.5 }} data-testid="export.ansible.run">
            {`unzip ${name}-ansible.zip && cd ${name}-ansible\ncp inventory.example.ini inventory.ini   # list your hosts\nansible-playbook site.yml`}
          </Box>
          <Typography variant="body2" color="text.secondary">
            {bundle.ok.files.length} files: {bundle.ok.files.map((f) => f.path).join(', ')}. The design is copied as it is, never templated; README.md in the bundle explains each step.
          </Typography>
          {bundle.ok.warnings.length > 0 && (
            <Alert severity="warning" sx={{ mt: 1 }} data-testid="export.ansible.warnings">
              {bundle.ok.warnings.length === 1 ? (
                <>Before you roll it out: {bundle.ok.warnings[0]}.</>
              ) : (
                <>
                  Before you roll it out:
                  <ul style={{ margin: '4px 0 0 16px', padding: 0 }}>
                    {bundle.ok.warnings.map((w) => (
                      <li key={w}>{w}</li>
                    ))}
                  </ul>
                </>
              )}
            </Alert>
          )}
          <Button variant="contained" sx={{ mt: 1 }} onClick={download} data-testid="export.ansible.download">
            Download Ansible bundle (.zip)
          </Button>
        </>
      )}
    </Box>
  );
}
