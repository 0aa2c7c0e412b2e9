import {signIn} from '../api.js';
import {alert, h} from '../dom.js';

/** Asks for an API key; it lives in this tab's sessionStorage only and goes with every API call as X-API-Key. */
export function loginPage(main) {
  const key = h('input', {id: 'api-key', type: 'password', autocomplete: 'off', required: true,
    'aria-describedby': 'api-key-help', size: 48});
  const status = h('div', {'aria-live': 'polite'});
  const form = h('form', {id: 'login', class: 'stack'},
    h('label', {for: 'api-key'}, 'API key'),
    key,
    h('p', {id: 'api-key-help', class: 'hint'},
      'A key from your administrator (recap_…). It is kept in this browser tab only and forgotten when the tab ',
      'closes or you sign out.'),
    h('button', {type: 'submit'}, 'Sign in'),
    status);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    status.replaceChildren();
    try {
      await signIn(key.value.trim());
      const after = sessionStorage.getItem('recap.console.after') || '#/corpora';
      sessionStorage.removeItem('recap.console.after');
      location.hash = after === '#/login' ? '#/corpora' : after;
    } catch (error) {
      status.append(alert(`Not signed in: ${error.message}`));
      key.focus();
    }
  });
  main.append(h('h1', {}, 'Sign in'), form);
  key.focus();
}
