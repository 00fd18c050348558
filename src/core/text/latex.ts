// LaTeX math → readable Unicode for the terminal. Pure, no dependencies.
//
// This is not a TeX engine: it turns the math people write in study notes ($\gamma$, $\hat{x}_i$,
// $\sigma^2$, $\sum_{i=1}^{m}$, $\frac{a}{b}$, $\sqrt{x}$ …) into text a person reads at a glance.
// Anything it does not know is kept as written (`\foo`), so nothing is silently lost.

// ---------------------------------------------------------------------------------------------
// Symbol tables (hand-written; see the report for why not `unicode2latex`).

const GREEK: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ',
  eta: 'η', theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', varkappa: 'ϰ', lambda: 'λ',
  mu: 'μ', nu: 'ν', xi: 'ξ', omicron: 'ο', pi: 'π', varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ',
  sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'φ', varphi: 'φ', chi: 'χ',
  psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ',
  Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
};

const SYMBOLS: Record<string, string> = {
  // big operators
  sum: 'Σ', prod: '∏', coprod: '∐', int: '∫', iint: '∬', iiint: '∭', oint: '∮',
  bigcup: '⋃', bigcap: '⋂', bigoplus: '⨁', bigotimes: '⨂',
  // binary operators
  cdot: '·', times: '×', div: '÷', pm: '±', mp: '∓', ast: '∗', star: '⋆', circ: '∘',
  bullet: '•', oplus: '⊕', ominus: '⊖', otimes: '⊗', odot: '⊙', cup: '∪', cap: '∩',
  setminus: '∖', wedge: '∧', land: '∧', vee: '∨', lor: '∨', neg: '¬', lnot: '¬',
  // relations
  le: '≤', leq: '≤', leqslant: '≤', ge: '≥', geq: '≥', geqslant: '≥', ne: '≠', neq: '≠',
  approx: '≈', sim: '∼', simeq: '≃', cong: '≅', equiv: '≡', propto: '∝', ll: '≪', gg: '≫',
  in: '∈', notin: '∉', ni: '∋', subset: '⊂', subseteq: '⊆', supset: '⊃', supseteq: '⊇',
  mid: '|', parallel: '∥', perp: '⊥', models: '⊨', vdash: '⊢', coloneqq: '≔', triangleq: '≜',
  doteq: '≐',
  // arrows
  to: '→', rightarrow: '→', leftarrow: '←', gets: '←', leftrightarrow: '↔',
  Rightarrow: '⇒', Leftarrow: '⇐', Leftrightarrow: '⇔', implies: '⇒', impliedby: '⇐',
  iff: '⇔', mapsto: '↦', uparrow: '↑', downarrow: '↓', longrightarrow: '⟶',
  longleftarrow: '⟵', Longrightarrow: '⟹', longmapsto: '⟼', rightleftharpoons: '⇌',
  // misc
  infty: '∞', partial: '∂', nabla: '∇', forall: '∀', exists: '∃', nexists: '∄',
  emptyset: '∅', varnothing: '∅', top: '⊤', bot: '⊥', angle: '∠', prime: '′',
  hbar: 'ℏ', ell: 'ℓ', Re: 'ℜ', Im: 'ℑ', aleph: 'ℵ', wp: '℘', degree: '°',
  ldots: '…', dots: '…', dotsc: '…', dotsb: '⋯', cdots: '⋯', vdots: '⋮', ddots: '⋱',
  therefore: '∴', because: '∵', checkmark: '✓', dagger: '†', ddagger: '‡', S: '§',
  // delimiters
  langle: '⟨', rangle: '⟩', lceil: '⌈', rceil: '⌉', lfloor: '⌊', rfloor: '⌋',
  vert: '|', lvert: '|', rvert: '|', Vert: '‖', lVert: '‖', rVert: '‖',
  lbrace: '{', rbrace: '}', backslash: '\\',
};

