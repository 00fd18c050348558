// Review: question, reveal, grade 1–4 (with each grade's next interval), undo, scroll, wait for
// learning cards. The core commits every answer before answer() returns; this screen only asks
// what is next and shows it.
import { Box } from 'ink';
import { useEffect, useRef } from 'react';
import { renderMarkdown } from '../../core/text/markdown.js';
import { lineWidth, seg, truncateLine, type Line } from '../../core/text/styled.js';
import { CardState, GRADE_NAMES, type CardView, type Grade, type IntervalPreview, type SessionSummary } from '../../core/types.js';
import type { ReviewSession } from '../../core/collection.js';
import { footerLines } from '../components/Footer.js';
import { StyledLine, StyledLines } from '../components/StyledLine.js';
import { checkAnswer, exerciseAnswerLines, exerciseInputLine, exerciseQuestionLines, exerciseRecord, prepareExercise, randomSeed } from '../exercise.js';
import { useKeys, useLiveReducer } from '../hooks.js';
import { commandFor, type KeyContext } from '../keys.js';
import {
  answerDuration,
  initialReviewState,
  reviewReducer,
  type Counts,
  type ReviewState,
  type Snapshot,
} from '../state/review.js';

/** The part of ReviewSession this screen uses (so tests can hand in a fake). */
export type SessionLike = Pick<
  ReviewSession,
  'next' | 'counts' | 'preview' | 'answer' | 'suspend' | 'undo' | 'canUndo' | 'summary'
>;

export interface ReviewProps {
  session: SessionLike;
  /** Seeds for exercise draws (random by default; fixed in tests). */
  seed?: () => number;
  title: string;
  width: number;
  height: number;
  now: () => Date;
  /** How often to look for learning cards that came due while waiting. */
  pollMs?: number;
  /** The session ended (q, or nothing left after answering): show the summary. */
  onEnd: (summary: SessionSummary, answered: number) => void;
  onHome: () => void;
  onQuit: () => void;
}

export function takeSnapshot(session: SessionLike, now: Date, seed: () => number = randomSeed): Snapshot {
  // One build of today's queue gives the card, the counts and the wait.
  const { card, counts, waitUntil } = session.next(now);
  const exercise = card?.kind === 'exercise' ? prepareExercise(card, seed()) : null;
  return { card, counts, waitUntil, exercise };
}

const GRADE_TONES = { 1: 'again', 2: 'hard', 3: 'good', 4: 'easy' } as const;

export function countsLine(c: Counts, current?: CardView | null): Line {
  const part = (label: string, n: number, tone: 'new' | 'learning' | 'review', active: boolean): Line => [
    seg(label + ' ', { tone: 'muted' }),
    seg(String(n), { tone: n === 0 ? 'muted' : tone, bold: active, underline: active }),
  ];
  const st = current?.state;
  return [
    ...part('new', c.new, 'new', st === CardState.New),
    seg(' · ', { tone: 'muted' }),
    ...part('learning', c.learning, 'learning', st === CardState.Learning || st === CardState.Relearning),
    seg(' · ', { tone: 'muted' }),
    ...part('review', c.review, 'review', st === CardState.Review),
  ];
}

/**
 * `1 Again 1m   2 Hard 6m   3 Good 10m   4 Easy 5d`, shortened when the line is narrow; a suggested
 * grade (exercises) is drawn inverted.
 */
export function gradeBar(previews: IntervalPreview[], width: number, suggested?: Grade): Line {
  const grades: Grade[] = [1, 2, 3, 4];
  const label = (g: Grade) => previews.find((p) => p.grade === g)?.label ?? '';
  const build = (withNames: boolean, gap: string): Line =>
    grades.flatMap((g, i) => [
      ...(i ? [seg(gap)] : []),
      seg(String(g), { bold: true, inverse: g === suggested }),
      ...(withNames ? [seg(' ' + GRADE_NAMES[g], { tone: GRADE_TONES[g], bold: true })] : []),
      seg(' ' + label(g), withNames ? { tone: 'muted' } : { tone: GRADE_TONES[g], bold: true }),
    ]);
  for (const line of [build(true, '   '), build(true, '  '), build(false, '   ')]) {
    if (lineWidth(line) <= width) return line;
  }
  return truncateLine(build(false, ' '), width);
}

