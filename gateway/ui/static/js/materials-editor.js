// The one set of materials (一套材料，多次复用) as a list the officer grows and shrinks: one
// row per file, each hashed in the browser (never uploaded) or typed in as name and digest.

import { t } from '../i18n.js';
import { MATERIAL_KINDS } from './config.js';
import { field, h, label, select, uid } from './dom.js';
import { rowList } from './widgets.js';

/**
 * Materials under `pointer` (`/materials`), starting with one row of `firstKind`; each added
 * row suggests the first kind not chosen yet. `read()` gives the rows that were filled in.
 */
export function materialsEditor(pointer, firstKind) {
  const box = h('div', { class: 'materials' });
  const list = rowList(box, (onRemove, kind) => {
    const fields = materialFields(kind);
    const legend = h('legend', {});
    const remove = h('button', { type: 'button', class: 'link danger', onclick: onRemove });
    return {
      fields,
      node: h('fieldset', { class: 'material' }, legend, fields.node, remove),
      focus: () => fields.focus(),
      setIndex(i, count) {
        legend.textContent = t('material.n', { n: i + 1 });
        remove.textContent = t('material.remove', { n: i + 1 });
        remove.hidden = count < 2;
        fields.setPointer(`${pointer}/${i}`);
      },
    };
  });
  const add = (kind) => {
    const chosen = new Set(list.rows.map((r) => r.fields.kind()));
    return list.add(kind ?? MATERIAL_KINDS.find((k) => !chosen.has(k)) ?? 'other');
  };
  add(firstKind);
  const addButton = h(
    'button',
    { type: 'button', onclick: () => add().focus() },
    t('material.add'),
  );

  return {
    node: h('div', {}, box, h('div', { class: 'actions' }, addButton)),
    read: () => list.rows.map((r) => r.fields.read()).filter(Boolean),
  };
}

async function sha256Hex(file) {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** One material: kind, a local file to hash (never uploaded), or file name and digest typed in. */
function materialFields(defaultKind) {
  const kind = select(
    'kind',
    MATERIAL_KINDS.map((k) => [k, label('material', k)]),
    defaultKind,
  );
  const fileName = h('input', {
    name: 'fileName',
    type: 'text',
    maxlength: '255',
  });
  const sha = h('input', {
    name: 'sha256',
    type: 'text',
    maxlength: '64',
    pattern: '[0-9a-f]{64}',
    spellcheck: 'false',
    autocomplete: 'off',
    class: 'mono',
  });
  let extra = {};
  const status = h('p', { class: 'hint', 'aria-live': 'polite' });
  const file = h('input', {
    type: 'file',
    name: 'file',
    disabled: !globalThis.crypto?.subtle,
    onchange: async () => {
      const f = file.files?.[0];
      if (!f) return;
      status.textContent = t('new.hashing');
      fileName.value = f.name;
      sha.value = await sha256Hex(f);
      extra = { size: f.size, ...(f.type ? { mediaType: f.type } : {}) };
      status.textContent = '';
    },
  });
  const node = h(
    'div',
    { class: 'grid' },
    field(t('field.materialKind'), kind),
    h(
      'div',
      { class: 'field' },
      h('label', { for: (file.id = uid()) }, t('field.materialFile')),
      file,
      status,
    ),
    field(t('field.fileName'), fileName),
    field(t('field.sha256'), sha),
  );
  return {
    node,
    kind: () => kind.value,
    focus: () => kind.focus(),
    /** Point the fields at `/materials/<i>` (problems name them by pointer). */
    setPointer(p) {
      kind.setAttribute('data-pointer', `${p}/kind`);
      fileName.setAttribute('data-pointer', `${p}/fileName`);
      sha.setAttribute('data-pointer', `${p}/sha256`);
    },
    /** The material, or null when nothing was entered. */
    read() {
      if (!fileName.value.trim() && !sha.value.trim()) return null;
      return {
        kind: kind.value,
        fileName: fileName.value.trim(),
        sha256: sha.value.trim().toLowerCase(),
        ...extra,
      };
    },
  };
}