/** Named functions printed upright as their name (\log x → log x). */
const FUNCTIONS = new Set([
  'log', 'ln', 'lg', 'exp', 'sin', 'cos', 'tan', 'cot', 'sec', 'csc', 'sinh', 'cosh', 'tanh',
  'coth', 'arcsin', 'arccos', 'arctan', 'max', 'min', 'sup', 'inf', 'lim', 'liminf', 'limsup',
  'det', 'dim', 'ker', 'deg', 'gcd', 'lcm', 'arg', 'Pr', 'hom', 'mod', 'argmax', 'argmin',
  'softmax', 'Var', 'Cov', 'tr', 'sgn', 'diag', 'rank',
]);

/** Commands that take one argument and print it as it is (fonts and text). */
const PASS_THROUGH = new Set([
  'mathrm', 'mathit', 'mathbf', 'mathsf', 'mathtt', 'boldsymbol', 'bm', 'pmb', 'mathnormal',
  'operatorname', 'textit', 'textbf', 'textsf', 'texttt', 'textnormal', 'emph', 'underline',
  'boxed', 'ensuremath',
]);

/** Commands that print the raw text of their argument, spaces kept. */
const TEXT_COMMANDS = new Set(['text', 'textrm', 'textup', 'mbox', 'hbox']);

/** Commands that produce nothing (sizes, styles, spacing that reads fine as nothing). */
const IGNORED = new Set([
  'left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl',
  'biggr', 'Biggl', 'Biggr', 'middle', 'limits', 'nolimits', 'displaystyle', 'textstyle',
  'scriptstyle', 'scriptscriptstyle', '!', 'nonumber', 'notag', 'label', 'tag',
  'mathstrut', 'strut', 'phantom', 'hphantom', 'vphantom',
]);

const SPACES: Record<string, string> = {
  ',': ' ', ':': ' ', ';': ' ', ' ': ' ', '>': ' ', quad: '  ', qquad: '    ',
  enspace: ' ', thinspace: ' ', medspace: ' ', thickspace: ' ',
};

/** Combining marks for accents: applied after each base character of the argument. */
const ACCENTS: Record<string, string> = {
  hat: '\u0302', widehat: '\u0302', bar: '\u0304', overline: '\u0305', tilde: '\u0303',
  widetilde: '\u0303', dot: '\u0307', ddot: '\u0308', vec: '\u20D7', acute: '\u0301',
  grave: '\u0300', check: '\u030C', breve: '\u0306', mathring: '\u030A',
};

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸',
  '9': '⁹', '+': '⁺', '-': '⁻', '−': '⁻', '=': '⁼', '(': '⁽', ')': '⁾',
  a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ', e: 'ᵉ', f: 'ᶠ', g: 'ᵍ', h: 'ʰ', i: 'ⁱ', j: 'ʲ', k: 'ᵏ',
  l: 'ˡ', m: 'ᵐ', n: 'ⁿ', o: 'ᵒ', p: 'ᵖ', r: 'ʳ', s: 'ˢ', t: 'ᵗ', u: 'ᵘ', v: 'ᵛ', w: 'ʷ',
  x: 'ˣ', y: 'ʸ', z: 'ᶻ',
  A: 'ᴬ', B: 'ᴮ', D: 'ᴰ', E: 'ᴱ', G: 'ᴳ', H: 'ᴴ', I: 'ᴵ', J: 'ᴶ', K: 'ᴷ', L: 'ᴸ', M: 'ᴹ',
  N: 'ᴺ', O: 'ᴼ', P: 'ᴾ', R: 'ᴿ', T: 'ᵀ', U: 'ᵁ', V: 'ⱽ', W: 'ᵂ',
  α: 'ᵅ', β: 'ᵝ', γ: 'ᵞ', δ: 'ᵟ', ε: 'ᵋ', θ: 'ᶿ', ι: 'ᶥ', φ: 'ᵠ', χ: 'ᵡ',
  '⊤': 'ᵀ', '∗': '*', '*': '*', '′': '′', '″': '″', '∘': '°', ',': ',', ' ': '',
};

