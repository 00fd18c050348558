// Hard limits of the exercise engine. Decks come from strangers: every size and every amount of work
// an exercise can ask for is bounded here.

export const LIMITS = {
  /** Characters in the YAML body of one exercise block. */
  maxYamlLength: 20_000,
  /** Characters in one formula (a var, a constraint, the answer, a chart series, a {{…}}). */
  maxFormulaLength: 1_000,
  /** Bracket nesting depth inside one formula. */
  maxNesting: 32,
  /** Depth of a formula's syntax tree. */
  maxTreeDepth: 250,
  /** Characters in a prompt, a solution or one choice. */
  maxTemplateLength: 10_000,
  /** {{…}} substitutions in one template. */
  maxSubstitutions: 200,
  /** Elements in any vector or matrix value (also the size of ranges, zeros(), ones(), …). */
  maxElements: 1_000,
  /** Dimensions of a value: scalars, vectors and matrices only. */
  maxDims: 2,
  /** Characters in a string value. */
  maxStringLength: 1_000,
  /** Variables in one exercise. */
  maxVars: 100,
  /** Constraints in one exercise. */
  maxConstraints: 50,
  /** Redraws when a constraint fails, before giving up. */
  maxTries: 1_000,
  /** Wall-clock budget for one draw (all tries, all formulas), in ms. */
  drawTimeMs: 1_000,
  /** Wall-clock budget for validateExercise, in ms. */
  validateTimeMs: 5_000,
  /** Choices of a multiple-choice exercise (letters A–Z). */
  maxChoices: 26,
  /** Series of a chart. */
  maxSeries: 10,
  /** Largest n for combinations(n, k) / permutations(n, k). */
  maxCombinatoricN: 1_000,
  /** Largest integer exponent of a matrix power A^n. */
  maxMatrixPower: 1_000,
  /** Characters of a typed answer. */
  maxInputLength: 10_000,
} as const;

/** An error about an exercise, with the line of the offending key when known. */
export class ExerciseError extends Error {
  readonly line?: number;
  readonly hint?: string;
  constructor(message: string, opts: { line?: number; hint?: string } = {}) {
    super(message);
    this.name = 'ExerciseError';
    this.line = opts.line;
    this.hint = opts.hint;
  }
}

/** An error inside one formula (syntax, disallowed construct, or evaluation). */
export class FormulaError extends Error {
  readonly hint?: string;
  /** The {{…}} substitution it happened in, when in a template. */
  raw?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'FormulaError';
    this.hint = hint;
  }
}
