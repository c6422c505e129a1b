// Plan (spec §6): the workspace's plan file to download; its cycles (./plan_cycles.tsx); a plan to upload, whose dry-run diff is
// shown before it is applied, and applied only when the user confirms; forms to add and edit goals
// and KPIs, and (admins) to add teams and people. Editing controls show only to roles that may
// edit (the API still decides, team by team).
import { useState } from 'preact/hooks';
import { api, ApiError, RawBody } from '../api';
import { Field, GeneralError, Options, SubmitRow, trimmedBody, useAddForm, useFormErrors } from '../components/form';
import { fieldValue as show } from '../format';
import { Link } from '../router';
import { mayEditPlan, me } from '../session';
import { CyclesSection } from './plan_cycles';
import { AddPerson, AddTeam, type Choices, EditGoalSection, EditKpiSection, numericKpi, useChoices } from './plan_forms';

interface Change {
  op: 'create' | 'update' | 'delete';
  kind: string;
  id: string;
  fields?: Record<string, { before: unknown; after: unknown }>;
}

interface ChangeSet {
  changes: Change[];
  checkins_added: number;
  comments_added: number;
  reviews_added: number;
  dry_run: boolean;
}


function plural(n: number, one: string, many = one + 's'): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function PlanPage() {
  const who = me.value;
  const edit = !!who && mayEditPlan(who.role);
  const choices = useChoices(edit);
  return (
    <section aria-labelledby="plan-title">
      <h1 id="plan-title">Plan</h1>
      <section aria-labelledby="download-title">
        <h2 id="download-title">The plan file</h2>
        <p>
          The whole workspace (teams, people, cycles, goals, KPIs, check-ins, actions, funnels, experiments, spend, comments and reviews) as one YAML file, to keep in version control
          and apply again with <code>cascade apply</code>.
        </p>
        <p>
          <a href="/api/v1/export?format=yaml" download="cascade-plan.yaml" class="button-link">
            Download the plan (YAML)
          </a>
        </p>
      </section>
      <CyclesSection edit={edit} />
      {edit ? (
        <>
          <Upload onDone={choices.reload} />
          <EditGoalSection choices={choices} />
          <AddGoal choices={choices} />
          <EditKpiSection choices={choices} />
          <AddKpi choices={choices} />
          {who?.role === 'admin' && (
            <>
              <AddTeam choices={choices} />
              <AddPerson choices={choices} />
            </>
          )}
        </>
      ) : (
        <p class="muted">Your role reads the plan; changing it (uploading a plan, adding and editing goals and KPIs) needs a lead or an admin.</p>
      )}
    </section>
  );
}