const SUBSCRIPT: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈',
  '9': '₉', '+': '₊', '-': '₋', '−': '₋', '=': '₌', '(': '₍', ')': '₎',
  a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', l: 'ₗ', m: 'ₘ', n: 'ₙ', o: 'ₒ', p: 'ₚ',
  r: 'ᵣ', s: 'ₛ', t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ',
  β: 'ᵦ', γ: 'ᵧ', ρ: 'ᵨ', φ: 'ᵩ', χ: 'ᵪ', ',': ',', ' ': '',
};

const DOUBLE_STRUCK_EXCEPTIONS: Record<string, string> = {
  C: 'ℂ', H: 'ℍ', N: 'ℕ', P: 'ℙ', Q: 'ℚ', R: 'ℝ', Z: 'ℤ',
};
const SCRIPT_EXCEPTIONS: Record<string, string> = {
  B: 'ℬ', E: 'ℰ', F: 'ℱ', H: 'ℋ', I: 'ℐ', L: 'ℒ', M: 'ℳ', R: 'ℛ', e: 'ℯ', g: 'ℊ', o: 'ℴ',
};
const FRAKTUR_EXCEPTIONS: Record<string, string> = { C: 'ℭ', H: 'ℌ', I: 'ℑ', R: 'ℜ', Z: 'ℨ' };

function mapAlphabet(text: string, upperBase: number, lowerBase: number | null,
  exceptions: Record<string, string>, digitBase?: number): string {
  let out = '';
  for (const ch of text) {
    if (exceptions[ch]) out += exceptions[ch];
    else if (ch >= 'A' && ch <= 'Z') out += String.fromCodePoint(upperBase + ch.charCodeAt(0) - 65);
    else if (lowerBase !== null && ch >= 'a' && ch <= 'z') {
      out += String.fromCodePoint(lowerBase + ch.charCodeAt(0) - 97);
    } else if (digitBase !== undefined && ch >= '0' && ch <= '9') {
      out += String.fromCodePoint(digitBase + ch.charCodeAt(0) - 48);
    } else out += ch;
  }
  return out;
}

const FONTS: Record<string, (s: string) => string> = {
  mathbb: (s) => mapAlphabet(s, 0x1d538, 0x1d552, DOUBLE_STRUCK_EXCEPTIONS, 0x1d7d8),
  mathcal: (s) => mapAlphabet(s, 0x1d49c, null, SCRIPT_EXCEPTIONS),
  mathscr: (s) => mapAlphabet(s, 0x1d49c, null, SCRIPT_EXCEPTIONS),
  mathfrak: (s) => mapAlphabet(s, 0x1d504, 0x1d51e, FRAKTUR_EXCEPTIONS),
};

// ---------------------------------------------------------------------------------------------
// Tokenizer: commands, groups, characters.

type Node =
  | { t: 'cmd'; name: string }
  | { t: 'group'; children: Node[]; raw: string }
  | { t: 'char'; c: string }
  | { t: 'space' };

function parse(src: string): Node[] {
  let i = 0;
  function parseSeq(closing: boolean): Node[] {
    const out: Node[] = [];
    while (i < src.length) {
      const ch = src[i];
      if (ch === '}') {
        if (closing) { i++; return out; }
        i++; // stray closing brace: drop it
        continue;
      }
      if (ch === '{') {
        const start = ++i;
        const children = parseSeq(true);
        out.push({ t: 'group', children, raw: src.slice(start, Math.max(start, i - 1)) });
        continue;
      }
      if (ch === '\\') {
        const m = /^[A-Za-z]+/.exec(src.slice(i + 1));
        if (m) {
          out.push({ t: 'cmd', name: m[0] });
          i += 1 + m[0].length;
          // TeX ignores spaces after a command word; keep one so `\log x` reads "log x".
        } else if (i + 1 < src.length) {
          out.push({ t: 'cmd', name: src[i + 1] });
          i += 2;
        } else {
          out.push({ t: 'char', c: '\\' });
          i++;
        }
        continue;
      }
      if (/\s/.test(ch)) {
        while (i < src.length && /\s/.test(src[i])) i++;
        out.push({ t: 'space' });
        continue;
      }
      if (ch === '%') { // comment to end of line
        while (i < src.length && src[i] !== '\n') i++;
        continue;
      }
      // one code point (keep astral characters whole)
      const cp = src.codePointAt(i)!;
      const c = String.fromCodePoint(cp);
      out.push({ t: 'char', c });
      i += c.length;
    }
    return out;
  }
  return parseSeq(false);
}

