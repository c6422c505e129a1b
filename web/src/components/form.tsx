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
