// What the credit platforms of cities that run no Tongban answered for a case (rest adapters):
// one row per ledger entry the gateway logged. Platforms sign nothing, so the badge is the
// entry's inclusion in this gateway's latest signed checkpoint, as the server checked it.

import { t } from '../i18n.js';
import { badge, cityName, delegationStatusBadge, fmtDateTime, h, label } from './dom.js';
import { table } from './widgets.js';

/** The section's content for `CaseDetail.platformAnswers`, or null when there is none. */
export function platformAnswersTable(answers) {
  if (!answers?.length) return null;
  return table(
    t('case.platformAnswers'),
    [
      t('platform.at'),
      t('field.penalisingCity'),
      t('platform.operation'),
      t('platform.httpStatus'),
      t('platform.applied'),
      t('platform.ledger'),
    ],
    answers.map((a) => [
      h('time', { datetime: a.at }, fmtDateTime(a.at)),
      h('span', { 'data-city': a.city }, cityName(a.city)),
      h('span', { 'data-operation': a.operation }, label('platformOp', a.operation)),
      a.httpStatus ?? '—',
      a.status ? delegationStatusBadge(a.status) : '—',
      h(
        'span',
        { 'data-index': a.ledgerIndex },
        t('case.ledgerIndex', { n: a.ledgerIndex }),
        ' ',
        a.verified
          ? badge(`✓ ${t('platform.included')}`, 'verified', a.detail)
          : badge(t('case.notVerified'), 'unverified', a.detail),
      ),
    ]),
    { className: 'platform-answers' },
  );
}