// ---------------------------------------------------------------------------------------------
// Conversion.

/** Is `s` one visual unit that needs no parentheses around it in a/b, √x, x^(…)? */
function isAtom(s: string): boolean {
  if (s.length === 0) return true;
  const root = /^[\u2070-\u209f\u1d2c-\u1dbf²³¹]*[√∛∜](.+)$/u.exec(s);
  if (root) return isAtom(root[1]);
  if (/^[\p{L}\p{N}\p{M}\u2070-\u209f\u1d2c-\u1dbf\u00b2\u00b3\u00b9′.∂∇∞]+$/u.test(s)) return true;
  if ((s.startsWith('(') && s.endsWith(')')) || (s.startsWith('[') && s.endsWith(']'))) {
    // balanced and the outer pair encloses everything
    let depth = 0;
    for (let k = 0; k < s.length; k++) {
      const ch = s[k];
      if (ch === '(' || ch === '[') depth++;
      else if (ch === ')' || ch === ']') {
        depth--;
        if (depth === 0 && k < s.length - 1) return false;
      }
    }
    return depth === 0;
  }
  return false;
}

function wrapIfNeeded(s: string): string {
  return isAtom(s) ? s : `(${s})`;
}

/** Map every character with `table`; null when one has no form. */
function mapScript(s: string, table: Record<string, string>): string | null {
  let out = '';
  for (const ch of s) {
    const m = table[ch];
    if (m === undefined) return null;
    out += m;
  }
  return out;
}

function script(s: string, kind: '^' | '_'): string {
  const trimmed = s.trim();
  if (trimmed === '') return '';
  const mapped = mapScript(trimmed, kind === '^' ? SUPERSCRIPT : SUBSCRIPT);
  if (mapped !== null && mapped !== '') return mapped;
  // Single characters read fine after the marker (x_q); longer ones need parentheses.
  const chars = [...trimmed.replace(/\p{M}/gu, '')];
  if (chars.length === 1) return kind + trimmed;
  return `${kind}(${trimmed})`;
}

function accent(s: string, mark: string): string {
  let out = '';
  for (const ch of s) {
    out += ch;
    if (!/\s|\p{M}/u.test(ch)) out += mark;
  }
  return out;
}

const MATRIX_ENVS: Record<string, [string, string]> = {
  matrix: ['', ''], smallmatrix: ['', ''], pmatrix: ['(', ')'], bmatrix: ['[', ']'],
  Bmatrix: ['{', '}'], vmatrix: ['|', '|'], Vmatrix: ['‖', '‖'], array: ['', ''],
};

/** Commands that get a space before them when glued to the previous term. */
const SPACED = new Set([
  'sum', 'prod', 'coprod', 'int', 'iint', 'iiint', 'oint', 'bigcup', 'bigcap', 'frac', 'dfrac',
  'tfrac', 'cfrac', 'sqrt',
]);

class Converter {
  constructor(private readonly nodes: Node[]) {}
  private i = 0;

  private peek(): Node | undefined {
    return this.nodes[this.i];
  }

  private skipSpaces(): void {
    while (this.peek()?.t === 'space') this.i++;
  }

  /** The next argument: a group, or a single token (skipping spaces). */
  private takeArg(): Node[] | null {
    this.skipSpaces();
    const n = this.nodes[this.i];
    if (!n) return null;
    this.i++;
    if (n.t === 'group') return n.children;
    return [n];
  }

