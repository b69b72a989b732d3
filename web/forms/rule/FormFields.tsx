/**
 * The fields of any statement whose module describes a form (src/stmts/module.ts
 * StmtForm): a labelled text field, number field or select per field, in the
 * module's order, each with its help and its notes. A statement kind with a
 * form needs no editor of its own.
 */
import type { FormField } from '../../../src/stmts/module.ts';
import { statementForm } from '../../../src/stmts/registry.ts';
import type { FormRow } from './model.ts';
import { SelectInput, TextInput, type Option } from './parts.tsx';

const WIDTH: Readonly<Record<FormField['kind'], number>> = { text: 190, number: 110, select: 170 };

/** A select's choices: "none" first when the field may stay empty. */
export function fieldOptions(f: FormField): Option[] {
  const label = (v: string): string => f.optionLabels?.[v] ?? v;
  return [...(f.optional ? [{ value: '', label: f.optionLabels?.[''] ?? 'none' }] : []), ...(f.options ?? []).map((v) => ({ value: v, label: label(v) }))];
}

export function FormFields({ row, path, testId, onChange }: { row: FormRow; path: string; testId: string; onChange: (row: FormRow) => void }) {
  const form = statementForm(row.of);
  if (!form) return null;
  const set = (key: string, v: string) => onChange({ ...row, values: { ...row.values, [key]: v } });
  return (
    <>
      {form.fields.map((f) => {
        const common = {
          label: f.label,
          path: `${path}.${f.key}`,
          testId: `${testId}.${f.key}`,
          width: f.wide ? 'min(100%, 420px)' : WIDTH[f.kind],
          value: row.values[f.key] ?? '',
          onChange: (v: string) => set(f.key, v),
          ...(f.help !== undefined ? { help: f.help, helpTopic: f.label } : {}),
        };
        return f.kind === 'select' ? <SelectInput key={f.key} {...common} options={fieldOptions(f)} /> : <TextInput key={f.key} {...common} numeric={f.kind === 'number'} placeholder={f.placeholder ?? (f.optional ? 'optional' : undefined)} />;
      })}
    </>
  );
}
