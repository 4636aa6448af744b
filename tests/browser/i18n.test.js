// i18n.test.js — the string tables have identical keys, every schema label,
// group and choice has a string, and no value is empty. Pure Node (no browser).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import en from '../../web/i18n/en.js';
import zhHant from '../../web/i18n/zh-Hant.js';
import { SCHEMA } from '../../web/config.js';

test('en and zh-Hant have identical keys and no empty strings', () => {
  assert.deepEqual(Object.keys(zhHant).sort(), Object.keys(en).sort());
  for (const [k, v] of Object.entries({ ...en, ...zhHant })) assert.ok(typeof v === 'string' && v.trim() !== '', `${k} is empty`);
  // Same placeholders in both languages.
  const holes = (s) => (s.match(/\{\w+\}/g) ?? []).sort().join();
  for (const k of Object.keys(en)) assert.equal(holes(zhHant[k]), holes(en[k]), `${k}: placeholders differ`);
});

test('every schema field, group and choice has a label', () => {
  for (const f of SCHEMA) {
    assert.ok(en[f.label], `missing ${f.label}`);
    assert.ok(en[`group.${f.group}`], `missing group.${f.group}`);
    if (f.type === 'enum') for (const c of f.choices) assert.ok(en[`choice.${f.key}.${c}`], `missing choice.${f.key}.${c}`);
  }
});

test('standard Traditional Chinese terms are used', () => {
  const all = Object.values(zhHant).join('\n');
  for (const term of ['梯度消失', '梯度爆炸', '批量正規化', '梯度裁剪', '權重初始化', '激活函數']) assert.ok(all.includes(term), `${term} is missing`);
});
