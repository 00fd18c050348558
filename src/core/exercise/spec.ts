// parseExercise: the YAML body of an ```exercise block → ExerciseSpec (plain data) + issues.

import type { DeckIssue, SourceLoc } from '../types.js';
import { CONSTANTS, compileFormula, normalize, suggest, type Formula, type Value } from './expr.js';
import { parseTemplate, templateSymbols, type Template } from './format.js';
import { FormulaError, LIMITS } from './limits.js';
import { LineMap, loadYaml } from './yaml.js';

/** A number, or a formula (text) evaluated with the variables declared before. */
export type NumOrFormula = number | string;

interface VarCommon {
  name: string;
  /** File line of the variable's key. */
  line: number;
}

export type VarSpec = VarCommon &
  (
    | { kind: 'const'; value: Value }
    | { kind: 'formula'; expr: string }
    | { kind: 'range'; from: NumOrFormula; to: NumOrFormula; step: NumOrFormula; size?: NumOrFormula[] }
    | { kind: 'choice'; options: Value[]; size?: NumOrFormula[] }
  );

/**
 * Tolerance of a numeric answer. abs: |x − a| ≤ abs. rel: |x − a| ≤ rel·|a|. When both are given the
 * answer is accepted if either holds. sigfigs: x and a agree after rounding both to n significant figures.
 */
export interface Tolerance {
  abs?: number;
  rel?: number;
  sigfigs?: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { rel: 0.01 };

export interface ChartSeriesSpec {
  name: string;
  expr: string;
  line: number;
}

export interface ChartSpec {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  series: ChartSeriesSpec[];
  line: number;
}

export interface LocatedText {
  text: string;
  line: number;
}

export interface LocatedFormula {
  expr: string;
  line: number;
}

export interface ExerciseSpec {
  /** Where the block is: file and line of the opening fence. */
  loc: SourceLoc;
  /** The YAML body as given. */
  source: string;
  id?: string;
  tags: string[];
  /** In declaration order (that is the evaluation order). */
  vars: VarSpec[];
  /** Constraints: formulas that must all be true, else the variables are drawn again. */
  where: LocatedFormula[];
  prompt: LocatedText;
  /** For multiple choice: a formula giving the 1-based index or the letter, or `letter` when literal. */
  answer: LocatedFormula & { letter?: string };
  choices?: LocatedText[];
  shuffle: boolean;
  tolerance: Tolerance;
  toleranceLine: number;
  solution?: LocatedText;
  chart?: ChartSpec;
}

const TOP_KEYS = ['id', 'tags', 'vars', 'where', 'prompt', 'answer', 'choices', 'shuffle', 'tolerance', 'solution', 'chart'];
const RESERVED = new Set(['end', 'true', 'false', 'null', 'undefined', 'and', 'or', 'not', 'xor', 'mod', 'to', 'in', ...CONSTANTS.keys()]);
const NAME_RE = /^[A-Za-z][A-Za-z0-9_]*$/;
const ID_RE = /^[A-Za-z0-9_.-]+$/;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

const TEMPLATE_AS_MAP_HINT =
  'YAML reads a value that starts with `{` as a mapping: put the text in quotes, or start a block with `|` and write the text on the following lines';

/** Parse a number written as a YAML number or as text like "0.5", "1e-3", "5%". */
function looseNumber(v: unknown, allowPercent = false): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  const pct = allowPercent && s.endsWith('%');
  const body = pct ? s.slice(0, -1).trim() : s;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(body)) return undefined;
  const n = Number(body);
  return pct ? n / 100 : n;
}

class Parser {
  readonly issues: DeckIssue[] = [];
  readonly lines: LineMap;

  constructor(
    readonly body: string,
    readonly loc: SourceLoc,
  ) {
    this.lines = new LineMap(body, loc.line);
  }

  error(line: number, message: string, hint?: string): void {
    this.issues.push({ file: this.loc.file, line, severity: 'error', message, ...(hint ? { hint } : {}) });
  }

  warn(line: number, message: string, hint?: string): void {
    this.issues.push({ file: this.loc.file, line, severity: 'warning', message, ...(hint ? { hint } : {}) });
  }

  /** Compile a formula, reporting a problem at `line` as "<what>: <message>". */
  formula(src: string, line: number, what: string): Formula | undefined {
    try {
      return compileFormula(src);
    } catch (e) {
      const fe = e instanceof FormulaError ? e : new FormulaError(String(e));
      this.error(line, `${what}: ${fe.message}`, fe.hint);
      return undefined;
    }
  }