function stateLabel(card: CardView): Line {
  switch (card.state) {
    case CardState.New:
      return [seg('new', { tone: 'new' })];
    case CardState.Learning:
      return [seg('learning', { tone: 'learning' })];
    case CardState.Relearning:
      return [seg('relearning', { tone: 'learning' })];
    default:
      return [seg('review', { tone: 'review' })];
  }
}

function hhmm(d: Date): string {
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function fromNow(ms: number): string {
  if (ms <= 0) return 'now';
  const min = Math.ceil(ms / 60_000);
  return min < 60 ? `in ${min} min` : `in ${Math.floor(min / 60)} h ${min % 60} min`;
}

/** Markdown of a card side; exercises and empty sides get a readable stand-in. */
function sideLines(card: CardView, side: 'front' | 'back', width: number): Line[] {
  const md = side === 'front' ? card.front : card.back;
  if (!md.trim()) return side === 'front' ? [[seg('(empty question)', { tone: 'muted' })]] : [];
  return renderMarkdown(md, width);
}

interface Layout {
  front: Line[];
  back: Line[];
  content: Line[];
  viewHeight: number;
  scrollable: boolean;
  maxScroll: number;
  footer: Line[];
  ctx: KeyContext;
}

const linesCache = new Map<string, Line[]>();
function cachedSide(card: CardView, side: 'front' | 'back', width: number): Line[] {
  const k = `${card.cardId}|${side}|${width}|${side === 'front' ? card.front : card.back}`;
  let v = linesCache.get(k);
  if (!v) {
    if (linesCache.size > 200) linesCache.clear();
    v = sideLines(card, side, width);
    linesCache.set(k, v);
  }
  return v;
}

/** Where everything goes for a state at a size: the one place that knows the screen's geometry. */
export function reviewLayout(state: ReviewState, width: number, height: number, canUndo: boolean): Layout {
  const { card, phase } = state;
  const ex = card?.kind === 'exercise' ? state.exercise : null;
  let front: Line[];
  let back: Line[];
  if (card && ex) {
    front = exerciseQuestionLines(ex, card, width, Math.max(5, Math.min(10, Math.floor(height / 3))));
    back = exerciseAnswerLines(ex, state.check, state.given, width);
  } else {
    front = card ? cachedSide(card, 'front', width) : [];
    back = card ? cachedSide(card, 'back', width) : [];
  }
  const divider: Line = [seg('─'.repeat(width), { tone: 'muted' })];
  const content = phase === 'answer' ? [...front, divider, ...back] : front;
  const typing = !!ex?.instance;
  const ctx: KeyContext = typing && phase === 'question' ? 'exercise' : typing && phase === 'answer' ? 'exerciseAnswer' : phase;
  // The footer is measured as if scrolling were possible, so its height does not jump.
  const footerState = { canUndo, inputEmpty: state.input === '', hasSuggestion: !!state.check };
  const footerFull = footerLines(ctx, { ...footerState, scrollable: true }, width);
  const headerHeight = 3;
  // The grade bar (answer) or the exercise's input line (typing) sits under the content.
  const barHeight = phase === 'answer' || ctx === 'exercise' ? 1 : 0;
  const viewHeight = Math.max(1, height - headerHeight - 1 - barHeight - footerFull.length);
  const scrollable = content.length > viewHeight;
  const footer = footerLines(ctx, { ...footerState, scrollable }, width);
  const maxScroll = Math.max(0, content.length - viewHeight);
  return { front, back, content, viewHeight, scrollable, maxScroll, footer, ctx };
}

export function Review({ session, title, width, height, now, seed = randomSeed, pollMs = 5000, onEnd, onHome, onQuit }: ReviewProps) {
  const [state, dispatch, live] = useLiveReducer(reviewReducer, (): ReviewState => {
    const t = now();
    return reviewReducer(initialReviewState(), { type: 'NEXT', snapshot: takeSnapshot(session, t, seed), at: t.getTime() });
  });
  const { card, phase } = state;
  const canUndo = session.canUndo();
  const lay = reviewLayout(state, width, height, canUndo);
  const { content, viewHeight, scrollable, maxScroll, footer } = lay;
  const scroll = Math.min(state.scroll, maxScroll);

  // --- effects ------------------------------------------------------------------------------
  const ended = useRef(false);
  const end = () => {
    if (ended.current) return;
    ended.current = true;
    onEnd(session.summary(now()), live.current.answered);
  };

  // Everything answered: straight to the summary.
  useEffect(() => {
    if (phase === 'empty' && state.answered > 0) end();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [phase, state.answered]);

  // Waiting for learning cards: look again every few seconds.
  useEffect(() => {
    if (phase !== 'waiting') return;
    const timer = setInterval(() => {
      const t = now();
      try {
        dispatch({ type: 'NEXT', snapshot: takeSnapshot(session, t, seed), at: t.getTime() });
      } catch (e) {
        dispatch({ type: 'ERROR', message: (e as Error).message });
      }
    }, pollMs);
    return () => clearInterval(timer);
  }, [phase, pollMs, session, now, seed, dispatch]);

  // --- keys ---------------------------------------------------------------------------------
  // Read the live state, not this render's: keys may come faster than frames.
  useKeys((input, key) => {
    if (ended.current) return;
    const cur = live.current;
    const lay = reviewLayout(cur, width, height, session.canUndo());
    const cmd = commandFor(lay.ctx, input, key);
    if (!cmd) return;
    /** Scroll that brings the answer into view when the question fills the screen. */
    const revealScroll = (revealedState: ReviewState): number => {
      const revealed = reviewLayout(revealedState, width, height, session.canUndo());
      const answerStart = lay.front.length + 1;
      let target = Math.min(cur.scroll, revealed.maxScroll);
      if (revealed.back.length > 0 && answerStart >= target + revealed.viewHeight - 1) {
        target = Math.min(revealed.maxScroll, Math.max(0, answerStart - 1));
      }
      return target;
    };
    const grade = (g: Grade) => {
      if (!cur.card || cur.phase !== 'answer') return;
      const t = now();
      const record = cur.card.kind === 'exercise' ? exerciseRecord(cur.exercise, cur.given, cur.check) : undefined;
      session.answer(cur.card.cardId, g, t, answerDuration(cur.shownAt, t.getTime()), record);
      dispatch({ type: 'GRADE', snapshot: takeSnapshot(session, t, seed), at: t.getTime() });
    };
    try {
      switch (cmd) {
        case 'reveal': {
          if (!cur.card) return;
          const previews = session.preview(cur.card.cardId, now());
          dispatch({ type: 'SHOW_ANSWER', previews, scroll: revealScroll({ ...cur, phase: 'answer' }) });
          break;
        }
        case 'type':
          dispatch({ type: 'TYPE', text: input });
          break;
        case 'erase':
          dispatch({ type: 'ERASE' });
          break;
        case 'skip':
        case 'submit': {
          const inst = cur.exercise?.instance;
          if (!cur.card || !inst) return;
          let check = null;
          // Esc, or Enter on an empty line: show the solution and leave the grade to the person.
          if (cmd === 'submit' && cur.input.trim() !== '') {
            check = checkAnswer(inst, cur.input);
            if (check.error) {
              dispatch({ type: 'ERROR', message: `${check.error} — or Esc to see the solution.` });
              return;
            }
          }
          const previews = session.preview(cur.card.cardId, now());
          const checked: ReviewState = { ...cur, phase: 'answer', check, given: check ? cur.input : '' };
          dispatch({ type: 'CHECK', check, previews, scroll: revealScroll(checked) });
          break;
        }
        case 'gradeSuggested':
          if (cur.check) grade(cur.check.correct ? 3 : 1);
          break;
        case 'grade1':
        case 'grade2':
        case 'grade3':
        case 'grade4':
          grade(Number(cmd.slice(5)) as Grade);
          break;
        case 'suspend': {
          if (!cur.card) return;
          const t = now();
          session.suspend(cur.card.cardId);
          dispatch({ type: 'SUSPEND', snapshot: takeSnapshot(session, t, seed), at: t.getTime() });
          break;
        }
        case 'undo': {
          // In an exercise answer already being typed, u is text.
          if (lay.ctx === 'exercise' && cur.input !== '') {
            dispatch({ type: 'TYPE', text: input });
            break;
          }
          if (!session.canUndo()) return;
          const t = now();
          const restored = session.undo(t);
          if (restored) {
            // The same draw comes back: the seed it was shown with was logged with the answer.
            const exercise = restored.kind === 'exercise' ? prepareExercise(restored, restored.exerciseSeed ?? seed()) : null;
            dispatch({ type: 'UNDO', card: restored, counts: session.counts(t), at: t.getTime(), exercise });
          } else dispatch({ type: 'ERROR', message: 'Nothing to undo.' });
          break;
        }
        case 'scrollUp':
          dispatch({ type: 'SCROLL', delta: -1, max: lay.maxScroll });
          break;
        case 'scrollDown':
          dispatch({ type: 'SCROLL', delta: 1, max: lay.maxScroll });
          break;
        case 'pageUp':
          dispatch({ type: 'SCROLL', delta: -Math.max(1, lay.viewHeight - 1), max: lay.maxScroll });
          break;
        case 'pageDown':
          dispatch({ type: 'SCROLL', delta: Math.max(1, lay.viewHeight - 1), max: lay.maxScroll });
          break;
        case 'endSession':
          end();
          break;
        case 'home':
          if (cur.answered > 0) end();
          else onHome();
          break;
        case 'quit':
          onQuit();
          break;
      }
    } catch (e) {
      dispatch({ type: 'ERROR', message: `Could not do that: ${(e as Error).message}` });
    }
  });

  // --- drawing ------------------------------------------------------------------------------
  const countsL = countsLine(state.counts, card);
  const titleRoom = Math.max(4, width - lineWidth(countsL) - 2);
  const titleL = truncateLine([seg(card?.deckName ?? title, { tone: 'accent', bold: true })], titleRoom);
  const headerLine: Line =
    lineWidth(titleL) + 2 + lineWidth(countsL) <= width
      ? [...titleL, seg(' '.repeat(width - lineWidth(titleL) - lineWidth(countsL))), ...countsL]
      : truncateLine(countsL, width);
  let subLine: Line = [];
  if (card) {
    const where = card.file ? `${card.file.split('/').slice(-2).join('/')}:${card.line}` : '';
    // A leech (forgotten LEECH_LAPSES times) says so: more reviews rarely help; rewrite or suspend it.
    const leech = card.leech ? [seg(`  leech: forgotten ${card.lapses}×, rewrite or suspend (s)`, { tone: 'again' as const, bold: true })] : [];
    subLine = truncateLine([...stateLabel(card), seg(where ? '  ' + where : '', { tone: 'muted' }), ...leech], width);
  }

  let body: Line[];
  if (phase === 'waiting' && state.waitUntil) {
    const t = now();
    body = [
      [seg('Learning cards are due at ', {}), seg(hhmm(state.waitUntil), { tone: 'learning', bold: true }), seg(` (${fromNow(state.waitUntil.getTime() - t.getTime())}).`)],
      [],
      [seg('Wait here — the next card appears by itself — or press q to end the session.', { tone: 'muted' })],
    ].flatMap((l) => (l.length ? [truncateLine(l, width)] : [l]));
  } else if (phase === 'empty') {
    body = [
      [seg('Nothing to review right now', { bold: true }), seg(` in ${title}.`)],
      [],
      [seg('New cards and reviews for today are done, or not yet due. Come back later.', { tone: 'muted' })],
    ].map((l) => truncateLine(l, width));
  } else {
    body = content.slice(scroll, scroll + viewHeight);
  }
  while (body.length < viewHeight) body.push([]);
  body = body.slice(0, viewHeight);

  const suggested: Grade | undefined =
    card?.kind === 'exercise' && state.check ? (state.check.correct ? 3 : 1) : undefined;
  let status: Line = [];
  if (state.notice) {
    status = [seg(state.notice.text, { tone: state.notice.kind === 'error' ? 'error' : 'accent', bold: true })];
  } else if (scrollable && (phase === 'question' || phase === 'answer')) {
    const last = Math.min(content.length, scroll + viewHeight);
    const more = content.length - last;
    status = [seg(`lines ${scroll + 1}–${last} of ${content.length}` + (more > 0 ? ` · ↓ ${more} more` : ''), { tone: 'muted' })];
  }

  return (
    <Box flexDirection="column" height={height} width={width}>
      <StyledLine line={headerLine} />
      <StyledLine line={subLine} />
      <StyledLine line={[]} />
      <StyledLines lines={body} />
      <StyledLine line={truncateLine(status, width)} />
      {phase === 'answer' ? <StyledLine line={gradeBar(state.previews, width, suggested)} /> : null}
      {lay.ctx === 'exercise' && state.exercise ? <StyledLine line={exerciseInputLine(state.exercise, state.input, width)} /> : null}
      <Box flexGrow={1} />
      <StyledLines lines={footer} />
    </Box>
  );
}
