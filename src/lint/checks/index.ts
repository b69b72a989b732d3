/** Every lint check, in the order their findings are produced. */
import type { Check, CheckFinding } from './check.ts';
import { chainPolicy } from './chainPolicy.ts';
import { chainPriority } from './chainPriority.ts';
import { chainRefs } from './chainRefs.ts';
import { chainStructure } from './chainStructure.ts';
import { commands } from './commands.ts';
import { duplicates } from './duplicates.ts';
import { emitRefused } from './emitRefused.ts';
import { flagSets } from './flagSets.ts';
import { foreign } from './foreign.ts';
import { jsonLimits } from './jsonLimits.ts';
import { jumpLoops } from './jumpLoops.ts';
import { managementPath } from './managementPath.ts';
import { names } from './names.ts';
import { nesting } from './nesting.ts';
import { notrack } from './notrack.ts';
import { objectRefs } from './objectRefs.ts';
import { placement } from './placement.ts';
import { refusedMatches } from './refusedMatches.ts';
import { ruleSense } from './ruleSense.ts';
import { setRefs } from './setRefs.ts';
import { shadowed } from './shadowed.ts';
import { sets } from './sets.ts';
import { tableFlags } from './tableFlags.ts';
import { synproxyHost } from './synproxyHost.ts';
import { synproxyParams } from './synproxyParams.ts';
import { synproxySetup } from './synproxySetup.ts';
import { synproxyReach } from './synproxyReach.ts';
import { targetVersion } from './targetVersion.ts';
import { unreachable } from './unreachable.ts';
import { unused } from './unused.ts';
import { values } from './values.ts';
import { variables } from './variables.ts';

export type { Check, CheckFinding } from './check.ts';

export const CHECKS: readonly Check[] = [
  chainStructure,
  tableFlags,
  chainPolicy,
  chainPriority,
  names,
  duplicates,
  nesting,
  variables,
  chainRefs,
  setRefs,
  objectRefs,
  jumpLoops,
  placement,
  synproxyParams,
  synproxySetup,
  notrack,
  synproxyHost,
  synproxyReach,
  sets,
  unreachable,
  shadowed,
  ruleSense,
  refusedMatches,
  flagSets,
  values,
  managementPath,
  targetVersion,
  jsonLimits,
  commands,
  foreign,
  unused,
  emitRefused,
];

/** The catalogue of finding ids with their severity, for docs and tests. */
export const FINDINGS: readonly CheckFinding[] = CHECKS.flatMap((c) => c.findings);
