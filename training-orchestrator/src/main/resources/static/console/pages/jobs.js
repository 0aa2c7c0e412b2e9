import {blobUrl, get, post} from '../api.js';
import {lossCurve} from '../chart.js';
import {confirmAction} from '../confirm.js';
import {alert, duration, facts, h, number, table, time} from '../dom.js';

const POLL_MS = 1000;
const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** A starting spec per kind for the submit form; the server validates whatever the user makes of it. */
const TEMPLATES = {
  EVALUATE: {model: 'text-to-image/name/v1'},
  T2I_FINETUNE: {corpusId: 'corpus-id', captioner: 'captioner/name/v1', captionMix: 'mix', preset: 'smoke'},
  CAPTIONER_FINETUNE: {humanSet: 'shapes-human-100', preset: 'smoke'},
  RELABEL: {corpusId: 'corpus-id', captioner: 'captioner/name/v1'},
};

/** Polls while the page is shown; returns the function that stops it. */
function poll(refresh) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    const again = await refresh();
    if (again && !stopped) timer = setTimeout(tick, POLL_MS);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function progress(job) {
  const p = job.progress || {};
  if (p.total === undefined) return '';
  return h('span', {class: 'progress'},
    h('progress', {max: p.total, value: p.done ?? 0, 'aria-hidden': 'true'}), ` ${p.done ?? 0} / ${p.total}`);
}

function state(job) {
  return h('span', {class: `state state-${job.state.toLowerCase()}`}, job.state);
}

export function jobsPage(main) {
  const list = h('div', {id: 'jobs-list', 'aria-busy': 'true'});
  main.append(h('h1', {}, 'Jobs'), list, h('h2', {}, 'Submit a job'), submitForm());
  let shown = null;
  return poll(async () => {
    try {
      const jobs = await get('/jobs?limit=100');
      const text = JSON.stringify(jobs);
      if (text === shown) return true;
      shown = text;
      replaceKeepingFocus(list, jobs.length === 0 ? h('p', {}, 'No jobs yet.') : table(null,
        ['Job', 'Kind', 'State', 'Progress', 'Rate (steps/s)', 'ETA', 'Submitted'], jobs.map(job => [
          h('a', {href: `#/jobs/${encodeURIComponent(job.jobId)}`}, job.jobId), job.kind, state(job),
          progress(job), number(job.progress?.rate), FINISHED.has(job.state) ? '' : duration(job.progress?.etaSeconds),
          time(job.createdAt)]), {id: 'jobs'}));
      list.setAttribute('aria-busy', 'false');
      return true;
    } catch (error) {
      list.replaceChildren(alert(error.message));
      return false;
    }
  });
}

/** Replaces a live region's content; a link that had focus gets it back, so polling does not lose the user's place. */
function replaceKeepingFocus(region, content) {
  const focused = region.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
  region.replaceChildren(content);
  if (focused) region.querySelector(`a[href="${CSS.escape(focused)}"]`)?.focus();
}

function submitForm() {
  const kind = h('select', {id: 'job-kind'}, Object.keys(TEMPLATES).map(k => h('option', {value: k}, k)));
  const spec = h('textarea', {id: 'job-spec', rows: 6, cols: 60, spellcheck: 'false'});
  const priority = h('input', {id: 'job-priority', type: 'number', value: 0, min: -1000, max: 1000});
  const params = h('textarea', {id: 'job-params', rows: 3, cols: 60, spellcheck: 'false'}, '{}');
  const status = h('div', {id: 'submit-status', 'aria-live': 'polite'});
  const fillTemplate = () => { spec.value = JSON.stringify(TEMPLATES[kind.value], null, 2); };
  kind.addEventListener('change', fillTemplate);
  fillTemplate();
  const form = h('form', {id: 'submit-job', class: 'stack'},
    h('label', {for: 'job-kind'}, 'Kind'), kind,
    h('label', {for: 'job-spec'}, 'Spec (JSON)'), spec,
    h('label', {for: 'job-priority'}, 'Priority (higher runs first)'), priority,
    h('label', {for: 'job-params'}, 'Trainer parameters (JSON, optional)'), params,
    h('button', {type: 'submit'}, 'Submit'), status);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    status.replaceChildren();
    let body;
    try {
      body = {kind: kind.value, spec: JSON.parse(spec.value), priority: Number(priority.value),
        params: JSON.parse(params.value || '{}')};
    } catch (error) {
      status.append(alert(`Not JSON: ${error.message}`));
      return;
    }
    try {
      const job = await post('/jobs', body);
      location.hash = `#/jobs/${encodeURIComponent(job.jobId)}`;
    } catch (error) {
      const field = error.problem?.field;
      status.append(alert(field ? `${field}: ${error.message}` : error.message));
    }
  });
  return form;
}

