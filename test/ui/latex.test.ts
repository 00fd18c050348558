import { describe, expect, it } from 'vitest';
import { latexToUnicode as L } from '../../src/core/text/latex.js';

describe('latexToUnicode', () => {
  it('converts the examples of docs/deck-format.md', () => {
    expect(L('\\gamma')).toBe('γ');
    expect(L('\\hat{x}_i')).toBe('x\u0302ᵢ');
    expect(L('\\sigma^2')).toBe('σ²');
    expect(L('\\sum_{i=1}^{m}')).toBe('Σᵢ₌₁ᵐ');
    expect(L('\\frac{a}{b}')).toBe('a/b');
    expect(L('\\sqrt{x}')).toBe('√x');
  });

  it.each([
    ['\\alpha', 'α'], ['\\beta', 'β'], ['\\gamma', 'γ'], ['\\delta', 'δ'], ['\\epsilon', 'ε'],
    ['\\varepsilon', 'ε'], ['\\theta', 'θ'], ['\\lambda', 'λ'], ['\\mu', 'μ'], ['\\sigma', 'σ'],
    ['\\pi', 'π'], ['\\phi', 'φ'], ['\\omega', 'ω'], ['\\eta', 'η'], ['\\rho', 'ρ'], ['\\tau', 'τ'],
    ['\\Sigma', 'Σ'], ['\\Delta', 'Δ'], ['\\Omega', 'Ω'], ['\\Gamma', 'Γ'], ['\\Theta', 'Θ'],
  ])('Greek %s → %s', (src, out) => {
    expect(L(src)).toBe(out);
  });

  it.each([
    ['\\sum', 'Σ'], ['\\prod', '∏'], ['\\cdot', '·'], ['\\times', '×'], ['\\le', '≤'],
    ['\\leq', '≤'], ['\\ge', '≥'], ['\\geq', '≥'], ['\\ne', '≠'], ['\\neq', '≠'],
    ['\\approx', '≈'], ['\\in', '∈'], ['\\infty', '∞'], ['\\to', '→'], ['\\partial', '∂'],
    ['\\nabla', '∇'], ['\\pm', '±'], ['\\int', '∫'], ['\\forall', '∀'], ['\\exists', '∃'],
    ['\\Rightarrow', '⇒'], ['\\ldots', '…'], ['\\cdots', '⋯'], ['\\propto', '∝'],
    ['\\not=', '≠'], ['\\not\\in', '∉'],
  ])('operator %s → %s', (src, out) => {
    expect(L(src)).toBe(out);
  });

  it('keeps named functions upright and readable', () => {
    expect(L('\\log p(x)')).toBe('log p(x)');
    expect(L('\\exp(-x)')).toBe('exp(-x)');
    expect(L('\\max_{x} f(x)')).toBe('maxₓ f(x)');
    expect(L('\\operatorname*{argmax}_\\theta L')).toBe('argmax_θ L');
    expect(L('\\mathbb{E}[X]')).toBe('𝔼[X]');
    expect(L('x \\in \\mathbb{R}^n')).toBe('x ∈ ℝⁿ');
    expect(L('\\mathcal{L}')).toBe('ℒ');
  });

  it('square roots and fractions add parentheses only when needed', () => {
    expect(L('\\sqrt{x+y}')).toBe('√(x+y)');
    expect(L('\\sqrt{\\sigma^2 + \\epsilon}')).toBe('√(σ² + ε)');
    expect(L('\\sqrt[3]{x}')).toBe('∛x');
    expect(L('\\sqrt[n]{x}')).toBe('ⁿ√x');
    expect(L('\\frac{a+b}{c}')).toBe('(a+b)/c');
    expect(L('\\frac{1}{m}')).toBe('1/m');
    expect(L('\\frac{a}{b+c}')).toBe('a/(b+c)');
    expect(L('\\frac{\\partial L}{\\partial x}')).toBe('(∂ L)/(∂ x)');
    expect(L('\\frac{\\partial L}{\\partial w_i}')).toBe('(∂ L)/(∂ wᵢ)');
    expect(L('\\dfrac{1}{2}')).toBe('1/2');
    expect(L('2\\frac{a}{b}')).toBe('2 a/b');
    expect(L('2\\sqrt{2}')).toBe('2 √2');
    expect(L('(\\sqrt{2})')).toBe('(√2)');
  });

  it('accents use combining marks', () => {
    expect(L('\\hat{x}')).toBe('x\u0302');
    expect(L('\\bar{x}')).toBe('x\u0304');
    expect(L('\\tilde{x}')).toBe('x\u0303');
    expect(L('\\hat y')).toBe('y\u0302');
    expect(L('\\vec{v}')).toBe('v\u20D7');
    expect(L('\\dot{x}')).toBe('x\u0307');
  });

  it('sub- and superscripts', () => {
    expect(L('x_i')).toBe('xᵢ');
    expect(L('x^2')).toBe('x²');
    expect(L('x_{i,j}')).toBe('xᵢ,ⱼ');
    expect(L('x^{n+1}')).toBe('xⁿ⁺¹');
    expect(L('W^{-1}')).toBe('W⁻¹');
    expect(L('W^T')).toBe('Wᵀ');
    expect(L('W^\\top')).toBe('Wᵀ');
    expect(L('x^{(t)}')).toBe('x⁽ᵗ⁾');
    expect(L('x_{max}')).toBe('xₘₐₓ');
    expect(L('\\beta_1')).toBe('β₁');
    expect(L('x^*')).toBe('x*');
    expect(L("f'(x)")).toBe('f′(x)');
    expect(L('\\mu_B')).toBe('μ_B');
    expect(L('\\sigma_B^2')).toBe('σ_B²');
  });

  it('falls back to _(…) and ^(…) when a character has no Unicode form', () => {
    expect(L('x_q')).toBe('x_q');
    expect(L('x_{qz}')).toBe('x_(qz)');
    expect(L('e^{x_i}')).toBe('e^(xᵢ)');
    expect(L('y^{\\frac{1}{2}}')).toBe('y^(1/2)');
    expect(L('a_{\\text{batch}}')).toBe('a_(batch)');
  });

  it('\\text and friends keep their words; braces disappear', () => {
    expect(L('\\text{if } x > 0')).toBe('if x > 0');
    expect(L('\\mathrm{d}x')).toBe('dx');
    expect(L('\\text{loss} = {a}')).toBe('loss = a');
    expect(L('\\mathbf{W} \\mathbf{x}')).toBe('W x');
    expect(L('\\{1, 2\\}')).toBe('{1, 2}');
  });

  it('drops sizing commands and spacing', () => {
    expect(L('\\left( \\frac{a}{b} \\right)')).toBe('( a/b )');
    expect(L('\\left. x \\right|_0')).toBe('x |₀');
    expect(L('a \\, b \\quad c')).toBe('a b c');
    expect(L('\\displaystyle \\sum x')).toBe('Σ x');
  });

  it('batch-norm formulas read naturally', () => {
    expect(L('\\hat{x}_i = \\frac{x_i - \\mu_B}{\\sqrt{\\sigma_B^2 + \\epsilon}}')).toBe(
      'x\u0302ᵢ = (xᵢ - μ_B)/√(σ_B² + ε)',
    );
    expect(L('y_i = \\gamma \\hat{x}_i + \\beta')).toBe('yᵢ = γ x\u0302ᵢ + β');
    expect(L('\\mu_B = \\frac{1}{m}\\sum_{i=1}^{m} x_i')).toBe('μ_B = 1/m Σᵢ₌₁ᵐ xᵢ');
  });

  it('environments become lines or bracketed rows', () => {
    expect(L('\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}')).toBe('(1 0; 0 1)');
    expect(L('|x| = \\begin{cases} x & x \\ge 0 \\\\ -x & \\text{otherwise} \\end{cases}')).toBe(
      '|x| = { x, x ≥ 0; -x, otherwise }',
    );
    expect(L('\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}', { display: true })).toBe('a = b\nc = d');
    expect(L('a \\\\ b')).toBe('a b');
  });

  it('keeps unknown commands visible and never throws', () => {
    expect(L('\\foo{x}')).toBe('\\foox');
    for (const s of ['', '{', '}', '\\', '^', '_', 'x^', '\\frac{a}', '\\sqrt', '\\begin{x}', '$', '{{{']) {
      expect(() => L(s)).not.toThrow();
    }
  });

  it('keeps plain text and numbers unchanged', () => {
    expect(L('0.5')).toBe('0.5');
    expect(L('p = 0.9')).toBe('p = 0.9');
    expect(L('한글 x')).toBe('한글 x');
  });
});
