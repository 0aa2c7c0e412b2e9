import {get} from '../api.js';
import {alert, facts, h, number, table, time} from '../dom.js';

export async function corporaPage(main) {
  main.append(h('h1', {}, 'Corpora'));
  let corpora;
  try {
    corpora = await get('/corpora');
  } catch (error) {
    main.append(alert(error.message));
    return;
  }
  if (corpora.length === 0) {
    main.append(h('p', {}, 'No corpus yet: ingest one with POST /corpora/{id}/ingest or the ingest CLI.'));
    return;
  }
  main.append(table(null, ['Corpus', 'Images', 'Created'], corpora.map(corpus => [
    h('a', {href: `#/corpora/${encodeURIComponent(corpus.corpusId)}`}, corpus.corpusId),
    String(corpus.imageCount),
    time(corpus.createdAt),
  ]), {id: 'corpora'}));
}

const PAGE_SIZE = 10;

export async function corpusPage(main, corpusId) {
  main.append(h('p', {class: 'crumbs'}, h('a', {href: '#/corpora'}, 'Corpora'), ' / ', corpusId),
    h('h1', {}, corpusId));
  let corpus;
  try {
    corpus = await get(`/corpora/${encodeURIComponent(corpusId)}`);
  } catch (error) {
    main.append(alert(error.message));
    return;
  }
  main.append(facts([
    ['Images', String(corpus.imageCount)],
    ['Ingest batches', String(corpus.batchCount)],
    ['Created', time(corpus.createdAt)],
  ], {id: 'corpus-facts'}));

  main.append(h('p', {}, h('a', {href: `#/corpora/${encodeURIComponent(corpusId)}/captions`, id: 'browse-captions'},
    'Browse the images with their captions')));
  main.append(h('h2', {}, 'Caption coverage'));
  const captioners = Object.entries(corpus.captions || {});
  if (captioners.length === 0) {
    main.append(h('p', {}, 'No captions yet: a RELABEL job writes them.'));
  } else {
    const styles = [...new Set(captioners.flatMap(([, counts]) => Object.keys(counts)))].sort();
    main.append(table(null, ['Captioner', ...styles], captioners.map(([captioner, counts]) => [
      captioner,
      ...styles.map(style => coverage(counts[style] || 0, corpus.imageCount)),
    ]), {id: 'coverage'}));
  }

  main.append(h('h2', {}, 'Relabel failures'));
  const failures = Object.entries(corpus.relabelFailures || {});
  if (failures.length === 0) {
    main.append(h('p', {}, 'No relabel failures.'));
  } else {
    const reasons = corpus.relabelFailureReasons || {};
    main.append(table(null, ['Captioner', 'Images that failed', 'By reason'],
      failures.map(([captioner, count]) => [captioner, String(count),
        Object.entries(reasons[captioner] || {}).map(([code, n]) => `${code} ${n}`).join(', ')]),
      {id: 'failure-counts'}));
    main.append(failurePages(corpusId));
  }

  if ((corpus.snapshots || []).length > 0) {
    main.append(h('h2', {}, 'Dataset snapshots'),
      table(null, ['Snapshot', 'Captioner', 'Images', 'Captions', 'Created'], corpus.snapshots.map(snapshot => [
        snapshot.snapshotId, snapshot.captioner || 'alt-text only', String(snapshot.imageCount),
        String(snapshot.captionCount), time(snapshot.createdAt)])));
  }
}

function coverage(count, images) {
  const percent = images === 0 ? 0 : (100 * count) / images;
  return h('span', {class: 'coverage'},
    h('meter', {min: 0, max: images || 1, value: count, 'aria-hidden': 'true'}),
    ` ${count} (${number(percent, 3)} %)`);
}

/** The failures one page at a time, newest first; the buttons or the arrow keys page. */
function failurePages(corpusId) {
  const section = h('section', {id: 'failures', 'aria-label': 'Failed images'});
  const list = h('div', {'aria-live': 'polite'});
  const previous = h('button', {type: 'button', id: 'failures-previous'}, '← Previous');
  const next = h('button', {type: 'button', id: 'failures-next'}, 'Next →');
  const position = h('span', {id: 'failures-position'});
  let page = 0;
  let pages = 1;

  async function show(wanted) {
    try {
      const result = await get(`/corpora/${encodeURIComponent(corpusId)}/failures?page=${wanted}&size=${PAGE_SIZE}`);
      page = wanted;
      pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
      list.replaceChildren(table(null, ['Image', 'Captioner', 'Reason', 'Message', 'When'],
        result.failures.map(failure => [failure.imageId, failure.captioner, h('code', {}, failure.code),
          failure.message, time(failure.at)]), {id: 'failure-list'}));
      position.textContent = `Page ${page + 1} of ${pages} (${result.total} failures)`;
      previous.disabled = page === 0;
      next.disabled = page >= pages - 1;
    } catch (error) {
      list.replaceChildren(alert(error.message));
    }
  }

  previous.addEventListener('click', () => show(page - 1));
  next.addEventListener('click', () => show(page + 1));
  section.addEventListener('keydown', event => {
    if (event.key === 'ArrowLeft' && page > 0) show(page - 1);
    else if (event.key === 'ArrowRight' && page < pages - 1) show(page + 1);
    else return;
    event.preventDefault();
  });
  section.append(h('div', {class: 'pager'}, previous, position, next), list);
  show(0);
  return section;
}
