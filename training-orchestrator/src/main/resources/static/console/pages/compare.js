import {get, modelPath} from '../api.js';
import {alert, h, number, s, table} from '../dom.js';

/**
 * Text-to-image models evaluated alike, side by side: each one's metrics, and each one's paired 95 % interval of
 * its difference from the baseline per category (GET /models/comparison), drawn as a bar around zero. The choice
 * lives in the URL (#/compare?baseline=…&models=…) so that a comparison can be linked.
 */
export async function comparePage(main, query) {
  main.append(h('p', {class: 'crumbs'}, h('a', {href: '#/models'}, 'Models'), ' / compare'),
    h('h1', {}, 'Compare text-to-image models'));
  let models;
  try {
    models = await get('/models?kind=text-to-image');
  } catch (error) {
    main.append(alert(error.message));
    return;
  }
  const refs = models.map(m => modelPath(m.model));
  if (refs.length < 2) {
    main.append(h('p', {}, 'Comparing needs two text-to-image models with evaluations.'));
    return;
  }
  const params = new URLSearchParams(query || '');
  const chosen = (params.get('models') || '').split(',').filter(Boolean);
  const baseline = h('select', {id: 'baseline'}, refs.map(ref =>
    h('option', {value: ref, selected: ref === params.get('baseline')}, ref)));
  const boxes = refs.map((ref, i) => h('label', {class: 'check'},
    h('input', {type: 'checkbox', value: ref, id: `compare-${i}`, checked: chosen.includes(ref)}), ` ${ref}`));
  const form = h('form', {id: 'compare-form', class: 'stack'},
    h('label', {for: 'baseline'}, 'Baseline (e.g. the alt-text fine-tune)'), baseline,
    h('fieldset', {}, h('legend', {}, 'Compared with'), boxes),
    h('button', {type: 'submit'}, 'Compare'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const others = boxes.map(label => label.querySelector('input'))
      .filter(box => box.checked && box.value !== baseline.value).map(box => box.value);
    location.hash = `#/compare?${new URLSearchParams({baseline: baseline.value, models: others.join(',')})}`;
  });
  const result = h('div', {id: 'comparison', 'aria-live': 'polite'});
  main.append(form, result);
  const others = chosen.filter(ref => ref !== params.get('baseline'));
  if (params.get('baseline') && others.length > 0) {
    try {
      show(result, await get(`/models/comparison?${new URLSearchParams({baseline: params.get('baseline'),
        models: others.join(',')})}`));
    } catch (error) {
      result.append(alert(`Not compared: ${error.message}`));
    }
  }
}

function show(result, comparison) {
  const entries = comparison.models;
  const names = [...new Set(entries.flatMap(entry => Object.keys(entry.metrics)))];
  const settings = comparison.settings;
  result.append(
    h('p', {class: 'hint'}, `Same ${settings.prompts} prompts × ${settings.imagesPerPrompt} images, ` +
      `${settings.samplingSteps} sampling steps, guidance ${settings.guidance}, seed ${settings.seed}.`),
    h('h2', {}, 'Metrics'),
    table(null, ['Metric', ...entries.map(entry => modelPath(entry.model))],
      names.map(name => [name, ...entries.map(entry => number(entry.metrics[name], 4))]), {id: 'comparison-metrics'}),
    h('h2', {}, `Difference from ${modelPath(comparison.baseline)}, with paired 95 % intervals`));
  for (const entry of entries.slice(1)) {
    const rows = Object.entries(entry.differences);
    const span = Math.max(1e-9, ...rows.map(([, d]) => Math.max(Math.abs(d.low), Math.abs(d.high))));
    const ref = modelPath(entry.model);
    result.append(h('h3', {}, ref), h('table', {class: 'differences', 'data-model': ref},
      h('thead', {}, h('tr', {}, ['Category', 'Difference', '95 % interval', ''].map(t => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, rows.map(([name, d]) => {
        const sign = LOWER_IS_BETTER.has(name) ? -1 : 1;
        const [low, high] = [sign * d.low, sign * d.high].sort((a, b) => a - b);
        const verdict = low > 0 ? 'better' : high < 0 ? 'worse' : 'unresolved';
        return h('tr', {'data-metric': name, 'data-estimate': d.estimate, class: `difference-${verdict}`},
          h('td', {}, name), h('td', {}, number(d.estimate)), h('td', {}, `[${number(d.low)}, ${number(d.high)}]`),
          h('td', {}, intervalBar(d, span, verdict)));
      }))));
  }
}

/** Differences where a drop is the gain. */
const LOWER_IS_BETTER = new Set(['counting_error']);

const W = 240;
const H = 18;

/** The interval as a line and the estimate as a dot on an axis from -span to +span, zero in the middle. */
function intervalBar(d, span, verdict) {
  const x = value => (W / 2) + (value / span) * (W / 2 - 6);
  return s('svg', {width: W, height: H, viewBox: `0 0 ${W} ${H}`, class: `interval interval-${verdict}`,
    'aria-label': `${number(d.estimate)}, interval ${number(d.low)} to ${number(d.high)}: ${verdict}`,
    role: 'img'},
  s('line', {x1: W / 2, y1: 1, x2: W / 2, y2: H - 1, class: 'zero'}),
  s('line', {x1: x(d.low), y1: H / 2, x2: x(d.high), y2: H / 2, class: 'range'}),
  s('circle', {cx: x(d.estimate), cy: H / 2, r: 4, class: 'estimate'}));
}
