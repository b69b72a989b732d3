export { emit, emitUnchecked, emitRule, EmitRefused, LineMap, type EmitOptions, type EmitResult, type LineRange } from './emit.ts';
export { emitProblems, rawTextProblem, type EmitProblem } from './validate.ts';
