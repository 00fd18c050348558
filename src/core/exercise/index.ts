// The numeric exercise engine: public API. Other code imports only this module.
//
//   parseExercise(yaml, loc)      → { spec?, issues }
//   drawExercise(spec, seed)      → ExerciseInstance (deterministic for a seed; throws ExerciseError)
//   checkAnswer(instance, input)  → CheckResult
//   solutionMarkdown(spec, inst)  → Markdown of the worked solution with this draw's numbers
//   validateExercise(spec, loc)   → DeckIssue[] from drawing with many seeds (for `srs check`)
//
// The format is documented in docs/exercises.md.

export { parseExercise, DEFAULT_TOLERANCE } from './spec.js';
export type { ExerciseSpec, VarSpec, Tolerance, ChartSpec, NumOrFormula } from './spec.js';
export { drawExercise, solutionMarkdown } from './draw.js';
export type { ExerciseInstance, ChartData, ChartSeries } from './draw.js';
export { checkAnswer, parseNumber, parseNumberList, withinTolerance } from './check.js';
export type { CheckResult } from './check.js';
export { validateExercise } from './validate.js';
export { ExerciseError, LIMITS } from './limits.js';
export { formatNumber, formatValue, roundSig, roundFixed } from './format.js';
