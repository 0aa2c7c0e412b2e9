// The console's router: one page per hash route, rendered into <main>. A page may return a function that stops
// what it started (polling) when the user leaves it.
import {apiKey, signOut} from './api.js';
import {h} from './dom.js';
import {loginPage} from './pages/login.js';
import {corporaPage, corpusPage} from './pages/corpora.js';
import {captionsPage} from './pages/captions.js';
import {jobsPage, jobPage} from './pages/jobs.js';
import {modelsPage, modelPage} from './pages/models.js';
import {comparePage} from './pages/compare.js';

const routes = [
  [/^#\/login$/, loginPage],
  [/^#\/corpora$/, corporaPage],
  [/^#\/corpora\/([^/]+)$/, corpusPage],
  [/^#\/corpora\/([^/]+)\/captions$/, captionsPage],
  [/^#\/jobs$/, jobsPage],
  [/^#\/jobs\/([^/]+)$/, jobPage],
  [/^#\/compare(?:\?(.*))?$/, comparePage],
  [/^#\/models$/, modelsPage],
  [/^#\/models\/([^/]+)$/, modelsPage],
  [/^#\/models\/([^/]+)\/([^/]+)\/([^/]+)$/, modelPage],
];

let leave = null;

async function render() {
  const main = document.getElementById('main');
  if (leave) {
    leave();
    leave = null;
  }
  let hash = location.hash || '#/corpora';
  if (!apiKey() && hash !== '#/login') {
    sessionStorage.setItem('recap.console.after', hash);
    hash = '#/login';
    history.replaceState(null, '', hash);
  }
  document.getElementById('sign-out').hidden = !apiKey();
  for (const link of document.querySelectorAll('nav a')) {
    const section = hash.startsWith('#/compare') ? 'models' : hash.split(/[/?]/)[1];
    const current = section === link.dataset.section;
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  const route = routes.find(([pattern]) => pattern.test(hash));
  // Each page renders into its own element: a page still loading when the user moves on writes into a detached
  // one, never into the next page.
  const page = h('div');
  main.replaceChildren(page);
  if (!route) {
    page.append(h('h1', {}, 'Not found'), h('p', {}, 'No console page at ', h('code', {}, hash), '.'));
    return;
  }
  const params = route[0].exec(hash).slice(1).map(param => param === undefined ? undefined : decodeURIComponent(param));
  const stop = await route[1](page, ...params) || null;
  if (!page.isConnected) {
    if (stop) stop();
    return;
  }
  leave = stop;
  // Focus the page's heading so that keyboard and screen-reader users start at the new content.
  const heading = main.querySelector('h1');
  if (heading && !main.contains(document.activeElement)) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  signOut();
  location.hash = '#/login';
});
window.addEventListener('recap:signed-out', () => {
  location.hash = '#/login';
});
window.addEventListener('hashchange', render);
render();
