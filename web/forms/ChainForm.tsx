import { Box, Button, Divider, Typography } from '@mui/material';
import { useListingTarget } from '../store/target.ts';
import type { Diagnostic } from '../../src/model/diagnostic.ts';
import type { BaseChainSpec, Chain, ChainType, Hook, Table } from '../../src/model/types.ts';
import { updateChain } from '../../src/model/ops.ts';
import { addRuleAt } from '../actions/addAnotherRule.ts';
import { chainTypesFor, hookTakesDevice, hooksFor } from '../../src/knowledge/families.ts';
import { priorityNamesFor } from '../../src/knowledge/priorities.ts';
import { Findings, otherFindings, FormTitle, Row, Select, Text, change, fieldFindings, opt } from './fields.tsx';
import { NodeActions } from './NodeActions.tsx';
import { PriorityField } from './PriorityField.tsx';
import { RulesList } from './RulesList.tsx';

const TYPE_HELP: Record<ChainType, string> = {
  filter: 'filter: accept or drop packets (any hook of the family).',
  nat: 'nat: address translation; only the first packet of a connection passes it. Priority must be above -200 (after conntrack).',
  route: 'route: like filter on output, but a changed mark or address triggers a new route lookup.',
};

function defaultBase(table: Table): BaseChainSpec {
  const type = chainTypesFor(table.family)[0] ?? 'filter';
  const hook = hooksFor(table.family, type).find((h) => h === 'input') ?? hooksFor(table.family, type)[0] ?? 'input';
  return { type, hook, priority: { kind: 'std', name: 'filter', offset: 0 }, policy: 'accept', ...(hookTakesDevice(table.family, hook) ? { devices: ['eth0'] } : {}) };
}

export function ChainForm({ chain, table, diagnostics }: { chain: Chain; table: Table; diagnostics: Diagnostic[] }) {
  const f = fieldFindings(diagnostics, chain.id);
  const listing = useListingTarget();
  const set = (field: string, patch: Partial<Chain>): void => change(chain.id, field, (rs) => updateChain(rs, chain.id, patch));
  const setBase = (field: string, patch: Partial<BaseChainSpec>): void => {
    if (!chain.base) return;
    const base = { ...chain.base, ...patch };
    // keep the spec consistent with what nft accepts for the family
    const hooks = hooksFor(table.family, base.type);
    if (!hooks.includes(base.hook)) base.hook = hooks[0] ?? base.hook;
    if (hookTakesDevice(table.family, base.hook)) base.devices = base.devices?.length ? base.devices : ['eth0'];
    else delete base.devices;
    if (base.priority.kind === 'std' && !priorityNamesFor(table.family, base.hook, listing).some((n) => n.name === (base.priority as { name: string }).name)) {
      const first = priorityNamesFor(table.family, base.hook, listing)[0];
      if (first && field !== 'priority') base.priority = { kind: 'std', name: first.name, offset: 0 };
    }
    set(field, { base });
  };
  const types = chainTypesFor(table.family);
  return (
    <Box data-testid="form.chain">
      <FormTitle kind="chain" name={chain.name}>
        <NodeActions id={chain.id} label={`chain ${chain.name}`} selectAfter={table.id} />
      </FormTitle>
      <Row>
        <Text label="Name" value={chain.name} onChange={(v) => set('name', { name: v })} findings={f.get('name')} testId="chain.name" />
        <Select
          label="Kind"
          value={chain.base ? 'base' : 'regular'}
          options={[
            { value: 'base', label: 'base chain (attached to a hook)' },
            { value: 'regular', label: 'regular chain (entered by jump/goto)' },
          ]}
          onChange={(v) => set('base', { base: v === 'base' ? defaultBase(table) : undefined })}
          testId="chain.kind"
          width={290}
        />
      </Row>
      {chain.base && (
        <>
          <Row>
            <Select
              label="Type"
              value={chain.base.type}
              options={types.map((t) => ({ value: t, label: t }))}
              onChange={(v: ChainType) => setBase('type', { type: v })}
              findings={f.get('type')}
              testId="chain.type"
              width={140}
              help={types.map((t) => TYPE_HELP[t]).join('\n')}
            />
            <Select
              label="Hook"
              value={chain.base.hook}
              options={hooksFor(table.family, chain.base.type).map((h) => ({ value: h, label: h }))}
              onChange={(v: Hook) => setBase('hook', { hook: v })}
              findings={f.get('hook')}
              testId="chain.hook"
              width={160}
              help={`Hooks the ${table.family} family offers for ${chain.base.type} chains. Packets for this host pass prerouting → input; routed packets prerouting → forward → postrouting; the host's own packets output → postrouting.`}
            />
            <Select
              label="Policy"
              value={chain.base.policy === 'drop' ? 'drop' : 'accept'}
              options={[
                { value: 'accept', label: 'accept' },
                { value: 'drop', label: 'drop' },
              ]}
              onChange={(v) => setBase('policy', { policy: v })}
              findings={f.get('policy')}
              testId="chain.policy"
              width={140}
              help="What happens to a packet that reaches the end of the chain. With drop, make sure what you need (SSH!) is accepted before."
            />
          </Row>
          <Row>
            <PriorityField family={table.family} hook={chain.base.hook} value={chain.base.priority} onChange={(p) => setBase('priority', { priority: p })} findings={f.get('priority')} testId="chain.priority" />
          </Row>
          {hookTakesDevice(table.family, chain.base.hook) && (
            <Row>
              <Text
                label="Device(s), comma-separated"
                value={(chain.base.devices ?? []).join(', ')}
                onChange={(v) => setBase('devices', { devices: v.split(',').map((x) => x.trim()).filter(Boolean) })}
                findings={f.get('devices')}
                testId="chain.devices"
                help="ingress/egress chains hook into specific network devices; several devices need nft ≥ 0.9.3."
              />
            </Row>
          )}
        </>
      )}
      <Row>
        <Text label="Comment" value={chain.comment ?? ''} onChange={(v) => set('comment', { comment: opt(v) })} findings={f.get('comment')} testId="chain.comment" width={520} />
      </Row>
      <Findings items={otherFindings(f, ['name', 'type', 'hook', 'policy', 'priority', 'devices', 'comment'])} testId="chain.findings" />
      <Divider sx={{ my: 1 }} />
      <Box sx={{ display: 'flex', alignItems: 'center', mb: 1 }}>
        <Typography variant="subtitle2" component="h3" sx={{ flex: 1 }}>
          Rules ({chain.rules.length})
        </Typography>
        <Button
          variant="outlined"
          data-testid="chain.addRule"
          // a new rule starts empty: no verdict out of nowhere (it opens in the builder as pending)
          onClick={() => addRuleAt(chain.id)}
          title="Add a rule at the end of this chain (Alt+N)"
          aria-keyshortcuts="Alt+N"
        >
          Add rule
        </Button>
      </Box>
      <RulesList chain={chain} family={table.family} diagnostics={diagnostics} />
    </Box>
  );
}