export function jobPage(main, jobId) {
  const body = h('div', {id: 'job'});
  main.append(h('p', {class: 'crumbs'}, h('a', {href: '#/jobs'}, 'Jobs'), ' / ', jobId), h('h1', {}, `Job ${jobId}`),
    body);
  const path = `/jobs/${encodeURIComponent(jobId)}`;
  const cancel = h('button', {type: 'button', id: 'cancel-job', class: 'danger'}, 'Cancel job');
  const status = h('div', {'aria-live': 'polite'});
  cancel.addEventListener('click', async () => {
    if (!await confirmAction(`Cancel job ${jobId}? A running attempt is stopped.`, 'Cancel job')) return;
    try {
      await post(`${path}/cancel`);
    } catch (error) {
      status.replaceChildren(alert(error.message));
    }
  });
  const live = h('div', {'aria-live': 'off'});
  const gallery = jobImages(path);
  body.append(h('div', {class: 'buttons'}, cancel), status, live, h('h2', {}, 'Sample grids'), gallery.element);
  const stop = poll(async () => {
    let job;
    let losses;
    try {
      [job, losses] = await Promise.all([get(path), get(`${path}/losses`), gallery.refresh()]);
    } catch (error) {
      live.replaceChildren(alert(error.message));
      return false;
    }
    const finished = FINISHED.has(job.state);
    cancel.hidden = finished;
    const p = job.progress || {};
    live.replaceChildren(
      facts([
        ['Kind', job.kind], ['State', state(job)], ['Progress', progress(job)],
        ['Rate', p.rate === undefined ? '' : `${number(p.rate)} steps/s`],
        ['ETA', finished ? '' : duration(p.etaSeconds)], ['Loss', number(p.loss)],
        ['Pool', job.pool], ['Executor', job.executor], ['Priority', String(job.priority)],
        ['Attempt', `${job.attempt} of ${job.maxAttempts}`], ['Failure', job.failureReason],
        ['Submitted', time(job.createdAt)], ['Started', time(job.startedAt)], ['Finished', time(job.finishedAt)],
        ['Snapshot', job.snapshotId],
        ['Last checkpoint', job.lastCheckpoint ? `step ${job.lastCheckpoint.step}: ${job.lastCheckpoint.path}` : ''],
      ], {id: 'job-facts'}),
      h('h2', {}, 'Loss'), lossCurve(losses),
      h('h2', {}, 'Spec'), h('pre', {id: 'job-spec-view'}, JSON.stringify(job.spec, null, 2)),
      h('h2', {}, 'Attempts'), (job.attempts || []).length === 0 ? h('p', {}, 'Not started yet.')
        : table(null, ['Attempt', 'Executor', 'Resumed from step', 'Started', 'Finished', 'Outcome', 'Reason'],
          job.attempts.map(a => [String(a.attempt), a.executor, a.resumedFromStep ?? '', time(a.startedAt),
            time(a.finishedAt), a.outcome ?? 'running', a.reason ?? '']), {id: 'attempts'}),
      h('h2', {}, 'Metrics'), Object.keys(job.metrics || {}).length === 0 ? h('p', {}, 'None reported yet.')
        : table(null, ['Metric', 'Value', 'Step'], Object.entries(job.metrics).map(([name, m]) =>
          [name, number(m.value, 4), m.step ?? 'run']), {id: 'metrics'}),
      h('h2', {}, 'Log'), h('pre', {id: 'log-tail', class: 'log'}, (job.logTail || []).join('\n')));
    body.dataset.jobState = job.state;
    return !finished;
  });
  return () => {
    stop();
    gallery.release();
  };
}

/** The PNGs the job wrote (sample grids by step, the final grid, the trainer's loss curve), loaded as they appear. */
function jobImages(path) {
  const element = h('div', {id: 'job-images', class: 'job-images'}, h('p', {class: 'hint'}, 'None written yet.'));
  const urls = new Map();
  async function refresh() {
    const names = await get(`${path}/images`);
    const fresh = names.filter(name => !urls.has(name));
    if (fresh.length === 0) return;
    await Promise.all(fresh.map(async name =>
      urls.set(name, await blobUrl(`${path}/images/${encodeURIComponent(name)}`))));
    element.replaceChildren(...names.map(name => h('figure', {'data-name': name},
      h('img', {src: urls.get(name), alt: label(name)}), h('figcaption', {}, label(name)))));
  }
  const label = name => {
    const step = /^samples-step-0*(\d+)\.png$/.exec(name);
    if (step) return `samples at step ${step[1]}`;
    return {'samples-final.png': 'final samples', 'loss-curve.png': "the trainer's loss curve"}[name] || name;
  };
  return {element, refresh, release: () => urls.forEach(URL.revokeObjectURL)};
}
