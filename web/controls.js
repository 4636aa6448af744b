// controls.js — builds every setting control from config.SCHEMA, so a new
// schema field appears on the page with no edit here. Enums become <select>,
// bools checkboxes, numbers <input type=number> with the schema's range,
// strings text inputs. Values are checked with config.coerce: a bad entry is
// marked invalid (with a message in the page's language, built from the
// schema's range) and not applied. Every string carries its i18n key
// (data-i18n), so relabel(t) re-renders the form in another language.
//
// It owns the form and nothing else: it does not know about the worker. The
// composer passes onChange(key, value) and calls set(config) to show a config.

import { SCHEMA, coerce } from './config.js';
import { applyStrings } from './i18n.js';

const GROUPS = ['data', 'net', 'init', 'train'];

// Which fields matter for which config (the rest are shown disabled).
const RELEVANT = {
  noise: (c) => c.dataset !== 'digits' && c.dataset !== 'csv',
  rows: (c) => c.dataset !== 'digits' && c.dataset !== 'csv',
  classes: (c) => c.dataset === 'spiral' || c.dataset === 'gaussians',
  slope: (c) => ['leaky_relu', 'prelu'].includes(c.activation) || /leaky_relu|prelu/.test(c.layers),
  initScale: (c) => ['normal', 'uniform', 'xavier_uniform', 'xavier_normal', 'orthogonal'].includes(c.init),
  momentum: (c) => c.optimizer === 'sgd',
  clipMax: (c) => c.clip !== 'none',
};

export class Controls {
  #inputs = new Map(); #errors = new Map(); #messages = new Map(); #locked; #root; #t;

  /**
   * Build the form inside `root`; onChange(key, value) fires for each valid edit.
   * keys: the schema keys to show (null = all, in schema order); locked: keys
   * shown but disabled (an embed's fixed part of an exercise).
   */
  constructor(root, t, onChange, { keys = null, locked = [] } = {}) {
    this.#root = root; this.#t = t;
    this.#locked = new Set(locked);
    const shown = (f) => keys === null || keys.includes(f.key);
    for (const group of GROUPS) {
      const fields = SCHEMA.filter((f) => f.group === group && shown(f));
      if (fields.length === 0) continue;
      const fieldset = document.createElement('fieldset');
      fieldset.className = `controls-group group-${group}`;
      const legend = document.createElement('legend');
      legend.dataset.i18n = `group.${group}`;
      fieldset.append(legend);
      for (const field of fields) fieldset.append(this.#build(field, t, onChange));
      root.append(fieldset);
    }
    applyStrings(root, t);
  }

  /** The language changed: labels, choices and any error message again. */
  relabel(t) {
    this.#t = t;
    applyStrings(this.#root, t);
    for (const [key, message] of this.#messages) this.#errors.get(key).textContent = message(t);
  }

  #build(field, t, onChange) {
    const id = `cfg-${field.key}`;
    const row = document.createElement('div');
    row.className = `control control-${field.type}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.dataset.i18n = field.label;
    let input;
    if (field.type === 'enum') {
      input = document.createElement('select');
      for (const choice of field.choices) {
        const option = document.createElement('option');
        option.value = choice;
        option.dataset.i18n = `choice.${field.key}.${choice}`;
        input.append(option);
      }
    } else if (field.type === 'bool') {
      input = document.createElement('input');
      input.type = 'checkbox';
    } else {
      input = document.createElement('input');
      if (field.type === 'string') {
        input.type = 'text';
        input.maxLength = field.maxLength;
        input.spellcheck = false;
        input.autocomplete = 'off';
      } else {
        input.type = 'number';
        input.min = String(field.min);
        input.max = String(field.max);
        // Log-scaled fields (lr, clip threshold) take any value in range.
        input.step = field.type === 'int' ? '1' : field.log ? 'any' : String(field.step ?? 'any');
        input.inputMode = field.type === 'int' ? 'numeric' : 'decimal';
      }
    }
    input.id = id;
    input.name = field.key;
    const error = document.createElement('span');
    error.className = 'control-error';
    error.id = `${id}-error`;
    error.setAttribute('aria-live', 'polite');
    input.setAttribute('aria-describedby', error.id);

    const commit = () => {
      const raw = field.type === 'bool' ? input.checked : input.value;
      const r = coerce(field, field.nullable && raw === '' ? null : raw);
      if (r.error) { this.#showError(field.key, (tr) => errorText(field, tr)); return; }
      this.#showError(field.key, null);
      onChange(field.key, r.value);
    };
    // Text and number fields commit on change (Enter or leaving the field), not on every key.
    input.addEventListener('change', commit);

    if (field.type === 'bool') { row.classList.add('control-check'); row.append(input, label, error); }
    else row.append(label, input, error);
    this.#inputs.set(field.key, input);
    this.#errors.set(field.key, error);
    return row;
  }

  /** message: (t) => string, or null to clear. */
  #showError(key, message) {
    const input = this.#inputs.get(key), error = this.#errors.get(key);
    error.textContent = message ? message(this.#t) : '';
    if (message) { this.#messages.set(key, message); input.setAttribute('aria-invalid', 'true'); }
    else { this.#messages.delete(key); input.removeAttribute('aria-invalid'); }
  }

  /** Show `config` in the form (no onChange fires). */
  set(config) {
    for (const field of SCHEMA) {
      const input = this.#inputs.get(field.key), v = config[field.key];
      if (!input) continue;
      if (field.type === 'bool') input.checked = !!v;
      else input.value = v === null ? '' : String(v);
      this.#showError(field.key, null);
      const relevant = RELEVANT[field.key]?.(config) ?? true;
      const locked = this.#locked.has(field.key);
      input.disabled = !relevant || locked;
      input.closest('.control').classList.toggle('irrelevant', !relevant);
      input.closest('.control').classList.toggle('locked', locked);
    }
  }

  /** The current value shown for a key (for tests and the composer). */
  value(key) { const i = this.#inputs.get(key); return i ? (i.type === 'checkbox' ? i.checked : i.value) : undefined; }
}

/** Why a typed value was refused, in the page's language, from the schema's own range. */
function errorText(field, t) {
  if (field.type === 'int' || field.type === 'number') {
    return t(field.type === 'int' ? 'error.int' : 'error.number', { min: field.min, max: field.max }) + (field.nullable ? ` ${t('error.nullable')}` : '');
  }
  if (field.type === 'string') return t('error.string', { max: field.maxLength });
  return t('error.choice');
}
