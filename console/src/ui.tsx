// The console's small building blocks: a labelled field, an error line, a data grid, tabs, a modal
// dialog, and a hook that loads something and reloads it on demand.
import type { ComponentChildren, InputHTMLAttributes, JSX } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { errorText } from './api.js';

export function ErrorLine({ error, id }: { error: unknown; id?: string }): JSX.Element | null {
  if (error === undefined || error === null) return null;
  return <p class="error" role="alert" id={id}>{errorText(error)}</p>;
}

interface FieldProps {
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly type?: 'text' | 'number' | 'password';
  readonly placeholder?: string;
  readonly required?: boolean;
  readonly autoFocus?: boolean;
}

/** A text input with its label. */
export function Field(props: FieldProps): JSX.Element {
  const id = useId();
  // Preact types each input type apart; the union is one of them.
  const typed = { type: props.type ?? 'text' } as InputHTMLAttributes<HTMLInputElement>;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input id={id} {...typed} value={props.value} placeholder={props.placeholder} required={props.required}
        autoFocus={props.autoFocus} autoComplete="off" spellcheck={false}
        onInput={(e) => props.onInput(e.currentTarget.value)} />
    </div>
  );
}

interface SelectProps<T extends string> {
  readonly label: string;
  readonly value: T;
  readonly options: readonly (T | readonly [T, string])[];
  readonly onChange: (value: T) => void;
}

export function Select<T extends string>(props: SelectProps<T>): JSX.Element {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as T)}>
        {props.options.map((o) => {
          const [value, text] = typeof o === 'string' ? [o, o] : o;
          return <option key={value} value={value}>{text}</option>;
        })}
      </select>
    </div>
  );
}

export function Checkbox({ label, checked, onChange }: { label: string; checked: boolean; onChange: (checked: boolean) => void }): JSX.Element {
  return (
    <label class="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} /> {label}
    </label>
  );
}

export interface Column<R> {
  readonly title: string;
  readonly cell: (row: R) => ComponentChildren;
  /** A short type tag shown under the title (S, N, …). */
  readonly tag?: string;
}

/** A table of rows; `label` names it for screen readers. */
export function Grid<R>({ label, columns, rows, rowKey, empty }: { label: string; columns: readonly Column<R>[]; rows: readonly R[]; rowKey: (row: R, i: number) => string; empty?: string }): JSX.Element {
  return (
    <div class="grid-wrap">
      <table class="grid" aria-label={label}>
        <thead>
          <tr>{columns.map((c) => <th scope="col" key={c.title}>{c.title}{c.tag === undefined ? null : <span class="tag">{c.tag}</span>}</th>)}</tr>
        </thead>
        <tbody>
          {rows.length === 0
            ? <tr><td colSpan={Math.max(1, columns.length)} class="muted">{empty ?? 'Nothing to show'}</td></tr>
            : rows.map((row, i) => <tr key={rowKey(row, i)}>{columns.map((c) => <td key={c.title}>{c.cell(row)}</td>)}</tr>)}
        </tbody>
      </table>
    </div>
  );
}

/** Tabs as links (each view has its own address, so the back button and bookmarks work). */
export function TabLinks({ label, tabs, current }: { label: string; tabs: readonly (readonly [string, string, string])[]; current: string }): JSX.Element {
  return (
    <nav class="tabs" aria-label={label}>
      {tabs.map(([key, title, href]) => <a key={key} href={href} aria-current={key === current ? 'page' : undefined}>{title}</a>)}
    </nav>
  );
}

/** A modal dialog (the browser's own: focus is trapped inside, Escape closes it). */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby={titleId} onClose={onClose}>
      <header class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="icon" aria-label="Close" onClick={onClose}>×</button>
      </header>
      {children}
    </dialog>
  );
}

export interface Loaded<T> {
  readonly value: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

/** Runs `load` now and whenever `deps` change or reload() is called; the last answer wins. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ value: T | undefined; error: unknown; loading: boolean }>({ value: undefined, error: undefined, loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => current && setState({ value, error: undefined, loading: false }),
      (error: unknown) => current && setState((s) => ({ value: s.value, error, loading: false })),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { ...state, reload };
}

/** Runs a change the user asked for: its failure kept to show, `after` called when it succeeded. */
export function useAction(after: () => void): { readonly error: unknown; run(work: () => Promise<unknown>): Promise<boolean> } {
  const [error, setError] = useState<unknown>();
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    setError(undefined);
    try {
      await work();
      after();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    }
  };
  return { error, run };
}

/** Calls `tick` every `ms` while mounted (and not when the page is hidden). */
export function useInterval(tick: () => void, ms: number): void {
  const saved = useRef(tick);
  saved.current = tick;
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') saved.current();
    }, ms);
    return () => clearInterval(timer);
  }, [ms]);
}

/** Bytes as B / KB / MB. */
export function bytesText(n: number | undefined): string {
  if (n === undefined) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