  private takeRawArg(): string {
    this.skipSpaces();
    const n = this.nodes[this.i];
    if (!n) return '';
    this.i++;
    if (n.t === 'group') return n.raw;
    if (n.t === 'char') return n.c;
    if (n.t === 'cmd') return '\\' + n.name;
    return '';
  }

  /** An optional [ … ] argument, converted. */
  private takeOptional(): string | null {
    let j = this.i;
    while (this.nodes[j]?.t === 'space') j++;
    const n = this.nodes[j];
    if (!n || n.t !== 'char' || n.c !== '[') return null;
    let depth = 0;
    const inner: Node[] = [];
    for (let k = j + 1; k < this.nodes.length; k++) {
      const m = this.nodes[k];
      if (m.t === 'char' && m.c === '[') depth++;
      if (m.t === 'char' && m.c === ']') {
        if (depth === 0) {
          this.i = k + 1;
          return convertNodes(inner);
        }
        depth--;
      }
      inner.push(m);
    }
    return null;
  }

  private argString(): string {
    const a = this.takeArg();
    return a ? convertNodes(a) : '';
  }

  run(): string {
    let out = '';
    while (this.i < this.nodes.length) {
      const n = this.nodes[this.i++];
      switch (n.t) {
        case 'space':
          out += ' ';
          break;
        case 'group':
          out += convertNodes(n.children);
          break;
        case 'char':
          out += this.char(n.c);
          break;
        case 'cmd': {
          const piece = this.command(n.name);
          // `\frac{1}{m}\sum` reads as "1/m Σ", not "1/mΣ": TeX spaces these, so do we.
          if (SPACED.has(n.name) && piece !== '' && /[\p{L}\p{N}\p{M})\]\u2070-\u209f\u1d2c-\u1dbf²³¹′]$/u.test(out)) {
            out += ' ';
          }
          out += piece;
          break;
        }
      }
    }
    return out;
  }

  private char(c: string): string {
    switch (c) {
      case '^':
      case '_':
        return script(this.argString(), c);
      case "'":
        return '′';
      case '~':
        return ' ';
      case '&':
        return ' ';
      default:
        return c;
    }
  }

  private command(name: string): string {
    if (name in GREEK) return GREEK[name];
    if (name in SYMBOLS) return SYMBOLS[name];
    if (name in SPACES) return SPACES[name];
    if (FUNCTIONS.has(name)) return name;
    if (name in ACCENTS) return accent(this.argString(), ACCENTS[name]);
    if (name in FONTS) return FONTS[name](this.argString());
    if (TEXT_COMMANDS.has(name)) return this.textArg();
    if (PASS_THROUGH.has(name)) {
      if (name === 'operatorname') {
        this.starred();
      }
      return this.argString();
    }
    if (IGNORED.has(name)) {
      if (['left', 'right', 'middle', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr',
        'biggl', 'biggr', 'Biggl', 'Biggr'].includes(name)) {
        // the delimiter that follows: `\left.` prints nothing
        const next = this.peek();
        if (next?.t === 'char' && next.c === '.') this.i++;
      }
      if (['label', 'tag', 'phantom', 'hphantom', 'vphantom'].includes(name)) this.takeArg();
      return '';
    }
    switch (name) {
      case '{': case '}': case '%': case '$': case '&': case '#': case '_':
        return name;
      case '|':
        return '‖';
      case '\\':
        this.takeOptional();
        return '\n';
      case 'frac': case 'dfrac': case 'tfrac': case 'cfrac': {
        const num = this.argString().trim();
        const den = this.argString().trim();
        return `${wrapIfNeeded(num)}/${wrapIfNeeded(den)}`;
      }
      case 'binom': case 'dbinom': case 'tbinom': {
        const n = this.argString().trim();
        const k = this.argString().trim();
        return `C(${n},${k})`;
      }
      case 'sqrt': {
        const index = this.takeOptional();
        const body = this.argString().trim();
        const root = index === '3' ? '∛' : index === '4' ? '∜' : '√';
        const prefix = index && root === '√' ? script(index, '^') : '';
        return prefix + root + wrapIfNeeded(body);
      }
      case 'not': {
        const next = this.argString();
        const negated: Record<string, string> = { '=': '≠', '∈': '∉', '≡': '≢', '⊂': '⊄', '∃': '∄' };
        return negated[next] ?? next + '\u0338';
      }
      case 'color': case 'textcolor':
        this.takeArg();
        return '';
      case 'begin':
        return this.environment(this.takeRawArg());
      case 'end':
        this.takeRawArg();
        return '';
      case 'overset': case 'stackrel': {
        const over = this.argString();
        const base = this.argString();
        return base + script(over, '^');
      }
      case 'underset': {
        const under = this.argString();
        const base = this.argString();
        return base + script(under, '_');
      }
      case 'overbrace': case 'underbrace':
        return this.argString();
      case 'pmod':
        return ` (mod ${this.argString()})`;
      case 'bmod':
        return ' mod ';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      default:
        return '\\' + name;
    }
  }

  private starred(): void {
    const n = this.peek();
    if (n?.t === 'char' && n.c === '*') this.i++;
  }

  /** \text{…}: the argument's source, with nested $…$ converted and spaces kept. */
  private textArg(): string {
    const raw = this.takeRawArg();
    return raw.replace(/\$([^$]*)\$/g, (_m, inner: string) => latexToUnicode(inner));
  }

  /** \begin{env} … \end{env}: rows and cells flattened onto readable lines. */
  private environment(env: string): string {
    const name = env.replace(/\*$/, '');
    if (name === 'array') this.takeArg(); // column spec
    // Collect the nodes up to the matching \end.
    const body: Node[] = [];
    let depth = 0;
    while (this.i < this.nodes.length) {
      const n = this.nodes[this.i++];
      if (n.t === 'cmd' && n.name === 'begin') depth++;
      if (n.t === 'cmd' && n.name === 'end') {
        if (depth === 0) {
          this.takeRawArg();
          break;
        }
        depth--;
      }
      body.push(n);
    }
    // Split into rows at \\ and cells at &.
    const rows: Node[][][] = [[[]]];
    for (const n of body) {
      const row = rows[rows.length - 1];
      if (n.t === 'cmd' && n.name === '\\') rows.push([[]]);
      else if (n.t === 'char' && n.c === '&') row.push([]);
      else row[row.length - 1].push(n);
    }
    const text = rows
      .map((cells) => cells.map((c) => convertNodes(c).trim()))
      .filter((cells) => cells.some((c) => c !== ''));
    if (name in MATRIX_ENVS) {
      const [open, close] = MATRIX_ENVS[name];
      return open + text.map((cells) => cells.join(' ')).join('; ') + close;
    }
    if (name === 'cases' || name === 'dcases') {
      return '{ ' + text.map((cells) => cells.filter((c) => c !== '').join(', ')).join('; ') + ' }';
    }
    // aligned, align, gather, split, equation, eqnarray, multline …: one line per row
    return text.map((cells) => cells.join(' ').replace(/ {2,}/g, ' ')).join('\n');
  }
}

function convertNodes(nodes: Node[]): string {
  return new Converter(nodes).run();
}

export interface LatexOptions {
  /** Display math ($$…$$) may keep line breaks (\\); inline math is folded onto one line. */
  display?: boolean;
}

/**
 * Convert LaTeX math (without the surrounding `$`) to readable Unicode.
 * `\gamma` → γ, `\hat{x}_i` → x̂ᵢ, `\sigma^2` → σ², `\sum_{i=1}^{m}` → Σᵢ₌₁ᵐ, `\frac{a}{b}` → a/b.
 */
export function latexToUnicode(src: string, opts: LatexOptions = {}): string {
  const out = convertNodes(parse(src));
  const lines = out
    .split('\n')
    .map((l) => l.replace(/[ \t]{2,}/g, ' ').trim())
    .filter((l, idx, arr) => l !== '' || (idx > 0 && idx < arr.length - 1));
  if (opts.display) return lines.join('\n');
  return lines.join(' ').replace(/ {2,}/g, ' ').trim();
}
