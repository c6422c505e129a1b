// What every form does with the API's refusals: the message next to the field it names (with
// aria-invalid and aria-describedby on that control, and focus moved to it), else above the form.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api';

export interface FormErrors {
  fields: Record<string, string>;
  general: string;
  clear: () => void;
  // Shows `err` beside its field (the control with id `${prefix}-${field}`) when the form has one.
  show: (err: unknown) => void;
}

export function useFormErrors(prefix: string, fields: string[]): FormErrors {
  const [state, setState] = useState<{ fields: Record<string, string>; general: string }>({ fields: {}, general: '' });
  return {
    ...state,
    clear: () => setState({ fields: {}, general: '' }),
    show: (err: unknown) => {
      if (err instanceof ApiError) {
        const f = err.field?.replace(/^.*\./, '') ?? null;
        if (f && fields.includes(f)) {
          setState({ fields: { [f]: err.message }, general: '' });
          setTimeout(() => document.getElementById(`${prefix}-${f}`)?.focus(), 0);
          return;
        }
        setState({ fields: {}, general: err.message });
      } else setState({ fields: {}, general: String(err) });
    },
  };
}

// A labelled control with its error beneath: `children` receives the props the control needs.
export function Field(props: {
  id: string;
  label: string;
  error?: string;
  grow?: boolean;
  children: (aria: Record<string, unknown>) => ComponentChildren;
}) {
  const aria: Record<string, unknown> = { id: props.id };
  if (props.error) {
    aria['aria-invalid'] = true;
    aria['aria-describedby'] = `${props.id}-error`;
  }
  return (
    <div class={props.grow ? 'field grow' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.children(aria)}
      {props.error && (
        <p id={`${props.id}-error`} class="field-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

export function GeneralError({ text }: { text: string }) {
  return text ? (
    <p class="error" role="alert">
      {text}
    </p>
  ) : null;
}

// The text of the input, select or textarea an event came from.
export const inputValue = (e: Event) => (e.target as HTMLInputElement).value;

// The fields typed, trimmed, those left empty out: the body of a new entity.
export function trimmedBody(values: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (v.trim()) body[k] = v.trim();
  return body;
}

export interface Submit {
  busy: boolean;
  done: ComponentChildren;
  errors: FormErrors;
  onSubmit: (e: Event) => Promise<void>;
}

// What every form does when sent: says it is busy, forgets the last outcome, runs `send` (which
// says what it did, for the form's status line); a refusal goes beside the field it names
// (useFormErrors, with the control ids `${prefix}-${field}`).
export function useSubmit(prefix: string, fields: string[], send: () => Promise<ComponentChildren>): Submit {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ComponentChildren>(null);
  const errors = useFormErrors(prefix, fields);
  return {
    busy,
    done,
    errors,
    onSubmit: async (e) => {
      e.preventDefault();
      setBusy(true);
      setDone(null);
      errors.clear();
      try {
        setDone(await send());
      } catch (err) {
        errors.show(err);
      } finally {
        setBusy(false);
      }
    },
  };
}

export interface AddForm<F extends Record<string, string>> extends Submit {
  values: F;
  set: (field: keyof F) => (e: Event) => void;
}

// What every "Add a …" form does: keeps the fields as typed, sends `toBody(values)` through
// `send` (useSubmit), then empties the form but for the fields in `keep` (a date, a team: what the
// next entry most likely shares).
export function useAddForm<F extends Record<string, string>>(
  prefix: string,
  empty: F,
  send: (body: Record<string, unknown>, values: F) => Promise<ComponentChildren>,
  toBody: (values: F) => Record<string, unknown> = trimmedBody,
  keep: (keyof F)[] = [],
): AddForm<F> {
  const [values, setValues] = useState(empty);
  const submit = useSubmit(prefix, Object.keys(empty), async () => {
    const done = await send(toBody(values), values);
    const next = { ...empty };
    for (const k of keep) next[k] = values[k];
    setValues(next);
    return done;
  });
  return {
    ...submit,
    values,
    set: (field) => (e) => setValues({ ...values, [field]: inputValue(e) }),
  };
}

// A form's submit button (saying `busyText` while it sends) and the status line under it.
export function SubmitRow(props: { busy: boolean; text: string; busyText: string; done: ComponentChildren }) {
  return (
    <>
      <div class="actions-row">
        <button type="submit" disabled={props.busy}>
          {props.busy ? props.busyText : props.text}
        </button>
      </div>
      <p role="status" class="done">
        {props.done}
      </p>
    </>
  );
}

// The options of a select of entities (people, teams, goals, cycles), by name, title or id; with
// `none`, a first option of value "" saying so.
export function Options(props: { none?: string; items: { id: string; name?: string; title?: string }[] }) {
  return (
    <>
      {props.none !== undefined && <option value="">{props.none}</option>}
      {props.items.map((x) => (
        <option key={x.id} value={x.id}>
          {x.title || x.name || x.id}
        </option>
      ))}
    </>
  );
}
