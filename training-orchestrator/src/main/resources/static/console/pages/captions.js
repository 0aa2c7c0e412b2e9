import {blobUrl, get} from '../api.js';
import {alert, h} from '../dom.js';

const PAGE_SIZE = 8;
const STYLES = ['SHORT', 'LONG'];

/**
 * The caption browser: a page of images, each with its alt-text and one captioner version's SHORT and LONG captions
 * side by side. Pages go forward by the last image id shown and back by the ones remembered; the buttons or the arrow
 * keys page.
 */
export async function captionsPage(main, corpusId) {
  const corpusPath = `/corpora/${encodeURIComponent(corpusId)}`;
  main.append(h('p', {class: 'crumbs'}, h('a', {href: '#/corpora'}, 'Corpora'), ' / ',
    h('a', {href: `#/corpora/${encodeURIComponent(corpusId)}`}, corpusId), ' / captions'),
  h('h1', {}, `Captions of ${corpusId}`));
  let corpus;
  try {
    corpus = await get(corpusPath);
  } catch (error) {
    main.append(alert(error.message));
    return;
  }
  const captioners = [...new Set([...Object.keys(corpus.captions || {}), ...Object.keys(corpus.relabelFailures || {})])]
    .sort();
  const captioner = h('select', {id: 'captioner'},
    captioners.map(c => h('option', {value: c}, c)), h('option', {value: ''}, 'alt-text only'));
  const filter = h('select', {id: 'caption-filter'},
    [['', 'all images'], ['lacks=SHORT', 'lacking SHORT'], ['lacks=LONG', 'lacking LONG'],
      ['has=LONG', 'with LONG'], ['failure=any', 'with a relabel failure'],
      ...Object.keys(corpus.relabelFailureReasons || {}).flatMap(c => Object.keys(corpus.relabelFailureReasons[c]))
        .filter((code, i, all) => all.indexOf(code) === i).map(code => [`failure=${code}`, `failed: ${code}`])]
      .map(([value, label]) => h('option', {value}, label)));
  const search = h('input', {id: 'caption-search', type: 'search', placeholder: 'words in alt-text or captions',
    size: 28});
  const previous = h('button', {type: 'button', id: 'captions-previous'}, '← Previous');
  const next = h('button', {type: 'button', id: 'captions-next'}, 'Next →');
  const position = h('span', {id: 'captions-position'});
  const grid = h('div', {id: 'caption-grid', class: 'caption-grid', 'aria-live': 'polite'});
  const section = h('section', {'aria-label': 'Images and captions'},
    h('form', {class: 'pager', id: 'caption-filters', role: 'search'},
      h('label', {for: 'captioner'}, 'Captioner'), captioner,
      h('label', {for: 'caption-filter'}, 'Show'), filter,
      h('label', {for: 'caption-search'}, 'Search'), search),
    h('div', {class: 'pager'}, previous, position, next),
    grid);
  main.append(section);

  let urls = [];
  const afters = [null];
  let page = 0;
  let nextAfter = null;

  async function show(wanted) {
    const query = new URLSearchParams({size: PAGE_SIZE});
    if (captioner.value) query.set('captioner', captioner.value);
    if (filter.value && captioner.value) {
      const [name, value] = filter.value.split('=');
      query.set(name, value);
    }
    if (search.value.trim()) query.set('q', search.value.trim());
    if (afters[wanted]) query.set('after', afters[wanted]);
    let result;
    try {
      result = await get(`${corpusPath}/images?${query}`);
    } catch (error) {
      grid.replaceChildren(alert(error.message));
      return;
    }
    page = wanted;
    nextAfter = result.next;
    if (nextAfter) afters[page + 1] = nextAfter;
    urls.forEach(URL.revokeObjectURL);
    urls = [];
    grid.replaceChildren(...result.images.map(card));
    const first = page * PAGE_SIZE + 1;
    const filtered = query.has('q') || query.has('has') || query.has('lacks') || query.has('failure');
    position.textContent = result.images.length === 0 ? 'No images match'
      : `Images ${first}–${first + result.images.length - 1} ${filtered ? 'matching' : `of ${corpus.imageCount}`}`;
    previous.disabled = page === 0;
    next.disabled = !nextAfter;
  }

  function card(image) {
    const img = h('img', {alt: image.altText || `image ${image.imageId}`, width: 128, height: 128});
    blobUrl(`${corpusPath}/image?imageId=${encodeURIComponent(image.imageId)}`)
      .then(url => { urls.push(url); img.src = url; })
      .catch(() => img.replaceWith(h('div', {class: 'missing-image'}, 'image not readable')));
    const text = (label, value, missing) => h('div', {class: `caption${value ? '' : ' caption-missing'}`},
      h('span', {class: 'caption-label'}, label), value || missing);
    return h('article', {class: 'caption-card', 'data-image-id': image.imageId},
      h('figure', {}, img, h('figcaption', {}, image.imageId)),
      h('div', {class: 'captions'},
        text('Alt-text', image.altText, '(empty)'),
        STYLES.map(style => text(style, image.captions?.[style],
          image.failure ? `failed: ${image.failure}` : 'not captioned'))));
  }

  const restart = () => {
    afters.length = 1;
    show(0);
  };
  captioner.addEventListener('change', restart);
  filter.addEventListener('change', restart);
  section.querySelector('#caption-filters').addEventListener('submit', event => {
    event.preventDefault();
    restart();
  });
  previous.addEventListener('click', () => show(page - 1));
  next.addEventListener('click', () => show(page + 1));
  section.addEventListener('keydown', event => {
    if (event.target.matches('select, input')) return;
    if (event.key === 'ArrowLeft' && page > 0) show(page - 1);
    else if (event.key === 'ArrowRight' && nextAfter) show(page + 1);
    else return;
    event.preventDefault();
  });
  await show(0);
  return () => urls.forEach(URL.revokeObjectURL);
}
