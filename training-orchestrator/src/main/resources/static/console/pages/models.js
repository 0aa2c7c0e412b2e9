import {blobUrl, get, modelPath, post} from '../api.js';
import {confirmAction} from '../confirm.js';
import {alert, facts, h, number, s, table, time} from '../dom.js';

const KINDS = ['captioner', 'text-to-image', 'evaluator'];

function metricsText(metrics) {
  return Object.entries(metrics || {}).map(([name, value]) => `${name} ${number(value)}`).join(', ');
}

export async function modelsPage(main, kind) {
  main.append(h('h1', {}, 'Models'),
    h('p', {}, h('a', {href: '#/compare', id: 'compare-link'}, 'Compare text-to-image models')),
    h('nav', {class: 'tabs', 'aria-label': 'Model kinds'},
      [['All', '#/models', !kind], ...KINDS.map(k => [k, `#/models/${k}`, kind === k])].map(([label, href, current]) =>
        h('a', {href, 'aria-current': current ? 'page' : null}, label))));
  let models;
  try {
    models = await get(kind ? `/models?kind=${encodeURIComponent(kind)}` : '/models');
  } catch (error) {
    main.append(alert(error.message));
    return;
  }
  if (models.length === 0) {
    main.append(h('p', {}, 'No model of this kind in the registry.'));
    return;
  }
  main.append(table(null, ['Model', 'Architecture', 'Metrics', 'Created', 'Promoted'], models.map(m => [
    h('a', {href: `#/models/${modelPath(m.model)}`}, modelPath(m.model)), m.architecture, metricsText(m.metrics),
    time(m.createdAt), m.promoted ? h('strong', {class: 'promoted'}, 'promoted') : '']), {id: 'models'}));
}

export async function modelPage(main, kind, name, version) {
  const ref = `${kind}/${name}/${version}`;
  main.append(h('p', {class: 'crumbs'}, h('a', {href: '#/models'}, 'Models'), ' / ',
    h('a', {href: `#/models/${kind}`}, kind), ' / ', `${name}/${version}`), h('h1', {}, ref));
  const body = h('div', {id: 'model'});
  main.append(body);
  await showModel(body, ref);
}

async function showModel(body, ref) {
  let details;
  try {
    details = await get(`/models/${ref}`);
  } catch (error) {
    body.replaceChildren(alert(error.message));
    return;
  }
  const manifest = details.manifest;
  const status = h('div', {id: 'promote-status', 'aria-live': 'polite'});
  const promote = h('button', {type: 'button', id: 'promote', hidden: details.promoted}, 'Promote…');
  promote.addEventListener('click', async () => {
    if (!await confirmAction(`Promote ${ref}? Services of this kind switch to it.`, 'Promote')) {
      promote.focus();
      return;
    }
    try {
      const result = await post(`/models/${ref}/promote`);
      await showModel(body, ref);
      body.querySelector('#promote-status').append(h('p', {role: 'status'},
        `Promoted at ${time(result.promotedAt)}`
        + (result.eventPublished ? '.' : '; the services were not told and pick it up when they next look.')));
      body.querySelector('#promoted-state')?.focus();
    } catch (error) {
      status.replaceChildren(alert(`Not promoted: ${error.message}`));
      promote.focus();
    }
  });
  body.replaceChildren(
    facts([
      ['Architecture', manifest.architecture],
      ['Format', manifest.format],
      ['Created', time(manifest.createdAt)],
      ['Promoted', h('span', {id: 'promoted-state', tabindex: '-1'}, details.promoted ? 'yes, the current one' : 'no')],
    ], {id: 'model-facts'}),
    h('div', {class: 'buttons'}, promote), status,
    h('h2', {}, 'Lineage'), await lineageGraph(details),
    h('h2', {}, 'Metrics'), Object.keys(manifest.metrics || {}).length === 0 ? h('p', {}, 'None recorded.')
      : table(null, ['Metric', 'Value'], Object.entries(manifest.metrics).map(([n, v]) => [n, number(v, 4)]),
        {id: 'model-metrics'}),
    manifest.kind === 'TEXT_TO_IMAGE' ? [h('h2', {}, 'Evaluation samples'), await evaluationSamples(ref)] : [],
    h('h2', {}, 'Hyper-parameters'), table(null, ['Name', 'Value'],
      Object.entries(manifest.hyperParameters || {}).map(([n, v]) => [n, typeof v === 'object' ? JSON.stringify(v)
        : String(v)]), {id: 'hyper-parameters'}),
    ...((details.promotions || []).length === 0 ? [] : [h('h2', {}, 'Promotions'),
      h('ul', {id: 'promotions'}, details.promotions.map(p => h('li', {}, time(p.promotedAt))))]));
}

