import {h, number, s} from './dom.js';

const WIDTH = 640;
const HEIGHT = 240;
const PAD = {left: 56, right: 16, top: 12, bottom: 36};

/** The loss by step as an inline SVG line with its axes' ranges; points are [{step, loss}] in step order. */
export function lossCurve(points) {
  if (points.length === 0) {
    return h('p', {id: 'loss-curve', class: 'hint'}, 'No loss reported yet.');
  }
  const steps = points.map(p => p.step);
  const losses = points.map(p => p.loss);
  const [x0, x1] = [Math.min(...steps), Math.max(...steps)];
  const [y0, y1] = [Math.min(...losses), Math.max(...losses)];
  const x = step => PAD.left + (x1 === x0 ? 0.5 : (step - x0) / (x1 - x0)) * (WIDTH - PAD.left - PAD.right);
  const y = loss => PAD.top + (y1 === y0 ? 0.5 : (y1 - loss) / (y1 - y0)) * (HEIGHT - PAD.top - PAD.bottom);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`).join(' ');
  const last = points[points.length - 1];
  const bottom = HEIGHT - PAD.bottom;
  return s('svg', {id: 'loss-curve', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', class: 'chart',
    'data-points': points.length,
    'aria-label': `Loss over ${points.length} reports, from ${number(losses[0])} at step ${steps[0]} to `
      + `${number(last.loss)} at step ${last.step}`},
  s('line', {x1: PAD.left, y1: bottom, x2: WIDTH - PAD.right, y2: bottom, class: 'axis'}),
  s('line', {x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: bottom, class: 'axis'}),
  s('text', {x: PAD.left - 6, y: PAD.top + 4, 'text-anchor': 'end'}, number(y1)),
  s('text', {x: PAD.left - 6, y: bottom, 'text-anchor': 'end'}, number(y0)),
  s('text', {x: PAD.left, y: HEIGHT - 14, 'text-anchor': 'start'}, `step ${x0}`),
  s('text', {x: WIDTH - PAD.right, y: HEIGHT - 14, 'text-anchor': 'end'}, `step ${x1}`),
  s('text', {x: (WIDTH + PAD.left) / 2, y: HEIGHT - 2, 'text-anchor': 'middle'}, 'loss by step'),
  s('path', {d: path, class: 'line'}),
  s('circle', {cx: x(last.step), cy: y(last.loss), r: 3, class: 'dot'}));
}
