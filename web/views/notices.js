// notices.js — visible, dismissable messages: settings from the link that
// were rejected (config.parseHash notices), errors applying a config, a
// crashed worker. Text only (textContent): a hostile link cannot inject markup.
// A title may be a function of t, so a language switch re-renders it.

export class NoticesView {
  constructor(root, t) {
    this.t = t;
    this.root = root;
    root.classList.add('notices');
    root.setAttribute('role', 'status');
    root.hidden = true;
  }

  /**
   * Show a titled list; `title` is a string or (t) => string (re-rendered on
   * a language switch); `action` = { label: (t) => string, run } adds a button.
   */
  show(title, items = [], action = null, kind = 'warning') {
    const box = document.createElement('div');
    box.className = `notice notice-${kind}`;
    const p = document.createElement('p');
    const texts = [];   // [element, (t) => string]
    const text = (el, source) => { if (typeof source === 'function') texts.push([el, source]); el.textContent = typeof source === 'function' ? source(this.t) : source; };
    text(p, title);
    box.append(p);
    if (items.length) {
      const ul = document.createElement('ul');
      for (const item of items.slice(0, 20)) { const li = document.createElement('li'); li.textContent = item; ul.append(li); }
      box.append(ul);
    }
    const buttons = document.createElement('div');
    buttons.className = 'button-row';
    if (action) {
      const b = document.createElement('button');
      b.type = 'button'; text(b, action.label);
      b.addEventListener('click', () => { box.remove(); this.#update(); action.run(); });
      buttons.append(b);
    }
    const close = document.createElement('button');
    close.type = 'button'; close.className = 'dismiss'; text(close, (t) => t('ui.dismiss'));
    close.addEventListener('click', () => { box.remove(); this.#update(); });
    buttons.append(close);
    box.append(buttons);
    box.relabel = () => { for (const [el, source] of texts) el.textContent = source(this.t); };
    this.root.append(box);
    this.#update();
    return box;
  }

  /** Take back one notice (the box show() returned), if it is still there. */
  dismiss(box) { if (box?.parentNode === this.root) { box.remove(); this.#update(); } }

  relabel(t) { this.t = t; for (const box of this.root.children) box.relabel?.(); }

  clear() { this.root.replaceChildren(); this.#update(); }
  #update() { this.root.hidden = this.root.childElementCount === 0; }
}
