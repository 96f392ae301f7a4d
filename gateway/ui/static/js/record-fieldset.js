// One penalty record's fieldset in the filing form: typed in by the officer, or filled from a
// city's answer to the penalty lookup (then what the form has no field for is kept as it came).

import { t } from '../i18n.js';
import { MEASURES, SECTORS, SEVERITIES, state } from './config.js';
import { cityOptions, field, h, label, select, uid } from './dom.js';

/** One penalty record's fieldset; `onRemove` is called by its remove button. */
export function recordFieldset(onRemove) {
  const others = cityOptions({ includeSelf: true });
  const preferred = others.find(([id]) => id !== state.me?.city)?.[0] ?? others[0]?.[0];
  const issuingCity = select('issuingCity', others, preferred);
  const authority = h('input', { name: 'authority', type: 'text', maxlength: '200' });
  const sector = select(
    'sector',
    SECTORS.map((s) => [s, label('sector', s)]),
    'market_supervision',
  );
  const decisionNo = h('input', { name: 'decisionNo', type: 'text', maxlength: '100' });
  const decisionDate = h('input', { name: 'decisionDate', type: 'date' });
  const publicityStartDate = h('input', { name: 'publicityStartDate', type: 'date' });
  const measure = select(
    'measure',
    MEASURES.map((m) => [m, label('measure', m)]),
    'fine',
  );
  const severity = select(
    'severity',
    SEVERITIES.map((s) => [s, label('severity', s)]),
    'ordinary',
  );
  const fine = h('input', {
    name: 'fineCny',
    type: 'number',
    min: '0',
    step: '0.01',
    inputmode: 'decimal',
  });
  const finePaid = h('input', { name: 'finePaidDate', type: 'date' });
  const obligations = h('input', { name: 'otherObligationsFulfilled', type: 'checkbox' });
  const legend = h('legend', {});
  // From a lookup: the fields the form does not show, and every measure (the form shows one).
  let kept = {};
  let keptMeasures = null;
  // Another city or decision number is another record: nothing of the looked-up one stays.
  const forget = () => {
    kept = {};
    keptMeasures = null;
  };
  issuingCity.addEventListener('change', forget);
  decisionNo.addEventListener('input', forget);
  const remove = h('button', { type: 'button', class: 'link danger', onclick: onRemove });
  const pointed = {
    issuingCity,
    authority,
    sector,
    decisionNo,
    decisionDate,
    publicityStartDate,
    measures: measure,
    severity,
    fineCny: fine,
    finePaidDate: finePaid,
    otherObligationsFulfilled: obligations,
  };
  const node = h(
    'fieldset',
    { class: 'record' },
    legend,
    h(
      'div',
      { class: 'grid' },
      field(t('field.issuingCity'), issuingCity),
      field(t('field.authority'), authority),
      field(t('field.sector'), sector),
      field(t('field.decisionNo'), decisionNo),
      field(t('field.decisionDate'), decisionDate),
      field(t('field.publicityStartDate'), publicityStartDate),
      field(t('field.measure'), measure),
      field(t('field.severity'), severity),
      field(t('field.fineCny'), fine),
      field(t('field.finePaidDate'), finePaid),
    ),
    h(
      'div',
      { class: 'check' },
      obligations,
      h('label', { for: (obligations.id = uid()) }, t('field.obligations')),
    ),
    remove,
  );
  return {
    node,
    focus: () => issuingCity.focus(),
    setIndex(i, count) {
      legend.textContent = t('new.record', { n: i + 1 });
      remove.textContent = t('new.removeRecord', { n: i + 1 });
      remove.hidden = count < 2;
      for (const [k, el] of Object.entries(pointed))
        el.setAttribute('data-pointer', `/records/${i}/${k}`);
    },
    /** Empty: nothing typed in that identifies a record yet. */
    isBlank: () => decisionNo.value.trim() === '' && authority.value.trim() === '',
    /** Fill from a PenaltyRecord (a city's answer to the penalty lookup). */
    set(r) {
      const { ref, kind, issuingDivision } = r;
      kept = Object.fromEntries(
        Object.entries({ ref, kind, issuingDivision }).filter(([, v]) => v !== undefined),
      );
      keptMeasures = r.measures;
      if (![...issuingCity.options].some((o) => o.value === r.issuingCity))
        issuingCity.append(h('option', { value: r.issuingCity }, r.issuingCity));
      issuingCity.value = r.issuingCity;
      authority.value = r.authority;
      sector.value = r.sector;
      decisionNo.value = r.decisionNo;
      decisionDate.value = r.decisionDate;
      publicityStartDate.value = r.publicityStartDate;
      measure.value = r.measures[0]?.type ?? 'fine';
      severity.value = r.severity;
      fine.value = r.fineCny ?? '';
      finePaid.value = r.finePaidDate ?? '';
      obligations.checked = r.otherObligationsFulfilled;
    },
    read() {
      // The measures as they came while the officer left the first one as it was.
      const measures =
        keptMeasures?.[0]?.type === measure.value ? keptMeasures : [{ type: measure.value }];
      return {
        ...kept,
        issuingCity: issuingCity.value,
        authority: authority.value.trim(),
        sector: sector.value,
        decisionNo: decisionNo.value.trim(),
        decisionDate: decisionDate.value,
        publicityStartDate: publicityStartDate.value,
        measures,
        severity: severity.value,
        ...(fine.value !== '' ? { fineCny: Number(fine.value) } : {}),
        ...(finePaid.value ? { finePaidDate: finePaid.value } : {}),
        otherObligationsFulfilled: obligations.checked,
      };
    },
  };
}
