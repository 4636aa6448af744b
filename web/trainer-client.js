// trainer-client.js — the page's handle on the training worker.
//
//   const trainer = new TrainerClient(new URL('./worker.js', import.meta.url));
//   await trainer.request(REQUEST.CONFIG, { config });   // resolves with the worker's result
//   trainer.addEventListener(EVENT.STATS, (e) => use(e.detail));
//
// Requests carry an id and resolve (or reject with the worker's message).
// Streams (stats, boundary, …) arrive as events whose `detail` is the
// message. If the worker itself fails (an uncaught error, a message that
// cannot be deserialised), every pending request is rejected, the worker is
// discarded and a 'crashed' event fires; restart() starts a fresh one. This
// is ffmpeg.wasm's rule: a trapped core is never reused.

import { EVENT } from './protocol.js';

export class TrainerClient extends EventTarget {
  #url; #worker = null; #pending = new Map(); #nextId = 1;

  constructor(url) {
    super();
    this.#url = url;
    this.#start();
  }

  #start() {
    const worker = new Worker(this.#url, { type: 'module' });
    worker.onmessage = (event) => this.#receive(event.data);
    worker.onerror = (event) => { event.preventDefault?.(); this.#crash(event.message || 'the training worker stopped with an error'); };
    worker.onmessageerror = () => this.#crash('a message from the training worker could not be read');
    this.#worker = worker;
  }

  #receive(message) {
    if (message?.type === EVENT.REPLY) {
      const call = this.#pending.get(message.id);
      if (!call) return;
      this.#pending.delete(message.id);
      if (message.ok) call.resolve(message.result);
      else call.reject(new Error(message.error));
      return;
    }
    this.dispatchEvent(new CustomEvent(message?.type ?? 'unknown', { detail: message }));
  }

  #crash(reason) {
    const error = new Error(reason);
    for (const call of this.#pending.values()) call.reject(error);
    this.#pending.clear();
    this.#worker?.terminate();
    this.#worker = null;
    this.dispatchEvent(new CustomEvent('crashed', { detail: { error: reason } }));
  }

  /** Send a request; resolves with the worker's result. */
  request(type, payload = {}) {
    if (!this.#worker) return Promise.reject(new Error('the training worker is not running; restart it'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...payload, id, type });
    });
  }

  get alive() { return this.#worker !== null; }

  /** A fresh worker after a crash (the caller sends a config again). */
  restart() {
    if (this.#worker) this.#crash('restarted');
    this.#start();
  }

  terminate() { this.#crash('terminated'); }
}
