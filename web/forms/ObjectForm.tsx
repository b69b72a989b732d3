import { Alert, Box } from '@mui/material';
import { useTargetVersion } from '../store/target.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { ByteUnit, RateUnit, TimeUnit } from '../../src/model/stmt.ts';
import type { NamedObject, Table } from '../../src/model/types.ts';
import { replaceObject } from '../../src/model/ops.ts';
import { FEATURES, supports } from '../../src/knowledge/versions.ts';
import { Check, Findings, otherFindings, FormTitle, Row, Select, Text, change, fieldFindings, opt } from './fields.tsx';
import { NodeActions } from './NodeActions.tsx';
import { SYNPROXY_HELP } from '../../src/knowledge/synproxyHelp.ts';

/** The object form's help: the synproxy texts come from src/knowledge/synproxyHelp.ts (one place), plus what is about objects only. */
const OBJECT_HELP = {
  version: 'Named synproxy objects need nftables ≥ 0.9.3 (the anonymous synproxy statement ≥ 0.9.2; maps of synproxy objects were fixed in 1.0.2).',
} as const;

const RATE_UNITS: RateUnit[] = ['packets', 'bytes', 'kbytes', 'mbytes'];
const BYTE_UNITS: ByteUnit[] = ['bytes', 'kbytes', 'mbytes', 'gbytes'];
const TIME_UNITS: TimeUnit[] = ['second', 'minute', 'hour', 'day', 'week'];

function num(v: string): number | undefined {
  return /^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined;
}

