import {h} from './dom.js';

/**
 * Asks before an action that changes the platform (cancel, promote) in a modal <dialog>: Escape or "Keep" closes it,
 * focus starts on the safe choice. Resolves true only for the confirming button.
 */
export function confirmAction(question, confirmLabel) {
  return new Promise(resolve => {
    const keep = h('button', {type: 'button', value: 'keep', id: 'confirm-keep'}, 'Keep as is');
    const yes = h('button', {type: 'button', value: 'yes', id: 'confirm-yes', class: 'danger'}, confirmLabel);
    const dialog = h('dialog', {id: 'confirm', 'aria-labelledby': 'confirm-question'},
      h('p', {id: 'confirm-question'}, question), h('div', {class: 'buttons'}, keep, yes));
    const close = answer => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    keep.addEventListener('click', () => close(false));
    yes.addEventListener('click', () => close(true));
    dialog.addEventListener('cancel', event => {
      event.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    keep.focus();
  });
}
