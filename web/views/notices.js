// notices.js — visible, dismissable messages: settings from the link that
// were rejected (config.parseHash notices), errors applying a config, a
// crashed worker. Text only (textContent): a hostile link cannot inject markup.

export class NoticesView {
  constructor(root, t) {
    this.t = t;
    this.root = root;
    root.classList.add('notices');
    root.setAttribute('role', 'status');
    root.hidden = true;
  }

  /** Show a titled list; `action` = { label, run } adds a button (e.g. restart). */
  show(title, items = [], action = null, kind = 'warning') {
    const box = document.createElement('div');
    box.className = `notice notice-${kind}`;
    const p = document.createElement('p');
    p.textContent = title;
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
      b.type = 'button'; b.textContent = action.label;
      b.addEventListener('click', () => { box.remove(); this.#update(); action.run(); });
      buttons.append(b);
    }
    const close = document.createElement('button');
    close.type = 'button'; close.className = 'dismiss'; close.textContent = this.t('ui.dismiss');
    close.addEventListener('click', () => { box.remove(); this.#update(); });
    buttons.append(close);
    box.append(buttons);
    this.root.append(box);
    this.#update();
  }

  clear() { this.root.replaceChildren(); this.#update(); }
  #update() { this.root.hidden = this.root.childElementCount === 0; }
}