function Upload(props: { onDone: () => void }) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [preview, setPreview] = useState<ChangeSet | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const errors = useFormErrors('plan', ['text']);

  async function send(dryRun: boolean) {
    setBusy(true);
    setDone('');
    errors.clear();
    try {
      const r = await api<ChangeSet>('POST', `/api/v1/apply?dry_run=${dryRun}`, new RawBody(text, 'application/yaml'));
      if (dryRun) setPreview(r);
      else {
        setPreview(null);
        setDone(`Applied: ${plural(r.changes.length, 'change')}.`);
        setText('');
        setFileName('');
        props.onDone();
      }
    } catch (err) {
      setPreview(null);
      // The plan's errors name its line: they belong beside the plan's text.
      if (err instanceof ApiError && err.status !== 0) errors.show(new ApiError(err.status, err.code, err.message, 'text'));
      else errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="upload-title" class="form-section">
      <h2 id="upload-title">Upload a plan</h2>
      <p class="muted">The changes it would make are shown first; nothing changes until you apply them.</p>
      <form
        class="comment-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void send(true);
        }}
      >
        <GeneralError text={errors.general} />
        <div class="field">
          <label for="plan-file">Plan file</label>
          <input
            id="plan-file"
            type="file"
            accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml"
            onChange={async (e) => {
              const f = (e.target as HTMLInputElement).files?.[0];
              if (!f) return;
              setFileName(f.name);
              setText(await f.text());
              setPreview(null);
              setDone('');
            }}
          />
        </div>
        <Field id="plan-text" label={fileName ? `Plan (from ${fileName})` : 'Plan (or paste it here)'} error={errors.fields.text} grow>
          {(aria) => (
            <textarea
              {...aria}
              rows={8}
              spellcheck={false}
              class="code"
              value={text}
              onInput={(e) => {
                setText((e.target as HTMLTextAreaElement).value);
                setPreview(null);
              }}
            />
          )}
        </Field>
        <button type="submit" disabled={busy || !text.trim()}>
          {busy && !preview ? 'Checking…' : 'Show the changes'}
        </button>
        <p role="status" class="done">
          {done}
        </p>
      </form>
      {preview && (
        <section aria-labelledby="diff-title" class="diff">
          <h3 id="diff-title">
            {preview.changes.length === 0 ? 'The plan changes nothing' : `The plan would make ${plural(preview.changes.length, 'change')}`}
          </h3>
          {(preview.checkins_added > 0 || preview.comments_added > 0 || preview.reviews_added > 0) && (
            <p>
              and add {plural(preview.checkins_added, 'check-in')}, {plural(preview.comments_added, 'comment')}, {plural(preview.reviews_added, 'review')}.
            </p>
          )}
          <ul class="changes-list">
            {preview.changes.map((c) => (
              <li key={`${c.kind}-${c.id}`} class={`op-${c.op}`}>
                <strong>
                  {c.op === 'create' ? '+ create' : c.op === 'delete' ? '− delete' : '~ update'} {c.kind} {c.id}
                </strong>
                {c.fields && (
                  <table class="checkins">
                    <caption class="visually-hidden">
                      Fields of {c.kind} {c.id} that change
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Field</th>
                        <th scope="col">Now</th>
                        <th scope="col">After</th>
                      </tr>
                    </thead>
                    <tbody>
                      {Object.entries(c.fields).map(([k, v]) => (
                        <tr key={k}>
                          <th scope="row">{k}</th>
                          <td>{show(v.before)}</td>
                          <td>{show(v.after)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </li>
            ))}
          </ul>
          {preview.changes.length > 0 && (
            <div class="confirm">
              <button type="button" disabled={busy} onClick={() => void send(false)}>
                {busy ? 'Applying…' : 'Apply these changes'}
              </button>
              <button type="button" class="link" onClick={() => setPreview(null)}>
                Cancel
              </button>
            </div>
          )}
        </section>
      )}
    </section>
  );
}

function AddGoal({ choices }: { choices: Choices }) {
  const empty = { id: '', title: '', level: 'micro', parent: '', owner: me.value?.person ?? '', team: me.value?.team ?? '', start: '', due: '' };
  const form = useAddForm('goal', empty, async (body, g) => {
    await api('POST', '/api/v1/goals', body);
    choices.reload();
    return (
      <>
        Added <Link href={`/goal/${encodeURIComponent(g.id.trim())}`}>{g.title.trim()}</Link>.
      </>
    );
  });
  const { values: g, set, errors } = form;
  return (
    <section aria-labelledby="add-goal-title" class="form-section">
      <h2 id="add-goal-title">Add a goal</h2>
      <form onSubmit={form.onSubmit} noValidate class="checkin-form">
        <GeneralError text={errors.general} />
        <Field id="goal-id" label="Id" error={errors.fields.id}>
          {(aria) => <input {...aria} autoComplete="off" value={g.id} onInput={set('id')} />}
        </Field>
        <Field id="goal-title" label="Title" error={errors.fields.title} grow>
          {(aria) => <input {...aria} value={g.title} onInput={set('title')} />}
        </Field>
        <Field id="goal-level" label="Level" error={errors.fields.level}>
          {(aria) => (
            <select {...aria} value={g.level} onChange={set('level')}>
              <option value="macro">macro</option>
              <option value="micro">micro</option>
            </select>
          )}
        </Field>
        <Field id="goal-parent" label="Parent goal" error={errors.fields.parent}>
          {(aria) => (
            <select {...aria} value={g.parent} onChange={set('parent')}>
              <Options none="None" items={choices.goals} />
            </select>
          )}
        </Field>
        <Field id="goal-owner" label="Owner" error={errors.fields.owner}>
          {(aria) => (
            <select {...aria} value={g.owner} onChange={set('owner')}>
              <Options none="None" items={choices.people} />
            </select>
          )}
        </Field>
        <Field id="goal-team" label="Team" error={errors.fields.team}>
          {(aria) => (
            <select {...aria} value={g.team} onChange={set('team')}>
              <Options none="None" items={choices.teams} />
            </select>
          )}
        </Field>
        <Field id="goal-start" label="Start" error={errors.fields.start}>
          {(aria) => <input {...aria} type="date" value={g.start} onInput={set('start')} />}
        </Field>
        <Field id="goal-due" label="Due" error={errors.fields.due}>
          {(aria) => <input {...aria} type="date" value={g.due} onInput={set('due')} />}
        </Field>
        <SubmitRow busy={form.busy} text="Add goal" busyText="Adding…" done={form.done} />
      </form>
    </section>
  );
}

// Numbers go as numbers; anything else as typed, so that the API's message says why.
function kpiBody(values: Record<string, string>): Record<string, unknown> {
  const body = trimmedBody(values);
  for (const [f, v] of Object.entries(body)) {
    if (numericKpi.has(f) && Number.isFinite(Number(v))) body[f] = Number(v);
  }
  return body;
}

function AddKpi({ choices }: { choices: Choices }) {
  const empty = { id: '', goal: '', name: '', unit: '', kind: 'level', baseline: '', target: '', cadence_days: '' };
  const form = useAddForm(
    'kpi',
    empty,
    async (body, k) => {
      await api('POST', '/api/v1/kpis', body);
      choices.reload();
      return `Added KPI ${k.name.trim() || k.id.trim()}.`;
    },
    kpiBody,
  );
  const { values: k, set, errors } = form;
  return (
    <section aria-labelledby="add-kpi-title" class="form-section">
      <h2 id="add-kpi-title">Add a KPI</h2>
      <form onSubmit={form.onSubmit} noValidate class="checkin-form">
        <GeneralError text={errors.general} />
        <Field id="kpi-id" label="KPI id" error={errors.fields.id}>
          {(aria) => <input {...aria} autoComplete="off" value={k.id} onInput={set('id')} />}
        </Field>
        <Field id="kpi-goal" label="Goal measured" error={errors.fields.goal}>
          {(aria) => (
            <select {...aria} value={k.goal} onChange={set('goal')}>
              <Options none="Choose a goal" items={choices.goals} />
            </select>
          )}
        </Field>
        <Field id="kpi-name" label="Name" error={errors.fields.name} grow>
          {(aria) => <input {...aria} value={k.name} onInput={set('name')} />}
        </Field>
        <Field id="kpi-unit" label="Unit" error={errors.fields.unit}>
          {(aria) => <input {...aria} value={k.unit} onInput={set('unit')} />}
        </Field>
        <Field id="kpi-kind" label="Kind" error={errors.fields.kind}>
          {(aria) => (
            <select {...aria} value={k.kind} onChange={set('kind')}>
              {['level', 'cumulative', 'milestone', 'threshold'].map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="kpi-baseline" label="Baseline" error={errors.fields.baseline}>
          {(aria) => <input {...aria} inputMode="decimal" value={k.baseline} onInput={set('baseline')} />}
        </Field>
        <Field id="kpi-target" label="Target" error={errors.fields.target}>
          {(aria) => <input {...aria} inputMode="decimal" value={k.target} onInput={set('target')} />}
        </Field>
        <Field id="kpi-cadence_days" label="Check in every (days)" error={errors.fields.cadence_days}>
          {(aria) => <input {...aria} inputMode="numeric" value={k.cadence_days} onInput={set('cadence_days')} />}
        </Field>
        <SubmitRow busy={form.busy} text="Add KPI" busyText="Adding…" done={form.done} />
      </form>
    </section>
  );
}