export function ObjectForm({ obj, table, diagnostics }: { obj: NamedObject; table: Table; diagnostics: Diagnostic[] }) {
  const targetVersion = useTargetVersion();
  const f = fieldFindings(diagnostics, obj.id);
  const put = (field: string, next: NamedObject): void => change(obj.id, field, (rs) => replaceObject(rs, obj.id, next));
  return (
    <Box data-testid="form.object">
      <FormTitle kind={obj.type} name={obj.name}>
        <NodeActions id={obj.id} label={`${obj.type} ${obj.name}`} selectAfter={table.id} />
      </FormTitle>
      <Row>
        <Text label="Name" value={obj.name} onChange={(v) => put('name', { ...obj, name: v })} findings={f.get('name')} testId="object.name" help="Rules refer to it by name, e.g. synproxy name &quot;web&quot;." />
        <Text label="Comment" value={obj.comment ?? ''} onChange={(v) => put('comment', { ...obj, comment: opt(v) })} findings={f.get('comment')} testId="object.comment" width={360} />
      </Row>
      {obj.type === 'synproxy' && (
        <>
          {!supports(targetVersion, FEATURES.synproxyObject) && (
            <Alert severity="error" sx={{ mb: 1 }} data-testid="object.versionNote">
              Named synproxy objects need nftables ≥ 0.9.3; the target is {targetVersion}.
            </Alert>
          )}
          <Row>
            <Text label="mss" value={obj.mss === undefined ? '' : String(obj.mss)} onChange={(v) => put('mss', { ...obj, mss: num(v) })} findings={f.get('mss')} testId="object.synproxy.mss" width={140} help={SYNPROXY_HELP.mss} type="number" />
            <Text label="wscale" value={obj.wscale === undefined ? '' : String(obj.wscale)} onChange={(v) => put('wscale', { ...obj, wscale: num(v) })} findings={f.get('wscale')} testId="object.synproxy.wscale" width={140} help={SYNPROXY_HELP.wscale} type="number" />
            <Check label="timestamp" checked={obj.timestamp === true} onChange={(v) => put('timestamp', { ...obj, timestamp: v || undefined })} testId="object.synproxy.timestamp" help={SYNPROXY_HELP.timestamp} />
            <Check label="sack-perm" checked={obj.sackPerm === true} onChange={(v) => put('sackPerm', { ...obj, sackPerm: v || undefined })} testId="object.synproxy.sackPerm" help={SYNPROXY_HELP.sackPerm} />
          </Row>
          <Findings items={[...(f.get('timestamp') ?? []), ...(f.get('sackPerm') ?? [])]} testId="object.synproxy.flags.findings" />
          <Alert severity="info" sx={{ mb: 1 }}>
            {OBJECT_HELP.version} Use it from a rule with <code>synproxy name &quot;{obj.name}&quot;</code>, or per source with a map.
          </Alert>
        </>
      )}
      {obj.type === 'counter' && <Alert severity="info">A named counter: rules add to it with counter name &quot;{obj.name}&quot;; list it with nft list counters.</Alert>}
      {obj.type === 'quota' && (
        <Row>
          <Check label="over (match after the quota is used up)" checked={obj.over === true} onChange={(v) => put('over', { ...obj, over: v || undefined })} testId="object.quota.over" />
          <Text label="Amount" value={String(obj.amount)} onChange={(v) => put('amount', { ...obj, amount: num(v) ?? 0 })} findings={f.get('amount')} testId="object.quota.amount" width={120} />
          <Select label="Unit" value={obj.unit} options={BYTE_UNITS.map((u) => ({ value: u, label: u }))} onChange={(u) => put('unit', { ...obj, unit: u })} testId="object.quota.unit" width={120} />
        </Row>
      )}
      {obj.type === 'limit' && (
        <Row>
          <Check label="over (match above the rate)" checked={obj.over === true} onChange={(v) => put('over', { ...obj, over: v || undefined })} testId="object.limit.over" />
          <Text label="Rate" value={String(obj.rate)} onChange={(v) => put('rate', { ...obj, rate: num(v) ?? 0 })} findings={f.get('rate')} testId="object.limit.rate" width={100} />
          <Select label="Unit" value={obj.unit} options={RATE_UNITS.map((u) => ({ value: u, label: u }))} onChange={(u) => put('unit', { ...obj, unit: u })} testId="object.limit.unit" width={120} />
          <Select label="Per" value={obj.per} options={TIME_UNITS.map((u) => ({ value: u, label: u }))} onChange={(u) => put('per', { ...obj, per: u })} testId="object.limit.per" width={120} />
          <Text label="Burst" value={obj.burst === undefined ? '' : String(obj.burst)} onChange={(v) => put('burst', { ...obj, burst: num(v) })} testId="object.limit.burst" width={100} />
        </Row>
      )}
      {obj.type === 'ct helper' && (
        <Row>
          <Text label="Helper type" value={obj.helper} onChange={(v) => put('helper', { ...obj, helper: v })} findings={f.get('helper')} testId="object.helper.type" width={140} help="The kernel conntrack helper: ftp, sip, tftp, irc, amanda, h323 …" />
          <Select label="Protocol" value={obj.protocol} options={['tcp', 'udp'].map((u) => ({ value: u, label: u }))} onChange={(u) => put('protocol', { ...obj, protocol: u })} testId="object.helper.protocol" width={110} />
          <Select label="l3proto" value={obj.l3proto ?? ''} options={[{ value: '', label: `(table default)` }, ...['ip', 'ip6', 'inet'].map((u) => ({ value: u, label: u }))]} onChange={(u) => put('l3proto', { ...obj, l3proto: opt(u) })} testId="object.helper.l3proto" width={150} />
        </Row>
      )}
      {obj.type === 'ct timeout' && (
        <>
          <Row>
            <Select label="Protocol" value={obj.protocol} options={['tcp', 'udp'].map((u) => ({ value: u, label: u }))} onChange={(u) => put('protocol', { ...obj, protocol: u })} testId="object.timeout.protocol" width={110} />
            <Select label="l3proto" value={obj.l3proto ?? ''} options={[{ value: '', label: `(table default)` }, ...['ip', 'ip6', 'inet'].map((u) => ({ value: u, label: u }))]} onChange={(u) => put('l3proto', { ...obj, l3proto: opt(u) })} testId="object.timeout.l3proto" width={150} />
          </Row>
          <Row>
            <Text
              label="Policy (state: seconds, comma-separated)"
              value={obj.policy.map((p) => `${p.state}: ${p.seconds}`).join(', ')}
              onChange={(v) =>
                put('policy', {
                  ...obj,
                  policy: v
                    .split(',')
                    .map((x) => x.split(':').map((y) => y.trim()))
                    .filter(([s, n]) => s && /^\d+$/.test(n ?? ''))
                    .map(([s, n]) => ({ state: s, seconds: Number(n) })),
                })
              }
              findings={f.get('policy')}
              testId="object.timeout.policy"
              width={460}
              help="tcp states: syn_sent, syn_recv, established, fin_wait, close_wait, last_ack, time_wait, close, retrans, unack; udp: unreplied, replied. Only values that differ from the kernel default are listed back by nft."
            />
          </Row>
        </>
      )}
      {(obj.type === 'ct expectation' || obj.type === 'secmark') && <Alert severity="info">Edit this {obj.type} object in the preview text.</Alert>}
      <Findings items={otherFindings(f, ['name', 'comment', 'mss', 'wscale', 'timestamp', 'sackPerm', 'amount', 'rate', 'helper', 'policy'])} testId="object.findings" />
    </Box>
  );
}