  template(text: string, what: string, path: (string | number)[]): Template {
    const t = parseTemplate(text);
    for (const p of t.problems) this.error(this.lines.lineOfText(p.raw || text, ...path), `${what}: ${p.message}`, p.hint);
    return t;
  }

  numOrFormula(v: unknown, line: number, what: string): NumOrFormula | undefined {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) this.error(line, `${what} must be a finite number`);
      return v;
    }
    if (typeof v === 'string') {
      const n = looseNumber(v);
      if (n !== undefined) return n;
      return this.formula(v, line, what) ? v : undefined;
    }
    this.error(line, `${what} must be a number or a formula, got ${v === null ? 'nothing' : JSON.stringify(v)}`);
    return undefined;
  }

  size(v: unknown, line: number, what: string): NumOrFormula[] | undefined {
    const list = Array.isArray(v) ? v : [v];
    if (list.length < 1 || list.length > LIMITS.maxDims) {
      this.error(line, `${what}: size must be a length (vector) or [rows, columns] (matrix)`, 'e.g. size: 4 or size: [2, 3]');
      return undefined;
    }
    const out: NumOrFormula[] = [];
    for (const d of list) {
      const n = this.numOrFormula(d, line, `${what}: size`);
      if (n === undefined) return undefined;
      if (typeof n === 'number' && (!Number.isInteger(n) || n < 1 || n > LIMITS.maxElements)) {
        this.error(line, `${what}: size must be a whole number from 1 to ${LIMITS.maxElements}, got ${n}`);
        return undefined;
      }
      out.push(n);
    }
    if (out.every((d): d is number => typeof d === 'number') && out.reduce((a, b) => a * b, 1) > LIMITS.maxElements) {
      this.error(line, `${what}: ${out.join('×')} elements; the limit is ${LIMITS.maxElements}`);
      return undefined;
    }
    return out;
  }

  unknownKeys(obj: Record<string, unknown>, allowed: string[], line: (k: string) => number, where: string): void {
    for (const k of Object.keys(obj)) {
      if (allowed.includes(k)) continue;
      const s = suggest(k, allowed);
      this.error(
        line(k),
        `unknown key \`${k}\` in ${where}${s ? ` — did you mean \`${s}\`?` : ''}`,
        `allowed keys: ${allowed.join(', ')}`,
      );
    }
  }

  // -------------------------------------------------------------------------------------------------

  parse(): ExerciseSpec | undefined {
    const { body, lines } = this;
    const fence = this.loc.line;
    if (body.length > LIMITS.maxYamlLength) {
      this.error(fence, `exercise block of ${body.length} characters; the limit is ${LIMITS.maxYamlLength}`, 'split it into several exercises');
      return undefined;
    }
    const loaded = loadYaml(body);
    if (loaded.error) {
      const l = loaded.error.line;
      const lineText = l === undefined ? '' : (body.split(/\r?\n/)[l] ?? '');
      const prev = l === undefined || l === 0 ? '' : (body.split(/\r?\n/)[l - 1] ?? '');
      this.error(
        l === undefined ? fence : lines.fileLine(l),
        `exercise YAML: ${loaded.error.message}`,
        /\{\{/.test(lineText + prev) ? TEMPLATE_AS_MAP_HINT : 'check the indentation, and quote values that contain `: ` or start with `{`, `[`, `*`, `&`, `!`, `|` or `>`',
      );
      return undefined;
    }
    const top = loaded.value;
    if (!isPlainObject(top)) {
      this.error(fence, 'an exercise block must hold YAML keys (vars:, prompt:, answer:, …)', 'see docs/exercises.md for an example');
      return undefined;
    }
    this.unknownKeys(top, TOP_KEYS, (k) => lines.line(k), 'the exercise');

    // id, tags
    let id: string | undefined;
    if (top.id !== undefined && top.id !== null) {
      const s = String(top.id);
      if (typeof top.id === 'object' || !ID_RE.test(s)) this.error(lines.line('id'), `invalid id \`${s}\``, 'use letters, digits, -, _ and .');
      else id = s;
    }
    const tags: string[] = [];
    if (top.tags !== undefined && top.tags !== null) {
      const raw = Array.isArray(top.tags) ? top.tags : typeof top.tags === 'string' ? top.tags.split(/[\s,]+/) : null;
      if (!raw || raw.some((t) => typeof t !== 'string' && typeof t !== 'number'))
        this.error(lines.line('tags'), 'tags must be a list like [a, b] or a space-separated text');
      else for (const t of raw) if (String(t).trim()) tags.push(String(t).trim());
    }

    // vars
    const vars = this.parseVars(top.vars);

    // where
    const where: LocatedFormula[] = [];
    if (top.where !== undefined && top.where !== null) {
      const list = Array.isArray(top.where) ? top.where : [top.where];
      if (list.length > LIMITS.maxConstraints)
        this.error(lines.line('where'), `more than ${LIMITS.maxConstraints} constraints`);
      list.slice(0, LIMITS.maxConstraints).forEach((c, i) => {
        const line = Array.isArray(top.where) ? lines.line('where', i) : lines.line('where');
        if (typeof c !== 'string' && typeof c !== 'boolean') {
          this.error(line, `constraint ${i + 1} must be a formula like var(x) > 0`);
          return;
        }
        if (this.formula(String(c), line, `constraint \`${String(c)}\``)) where.push({ expr: String(c), line });
      });
    }

    // prompt
    let prompt: LocatedText | undefined;
    if (top.prompt === undefined || top.prompt === null) {
      this.error(fence, 'the exercise has no `prompt:`', 'add prompt: | and the question on the next lines, with {{x}} where a value goes');
    } else if (typeof top.prompt !== 'string') {
      this.error(lines.line('prompt'), '`prompt:` must be text', TEMPLATE_AS_MAP_HINT);
    } else {
      prompt = { text: top.prompt, line: lines.line('prompt') };
    }

    // choices
    let choices: LocatedText[] | undefined;
    if (top.choices !== undefined && top.choices !== null) {
      if (!Array.isArray(top.choices) || top.choices.length < 2 || top.choices.length > LIMITS.maxChoices) {
        this.error(lines.line('choices'), `\`choices:\` must be a list of 2 to ${LIMITS.maxChoices} answers`, 'one `- text` line per choice');
      } else {
        choices = [];
        top.choices.forEach((c, i) => {
          const line = lines.line('choices', i);
          if (typeof c !== 'string' && typeof c !== 'number') this.error(line, `choice ${i + 1} must be text`, TEMPLATE_AS_MAP_HINT);
          else choices!.push({ text: String(c), line });
        });
      }
    }
    let shuffle = false;
    if (top.shuffle !== undefined && top.shuffle !== null) {
      if (typeof top.shuffle !== 'boolean') this.error(lines.line('shuffle'), '`shuffle:` must be true or false');
      else shuffle = top.shuffle;
      if (!choices) this.warn(lines.line('shuffle'), '`shuffle:` only applies to multiple-choice exercises (with `choices:`)');
    }

    // answer
    let answer: (LocatedFormula & { letter?: string }) | undefined;
    const answerLine = lines.line('answer');
    if (top.answer === undefined || top.answer === null) {
      this.error(fence, 'the exercise has no `answer:`', 'add answer: followed by a formula, e.g. answer: mean(x)');
    } else if (typeof top.answer !== 'string' && typeof top.answer !== 'number') {
      this.error(answerLine, '`answer:` must be a formula (or, with choices, a letter)', 'e.g. answer: (x[i] - mu) / sqrt(v + eps)');
    } else {
      const text = String(top.answer).trim();
      const isVar = vars.some((v) => v.name === text);
      if (choices && /^[A-Za-z]$/.test(text) && !isVar) {
        const k = text.toUpperCase().charCodeAt(0) - 65;
        if (k >= choices.length)
          this.error(answerLine, `answer ${text.toUpperCase()} but there are only ${choices.length} choices (A–${String.fromCharCode(64 + choices.length)})`);
        else answer = { expr: text, line: answerLine, letter: text.toUpperCase() };
      } else if (this.formula(text, answerLine, 'answer')) {
        answer = { expr: text, line: answerLine };
      }
    }

    // tolerance
    const toleranceLine = lines.line('tolerance');
    let tolerance = DEFAULT_TOLERANCE;
    if (top.tolerance !== undefined && top.tolerance !== null) {
      const t = this.parseTolerance(top.tolerance, toleranceLine);
      if (t) tolerance = t;
      if (choices) this.warn(toleranceLine, '`tolerance:` is ignored for multiple-choice exercises');
    }

    // solution
    let solution: LocatedText | undefined;
    if (top.solution !== undefined && top.solution !== null) {
      if (typeof top.solution !== 'string') this.error(lines.line('solution'), '`solution:` must be text', TEMPLATE_AS_MAP_HINT);
      else solution = { text: top.solution, line: lines.line('solution') };
    }

    // chart
    const chart = top.chart === undefined || top.chart === null ? undefined : this.parseChart(top.chart);

    this.checkNames({ vars, where, prompt, answer, choices, solution, chart });
    if (!prompt || !answer) return undefined;
    const spec: ExerciseSpec = {
      loc: { file: this.loc.file, line: this.loc.line },
      source: body,
      ...(id !== undefined ? { id } : {}),
      tags,
      vars,
      where,
      prompt,
      answer,
      ...(choices ? { choices } : {}),
      shuffle,
      tolerance,
      toleranceLine,
      ...(solution ? { solution } : {}),
      ...(chart ? { chart } : {}),
    };
    return this.issues.some((i) => i.severity === 'error') ? undefined : spec;
  }

  parseVars(raw: unknown): VarSpec[] {
    const { lines } = this;
    const vars: VarSpec[] = [];
    if (raw === undefined || raw === null) return vars;
    if (!isPlainObject(raw)) {
      this.error(lines.line('vars'), '`vars:` must be a mapping of names to values, one per line', 'e.g.\nvars:\n  x: {range: [1, 9]}\n  y: 2 * x');
      return vars;
    }
    const names = Object.keys(raw);
    if (names.length > LIMITS.maxVars) {
      this.error(lines.line('vars'), `${names.length} variables; the limit is ${LIMITS.maxVars}`);
      return vars;
    }
    for (const name of names) {
      const v = raw[name];
      const line = lines.line('vars', name);
      const what = `variable \`${name}\``;
      if (!NAME_RE.test(name)) {
        this.error(line, `invalid variable name \`${name}\``, 'use a letter followed by letters, digits or _');
        continue;
      }
      if (RESERVED.has(name)) {
        this.error(line, `\`${name}\` is a reserved name${CONSTANTS.has(name) ? ' (a built-in constant)' : ''}`, 'choose another variable name');
        continue;
      }
      if (v === null || v === undefined) {
        this.error(line, `${what} has no value`, 'give a number, a formula, {range: [lo, hi]} or {choice: [a, b]}');
        continue;
      }
      if (typeof v === 'number' || typeof v === 'boolean') {
        vars.push({ name, line, kind: 'const', value: v });
        continue;
      }
      if (typeof v === 'string') {
        if (this.formula(v, line, what)) vars.push({ name, line, kind: 'formula', expr: v });
        continue;
      }
      if (Array.isArray(v)) {
        try {
          const value = normalize(v, what);
          vars.push({ name, line, kind: 'const', value });
        } catch (e) {
          this.error(line, e instanceof Error ? e.message : String(e), 'a constant vector is [1, 2, 3]; a matrix is [[1, 2], [3, 4]]');
        }
        continue;
      }
      if (!isPlainObject(v)) {
        this.error(line, `${what}: unsupported value`);
        continue;
      }
      this.unknownKeys(v, ['range', 'step', 'choice', 'size'], (k) => lines.line('vars', name, k), what);
      let size: NumOrFormula[] | undefined;
      if (v.size !== undefined && v.size !== null) {
        size = this.size(v.size, line, what);
        if (!size) continue;
      }
      if (Object.hasOwn(v, 'range') === Object.hasOwn(v, 'choice')) {
        this.error(line, `${what} needs exactly one of \`range:\` or \`choice:\``, 'e.g. {range: [-2, 2], step: 0.5} or {choice: [0.001, 0.01]}');
        continue;
      }
      if (Object.hasOwn(v, 'choice')) {
        if (Object.hasOwn(v, 'step')) this.error(line, `${what}: \`step:\` only applies to \`range:\``);
        const opts = v.choice;
        if (!Array.isArray(opts) || opts.length === 0) {
          this.error(line, `${what}: \`choice:\` must be a non-empty list`, 'e.g. choice: [0.9, 0.99, 0.999]');
          continue;
        }
        const options: Value[] = [];
        let ok = true;
        for (const o of opts) {
          const n = looseNumber(o);
          if (n !== undefined) options.push(n);
          else if (typeof o === 'string' || typeof o === 'boolean') options.push(o);
          else if (Array.isArray(o)) {
            try {
              options.push(normalize(o, what));
            } catch (e) {
              this.error(line, e instanceof Error ? e.message : String(e));
              ok = false;
            }
          } else {
            this.error(line, `${what}: choice options must be numbers, text or lists of numbers`);
            ok = false;
          }
        }
        if (ok) vars.push({ name, line, kind: 'choice', options, ...(size ? { size } : {}) });
        continue;
      }
      const r = v.range;
      if (!Array.isArray(r) || r.length !== 2) {
        this.error(line, `${what}: \`range:\` must be [lowest, highest]`, 'e.g. range: [1, 10] (whole numbers) or range: [0, 1] with step: 0.1');
        continue;
      }
      const from = this.numOrFormula(r[0], line, `${what}: range start`);
      const to = this.numOrFormula(r[1], line, `${what}: range end`);
      const step = v.step === undefined || v.step === null ? 1 : this.numOrFormula(v.step, line, `${what}: step`);
      if (from === undefined || to === undefined || step === undefined) continue;
      if (typeof step === 'number' && !(step > 0)) {
        this.error(line, `${what}: step must be greater than 0, got ${step}`);
        continue;
      }
      if (typeof from === 'number' && typeof to === 'number' && to < from) {
        this.error(line, `${what}: empty range [${from}, ${to}]`, 'write the lowest value first');
        continue;
      }
      vars.push({ name, line, kind: 'range', from, to, step, ...(size ? { size } : {}) });
    }
    return vars;
  }

  parseTolerance(t: unknown, line: number): Tolerance | undefined {
    const bad = (msg: string): undefined => {
      this.error(line, msg, 'e.g. tolerance: 0.01 (absolute), tolerance: 1% (relative), tolerance: {sigfigs: 3}');
      return undefined;
    };
    if (typeof t === 'number' || typeof t === 'string') {
      const s = String(t).trim();
      const n = looseNumber(s, true);
      if (n === undefined || !(n >= 0) || !Number.isFinite(n)) return bad(`invalid tolerance \`${s}\``);
      return s.endsWith('%') ? { rel: n } : { abs: n };
    }
    if (!isPlainObject(t)) return bad('invalid tolerance');
    this.unknownKeys(t, ['abs', 'rel', 'sigfigs'], () => line, '`tolerance:`');
    const out: Tolerance = {};
    if (t.abs !== undefined) {
      const n = looseNumber(t.abs);
      if (n === undefined || !(n >= 0) || !Number.isFinite(n)) return bad(`tolerance abs must be a number ≥ 0, got ${JSON.stringify(t.abs)}`);
      out.abs = n;
    }
    if (t.rel !== undefined) {
      const n = looseNumber(t.rel, true);
      if (n === undefined || !(n >= 0) || !Number.isFinite(n)) return bad(`tolerance rel must be a number ≥ 0 (or a percentage), got ${JSON.stringify(t.rel)}`);
      out.rel = n;
    }
    if (t.sigfigs !== undefined) {
      const n = looseNumber(t.sigfigs);
      if (n === undefined || !Number.isInteger(n) || n < 1 || n > 15) return bad(`tolerance sigfigs must be a whole number from 1 to 15, got ${JSON.stringify(t.sigfigs)}`);
      if (out.abs !== undefined || out.rel !== undefined) return bad('sigfigs cannot be combined with abs or rel');
      out.sigfigs = n;
    }
    if (Object.keys(out).length === 0) return bad('empty tolerance');
    return out;
  }

  parseChart(raw: unknown): ChartSpec | undefined {
    const { lines } = this;
    const line = lines.line('chart');
    if (!isPlainObject(raw)) {
      this.error(line, '`chart:` must hold `series:` (and optionally title, xlabel, ylabel)');
      return undefined;
    }
    this.unknownKeys(raw, ['title', 'xlabel', 'ylabel', 'series'], (k) => lines.line('chart', k), '`chart:`');
    const text = (k: string): string | undefined => {
      const v = raw[k];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'string' && typeof v !== 'number') {
        this.error(lines.line('chart', k), `chart ${k} must be text`);
        return undefined;
      }
      const s = String(v);
      this.template(s, `chart ${k}`, ['chart', k]);
      return s;
    };
    const series: ChartSeriesSpec[] = [];
    const s = raw.series;
    if (!isPlainObject(s) || Object.keys(s).length === 0) {
      this.error(lines.line('chart', 'series'), '`series:` must map series names to formulas giving vectors', 'e.g.\n  series:\n    train: train_loss\n    validation: val_loss');
    } else {
      const names = Object.keys(s);
      if (names.length > LIMITS.maxSeries) this.error(lines.line('chart', 'series'), `more than ${LIMITS.maxSeries} series`);
      for (const name of names.slice(0, LIMITS.maxSeries)) {
        const sl = lines.line('chart', 'series', name);
        const v = s[name];
        const literal = Array.isArray(v) && v.length <= LIMITS.maxElements && v.every((x) => typeof x === 'number');
        const expr = literal ? JSON.stringify(v) : typeof v === 'string' ? v : undefined;
        if (expr === undefined) {
          this.error(sl, `chart series \`${name}\` must be a formula giving a vector, or a list of numbers`);
          continue;
        }
        if (this.formula(expr, sl, `chart series \`${name}\``)) series.push({ name, expr, line: sl });
      }
    }
    const title = text('title');
    const xLabel = text('xlabel');
    const yLabel = text('ylabel');
    return {
      ...(title !== undefined ? { title } : {}),
      ...(xLabel !== undefined ? { xLabel } : {}),
      ...(yLabel !== undefined ? { yLabel } : {}),
      series,
      line,
    };
  }

  /** Every name a formula reads must be a variable; vars may only read variables declared above. */
  checkNames(spec: Pick<ExerciseSpec, 'vars' | 'where' | 'choices' | 'solution' | 'chart'> & Partial<Pick<ExerciseSpec, 'prompt' | 'answer'>>): void {
    const all = spec.vars.map((v) => v.name);
    const declared = new Set(all);
    const known = (name: string): string | undefined => suggest(name, all);
    const unknown = (line: number, where: string, name: string): void => {
      const s = known(name);
      this.error(line, `${where}: unknown name \`${name}\`${s ? ` — did you mean \`${s}\`?` : ''}`, 'declare it under `vars:`');
    };
    const seen = new Set<string>();
    for (const v of spec.vars) {
      const sources: string[] = [];
      if (v.kind === 'formula') sources.push(v.expr);
      if (v.kind === 'range') for (const x of [v.from, v.to, v.step]) if (typeof x === 'string') sources.push(x);
      if ((v.kind === 'range' || v.kind === 'choice') && v.size) for (const x of v.size) if (typeof x === 'string') sources.push(x);
      for (const src of sources) {
        for (const name of compileFormula(src).symbols) {
          if (name === v.name) this.error(v.line, `variable \`${v.name}\` refers to itself`);
          else if (seen.has(name)) continue;
          else if (declared.has(name))
            this.error(v.line, `variable \`${v.name}\` uses \`${name}\`, which is declared below it`, `variables are computed from top to bottom: move \`${name}\` above \`${v.name}\``);
          else unknown(v.line, `variable \`${v.name}\``, name);
        }
      }
      seen.add(v.name);
    }
    const checkFormula = (src: string, line: number, where: string): void => {
      for (const name of compileFormula(src).symbols) if (!declared.has(name)) unknown(line, where, name);
    };
    for (const w of spec.where) checkFormula(w.expr, w.line, `constraint \`${w.expr}\``);
    if (spec.answer && !spec.answer.letter) checkFormula(spec.answer.expr, spec.answer.line, 'answer');
    if (spec.chart) for (const s of spec.chart.series) checkFormula(s.expr, s.line, `chart series \`${s.name}\``);
    const checkTemplate = (text: string, what: string, path: (string | number)[]): void => {
      const t = this.template(text, what, path);
      for (const p of t.parts) {
        if (p.kind !== 'expr') continue;
        for (const name of p.formula.symbols)
          if (!declared.has(name)) {
            const s = known(name);
            this.error(
              this.lines.lineOfText(p.raw, ...path),
              `${what}: ${p.raw} uses unknown name \`${name}\`${s ? ` — did you mean \`${s}\`?` : ''}`,
              'declare it under `vars:`, or write \\{{ for a literal {{',
            );
          }
      }
    };
    if (spec.prompt) checkTemplate(spec.prompt.text, 'prompt', ['prompt']);
    if (spec.solution) checkTemplate(spec.solution.text, 'solution', ['solution']);
    spec.choices?.forEach((c, i) => checkTemplate(c.text, `choice ${String.fromCharCode(65 + i)}`, ['choices', i]));
    if (spec.chart?.title) for (const n of templateSymbols(parseTemplate(spec.chart.title))) if (!declared.has(n)) unknown(spec.chart.line, 'chart title', n);
  }
}

/** Parse the YAML body of an exercise block. loc.line is the line of the opening fence. */
export function parseExercise(yamlBody: string, loc: SourceLoc): { spec?: ExerciseSpec; issues: DeckIssue[] } {
  const p = new Parser(typeof yamlBody === 'string' ? yamlBody : '', loc);
  const spec = p.parse();
  return spec ? { spec, issues: p.issues } : { issues: p.issues };
}
