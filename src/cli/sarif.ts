/**
 * `lint --format sarif`: the findings as a SARIF 2.1.0 log, the format code-scanning
 * services (GitHub, GitLab, Azure DevOps) read. One run, one rule per finding id that
 * occurs (described from the linter's catalogue), one result per finding with its
 * region (1-based lines and columns, the end column exclusive, as SARIF counts).
 */
import type { Diagnostic, Severity } from '../model/diagnostic.ts';
import { FINDINGS } from '../lint/index.ts';

export type SarifLevel = 'error' | 'warning' | 'note';
export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: SarifArtifactLocation; region?: SarifRegion } }[];
}
export interface SarifRule {
  id: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: SarifLevel };
}
/** The part of SARIF 2.1.0 this writes. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: { tool: { driver: { name: string; informationUri: string; rules: SarifRule[] } }; artifacts: { location: SarifArtifactLocation }[]; results: SarifResult[] }[];
}

const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

/** FILE as a SARIF artifact location: a relative path stays relative to the checkout (%SRCROOT%). */
function artifact(file: string): SarifArtifactLocation {
  if (file === '<stdin>') return { uri: 'stdin' };
  const path = file.replace(/\\/g, '/');
  const uri = encodeURI(path).replace(/[?#]/g, encodeURIComponent);
  return path.startsWith('/') ? { uri: `file://${uri}` } : { uri, uriBaseId: '%SRCROOT%' };
}

export function toSarif(file: string, findings: readonly Diagnostic[]): string {
  const catalogue = new Map(FINDINGS.map((f) => [f.id, f]));
  const ids = [...new Set(findings.map((d) => d.id))].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const rules = ids.map((id): SarifRule => {
    const known = catalogue.get(id);
    return {
      id,
      shortDescription: { text: known?.summary ?? (id.startsWith('parse/') ? 'the script cannot be read as nft' : id) },
      defaultConfiguration: { level: LEVEL[known?.severity ?? findings.find((d) => d.id === id)!.severity] },
    };
  });
  const location = artifact(file);
  const results = findings.map((d): SarifResult => ({
    ruleId: d.id,
    ruleIndex: index.get(d.id)!,
    level: LEVEL[d.severity],
    message: { text: d.why ? `${d.message}\n\n${d.why}` : d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: location,
          ...(d.range ? { region: { startLine: d.range.startLine, startColumn: d.range.startCol, endLine: d.range.endLine, endColumn: d.range.endCol } } : {}),
        },
      },
    ],
  }));
  const log: SarifLog = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'nft-designer', informationUri: 'https://wiki.nftables.org/', rules } },
        artifacts: [{ location }],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