/** The sample sheet of the model's latest evaluation (same prompts and noise for every model), if it has one. */
async function evaluationSamples(ref) {
  try {
    return h('img', {id: 'evaluation-samples', src: await blobUrl(`/models/${ref}/evaluation/samples.png`),
      alt: `Sample images of ${ref} for the evaluation prompts`, class: 'samples'});
  } catch {
    return h('p', {class: 'hint'}, 'No sample sheet yet: an EVALUATE job writes one.');
  }
}

/**
 * Where a model came from as a tree drawn left to right: the model, then what its manifest names (corpus,
 * captioner with the caption mix, parent model, human set), and the same for a captioner or parent one level on.
 */
async function lineageGraph(details) {
  const root = await lineageNode(details.manifest, 2);
  if (root.children.length === 0) {
    return h('p', {id: 'lineage'}, 'No lineage recorded: trained from scratch or imported.');
  }
  return drawTree(root);
}

async function lineageNode(manifest, depth) {
  const lineage = manifest.lineage || {};
  const node = {label: modelPath(manifest), kind: 'model', href: `#/models/${modelPath(manifest)}`, children: []};
  const model = async (edge, ref) => {
    let child = {label: modelPath(ref), kind: 'model', href: `#/models/${modelPath(ref)}`, children: []};
    if (depth > 1) {
      try {
        child = await lineageNode((await get(`/models/${modelPath(ref)}`)).manifest, depth - 1);
      } catch {
        child.label += ' (not in the registry)';
      }
    }
    node.children.push({edge, node: child});
  };
  if (lineage.captionerRef) {
    const mix = lineage.captionMix;
    await model(mix ? `captions ${mixText(mix)}` : 'captions by', lineage.captionerRef);
  }
  if (lineage.parentModel) await model('fine-tuned from', lineage.parentModel);
  if (lineage.humanSet) {
    node.children.push({edge: 'human captions', node: {label: lineage.humanSet, kind: 'human set', children: []}});
  }
  if (lineage.corpusId) {
    node.children.push({edge: 'images of', node: {label: lineage.corpusId, kind: 'corpus',
      href: `#/corpora/${encodeURIComponent(lineage.corpusId)}`, children: []}});
  }
  return node;
}

function mixText(mix) {
  const parts = [];
  if (mix.shortWeight) parts.push(`SHORT ${Math.round(mix.shortWeight * 100)} %`);
  if (mix.longWeight) parts.push(`LONG ${Math.round(mix.longWeight * 100)} %`);
  const alt = 1 - (mix.shortWeight || 0) - (mix.longWeight || 0);
  if (alt > 1e-9) parts.push(`alt-text ${Math.round(alt * 100)} %`);
  return parts.join(' / ');
}

const NODE_W = 220;
const NODE_H = 44;
const COL = NODE_W + 120;
const ROW = NODE_H + 24;

function drawTree(root) {
  let leaves = 0;
  const placed = [];
  const place = (node, depth) => {
    const ys = node.children.map(({node: child}) => place(child, depth + 1));
    const y = ys.length === 0 ? leaves++ : (Math.min(...ys) + Math.max(...ys)) / 2;
    placed.push({node, depth, y});
    node.at = {x: depth * COL + 8, y: y * ROW + 8};
    return y;
  };
  place(root, 0);
  const width = Math.max(...placed.map(p => p.depth)) * COL + NODE_W + 16;
  const height = leaves * ROW + 16;
  const svg = s('svg', {id: 'lineage', viewBox: `0 0 ${width} ${height}`, width, height, class: 'lineage',
    role: 'group', 'aria-label': 'Lineage'});
  for (const {node} of placed) {
    for (const {edge, node: child} of node.children) {
      const [x1, y1] = [node.at.x + NODE_W, node.at.y + NODE_H / 2];
      const [x2, y2] = [child.at.x, child.at.y + NODE_H / 2];
      svg.append(s('path', {d: `M${x1},${y1} C${x1 + 60},${y1} ${x2 - 60},${y2} ${x2},${y2}`, class: 'edge',
        'marker-end': 'url(#arrow)'}),
      s('text', {x: x2 - 6, y: y2 - 6, 'text-anchor': 'end', class: 'edge-label'}, edge));
    }
  }
  svg.prepend(s('defs', {}, s('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8,
    markerHeight: 8, orient: 'auto'}, s('path', {d: 'M0,0 L10,5 L0,10 z'}))));
  for (const {node} of placed) {
    const box = s('g', {class: `node node-${node.kind.replace(/ /g, '-')}`, 'data-label': node.label},
      s('rect', {x: node.at.x, y: node.at.y, width: NODE_W, height: NODE_H, rx: 6}),
      s('text', {x: node.at.x + 10, y: node.at.y + 17, class: 'node-kind'}, node.kind),
      s('text', {x: node.at.x + 10, y: node.at.y + 35}, node.label));
    svg.append(node.href ? s('a', {href: node.href, 'aria-label': `${node.kind} ${node.label}`}, box) : box);
  }
  return svg;
}
